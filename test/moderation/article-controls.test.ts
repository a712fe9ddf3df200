import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findArticleBySlug } from '../../src/articles/store.ts';
import { createSite, setModeratorSites } from '../../src/sites/store.ts';
import { dialects } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { postComment, startConversation, type Conversation } from '../comments/setup.ts';

// The moderator's controls on the article page: a per-viewer panel and per-comment buttons, never in
// the HTML other readers share, and plain forms that act and come back to the article.

describe.each(dialects)('moderator controls on the article page (%s)', (dialect) => {
  let c: Conversation;
  beforeAll(async () => {
    c = await startConversation(dialect);
  });
  afterAll(async () => c.app.close());

  const page = async (client: TestClient, query = '') => (await (await client.raw(`/articles/${c.article.slug}${query}`)).text()).replace(/&quot;/g, '"');

  async function heldComment(body: string) {
    const author = await c.reader({ displayName: 'Held Author' });
    await c.set('premodAll', true);
    try {
      const res = await author.client.post(`/api/v1/articles/${c.article.slug}/comments`, { body });
      expect(res.status).toBe(201);
      return { id: res.body.comment.id as number, author };
    } finally {
      await c.set('premodAll', false);
    }
  }

  it('shows a moderator the panel with the held comments and why, and nobody else, whatever the shared cache holds', async () => {
    const mod = await c.reader({ role: 'moderator' });
    const reader = await c.reader();
    const visible = await postComment(reader.client, c.article.slug, `Visible ${Date.now().toString(36)}.`);
    const held = await heldComment('Held for the panel, please look.');

    // The moderator's page first, so that the shared conversation HTML is rendered and cached by it.
    const modHtml = await page(mod.client);
    expect(modHtml).toContain('id="moderation"');
    expect(modHtml).toContain(`id="mh-${held.id}"`);
    expect(modHtml).toContain('Held for the panel, please look.');
    expect(modHtml).toMatch(/Held because<\/dt><dd class="mod-panel__why">Every article is pre-moderated/);
    expect(modHtml).toContain('1 comment is waiting for a moderator');
    expect(modHtml).toMatch(/<input type="radio" name="mode" value="post" checked/);
    // Under each visible comment, in its slot.
    const slot = modHtml.slice(modHtml.indexOf(`id="c-${visible.id}"`));
    expect(slot.slice(0, slot.indexOf('</article>'))).toContain(`action="/articles/${c.article.slug}/comments/${visible.id}/decision"`);

    for (const other of [reader.client, new TestClient(c.app.baseUrl)]) {
      const html = await page(other);
      expect(html).toContain(`id="c-${visible.id}"`);
      expect(html).not.toContain('id="moderation"');
      expect(html).not.toContain('data-mod-controls');
      expect(html).not.toContain('Held for the panel');
    }

    // A moderator of another site only is a reader here.
    const elsewhere = await createSite(c.app.ctx, { key: `else-${Date.now().toString(36)}`, name: 'Elsewhere', origins: [`https://else-${Date.now().toString(36)}.example`] });
    const siteMod = await c.reader({ role: 'moderator' });
    await setModeratorSites(c.app.ctx, siteMod.user.id, [elsewhere.id], null);
    const siteModHtml = await page(siteMod.client);
    expect(siteModHtml).not.toContain('id="moderation"');
    expect(siteModHtml).not.toContain('data-mod-controls');
  });

  it('approves a held comment from the panel and comes back to the panel, keeping the page the moderator was on', async () => {
    const mod = await c.reader({ role: 'moderator' });
    const held = await heldComment('Approve me from the article page.');
    const res = await mod.client.raw(`/articles/${c.article.slug}/comments/${held.id}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', referer: `${c.app.baseUrl}/articles/${c.article.slug}?sort=oldest` },
      body: new URLSearchParams({ decision: 'approve', back: 'panel', _csrf: await mod.client.csrfToken() }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/articles/${c.article.slug}?sort=oldest#moderation`);
    const readerHtml = await page(new TestClient(c.app.baseUrl));
    expect(readerHtml).toContain('Approve me from the article page.');
    expect(await page(mod.client)).not.toContain(`id="mh-${held.id}"`);
  });

  it('features, unfeatures and rejects a comment by the buttons under it, back at the comment', async () => {
    const mod = await c.reader({ role: 'moderator' });
    const reader = await c.reader();
    const comment = await postComment(reader.client, c.article.slug, `Feature me ${Date.now().toString(36)}.`);
    const decide = (fields: Record<string, string>) => mod.client.form(`/articles/${c.article.slug}/comments/${comment.id}/decision`, fields);

    const featured = await decide({ decision: 'feature' });
    expect(featured.status).toBe(303);
    expect(featured.headers.get('location')).toBe(`/articles/${c.article.slug}#c-${comment.id}`);
    let html = await page(mod.client);
    let own = html.slice(html.indexOf(`id="c-${comment.id}"`));
    own = own.slice(0, own.indexOf('</article>'));
    expect(own).toContain('data-decision="unfeature"');
    expect(own).not.toContain('data-decision="feature"');

    expect((await decide({ decision: 'unfeature' })).status).toBe(303);

    const noReason = await decide({ decision: 'reject' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Say why the comment is rejected');

    expect((await decide({ decision: 'reject', reason: 'Off topic here' })).status).toBe(303);
    html = await page(new TestClient(c.app.baseUrl));
    expect(html).not.toContain('Feature me');
    // Its author is told why.
    expect((await reader.client.get(`/api/v1/comments/${comment.id}`)).body.comment.moderation).toEqual({ status: 'rejected', reason: 'Off topic here' });
  });

  it('opens, pre-moderates and closes the conversation by one form, and refuses what is not a mode', async () => {
    const mod = await c.reader({ role: 'moderator' });
    const set = (mode: string) => mod.client.form(`/articles/${c.article.slug}/moderation`, { mode });
    const closed = await set('closed');
    expect(closed.status).toBe(303);
    expect(closed.headers.get('location')).toBe(`/articles/${c.article.slug}#moderation`);
    expect((await findArticleBySlug(c.app.ctx.db.kysely, c.article.slug))!.commentsOpen).toBe(false);
    const reader = await c.reader();
    expect((await reader.client.post(`/api/v1/articles/${c.article.slug}/comments`, { body: 'Closed?' })).status).toBe(403);
    expect(await page(mod.client)).toMatch(/<input type="radio" name="mode" value="closed" checked/);

    expect((await set('pre')).status).toBe(303);
    const waiting = await reader.client.post(`/api/v1/articles/${c.article.slug}/comments`, { body: 'Pre-moderated, so held.' });
    expect(waiting.status).toBe(201);
    expect(waiting.body.comment.moderation?.status).toBe('held');
    expect(await page(mod.client)).toContain('This article is pre-moderated');

    const bad = await set('sometimes');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Choose whether the conversation is open, pre-moderated or closed.');
    expect((await set('post')).status).toBe(303);
    expect((await findArticleBySlug(c.app.ctx.db.kysely, c.article.slug))!.commentsOpen).toBe(true);
  });

  it('refuses a comment of another article under this one', async () => {
    const mod = await c.reader({ role: 'moderator' });
    const other = await c.importArticle(`Other ${Date.now().toString(36)}`);
    const reader = await c.reader();
    const elsewhere = await postComment(reader.client, other.slug, 'On the other article.');
    expect((await mod.client.form(`/articles/${c.article.slug}/comments/${elsewhere.id}/decision`, { decision: 'feature' })).status).toBe(404);
  });
});
