import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/accounts/sessions.ts';
import { TestClient } from '../helpers/client.ts';
import { dialects } from '../helpers/app.ts';
import { postComment, startConversation, type Conversation } from './setup.ts';

// Issue 14, the last of the interface: where the confirmation link went, shown in the conversation;
// the fragments the island fetches carry a moderator's buttons as the page does (and nobody else's);
// the Featured section as a fragment for open pages; respect counts that read well.


describe.each(dialects)('the interface, finished, on %s', (dialect) => {
  let c: Conversation;
  let articlePath: string;
  beforeAll(async () => {
    c = await startConversation(dialect);
    articlePath = `/articles/${c.article.slug}`;
  });
  afterAll(async () => c.app.close());

  it('tells a reader who has not confirmed their address where the link went, on their own page only', async () => {
    const { user, client } = await c.reader({ displayName: 'Pat Pending', verified: false });
    const join = await client.page(`/fragments/articles/${c.article.slug}/join`);
    expect(join).toContain(`We sent a confirmation link to <strong class="comments__address">${user.email}</strong>. Open it to start commenting.`);
    expect(join).toContain('<a href="/account">Ask for a new link</a>');
    expect(await client.page(articlePath)).toContain(user.email);
    // Nobody else, and not the page every anonymous reader shares (fetched twice: the second from the cache).
    const anonymous = new TestClient(c.app.baseUrl);
    for (let i = 0; i < 2; i++) expect(await anonymous.page(articlePath)).not.toContain(user.email);
    const { client: verified } = await c.reader({ displayName: 'Vera Verified' });
    const page = await verified.page(articlePath);
    expect(page).not.toContain(user.email);
    expect(page).not.toContain('Check your mail');
  });

  it('gives the fragments a moderator fetches the buttons the page gives them, and nobody else', async () => {
    const { client: author } = await c.reader({ displayName: 'Fran Fragment' });
    const root = await postComment(author, c.article.slug, `A root for the fragments ${Date.now()}`);
    const reply = await postComment(author, c.article.slug, 'A reply for the fragments', root.id);
    const { client: moderator, user: mod } = await c.reader({ displayName: 'Mona Moderator', role: 'moderator' });
    const { client: reader } = await c.reader({ displayName: 'Rhea Reader' });

    const page = await moderator.page(articlePath);
    expect(page).toMatch(new RegExp(`id="c-${root.id}"[\\s\\S]*?data-mod-controls`));
    const paths = [`/fragments/comments/${root.id}`, `/fragments/comments/${reply.id}`, `/fragments/comments/${root.id}/replies`, `/fragments/articles/${c.article.slug}/threads`];
    for (const path of paths) {
      const fragment = await moderator.page(path);
      expect(fragment, path).toContain('data-mod-controls');
      expect(fragment, path).toContain(`action="/articles/${c.article.slug}/comments/${path.includes(String(reply.id)) || path.endsWith('replies') ? reply.id : root.id}/decision"`);
      expect(fragment, path).toMatch(/name="_csrf" value="[^"]+"/);
      for (const viewer of [reader, author, new TestClient(c.app.baseUrl)]) expect(await viewer.page(path), path).not.toContain('data-mod-controls');
    }
    // A publisher's frame gets none, as its page gives none: by bearer token, or from a page under /embed/.
    const { token } = await createSession(c.app.ctx.db.kysely, { id: mod.id, role: 'moderator' }, { persistent: false, userAgent: 'test' });
    const bearer = new TestClient(c.app.baseUrl);
    expect(await bearer.page(`/fragments/comments/${root.id}`, { authorization: `Bearer ${token}` })).not.toContain('data-mod-controls');
    expect(await moderator.page(`/fragments/comments/${root.id}`, { referer: `${c.app.baseUrl}/embed/example?url=x` })).not.toContain('data-mod-controls');
  });

  it('serves the Featured section as it is now, the same for everyone', async () => {
    const { client: author } = await c.reader({ displayName: 'Fern Featured' });
    const chosen = await postComment(author, c.article.slug, `Worth reading ${Date.now()}`);
    const { client: moderator } = await c.reader({ displayName: 'Max Moderator', role: 'moderator' });
    const anonymous = new TestClient(c.app.baseUrl);
    const path = `/fragments/articles/${c.article.slug}/featured`;
    expect(await anonymous.page(path)).not.toContain(`data-featured="${chosen.id}"`);
    expect((await moderator.post(`/api/v1/moderation/comments/${chosen.id}/decision`, { decision: 'feature', reason: 'Because <b>it</b> is good' })).status).toBe(200);
    const fragment = await anonymous.page(path);
    expect(fragment).toContain('<section class="comments__featured"');
    expect(fragment).toContain(`data-featured="${chosen.id}"`);
    expect(fragment).toContain('Because &lt;b>it&lt;/b> is good');
    expect(await author.page(path)).toBe(fragment);
    expect((await moderator.post(`/api/v1/moderation/comments/${chosen.id}/decision`, { decision: 'unfeature' })).status).toBe(200);
    expect(await anonymous.page(path)).not.toContain(`data-featured="${chosen.id}"`);
  });

  it('says "2 respects" beside the Respect button, and names the button with it', async () => {
    const { client: author } = await c.reader({ displayName: 'Ruth Respected' });
    const comment = await postComment(author, c.article.slug, `Respect me ${Date.now()}`);
    const fans = await Promise.all([c.reader({ displayName: 'First Fan' }), c.reader({ displayName: 'Second Fan' })]);
    for (const fan of fans) expect((await fan.client.put(`/api/v1/comments/${comment.id}/reaction`)).status).toBe(200);
    const footer = (page: string) => page.match(new RegExp(`id="c-${comment.id}"[\\s\\S]*?<footer>([\\s\\S]*?)</footer>`))![1]!;
    const seen = footer(await (fans[0]!.client).page(`/fragments/comments/${comment.id}`));
    expect(seen).toContain('aria-pressed="true" aria-label="Respect — 2 respects">Respect</a>');
    expect(seen).toContain('<data value="2" aria-hidden="true">2 respects</data>');
    expect(seen).not.toMatch(/Respect <span/);
    const { client: other } = await c.reader({ displayName: 'Not Yet A Fan' });
    expect(footer(await other.page(`/fragments/comments/${comment.id}`))).toContain('aria-pressed="false" aria-label="Respect — 2 respects">Respect</a>');
    expect(footer(await author.page(`/fragments/comments/${comment.id}`))).toContain('<data value="2">2 respects</data>');
  });

  it('answers 404 for a deleted comment no reply holds in place, so that open pages drop it (bug 3)', async () => {
    const { client: author } = await c.reader({ displayName: 'Del Eted' });
    const { client: other } = await c.reader({ displayName: 'Otto Watcher' });
    const lonely = await postComment(author, c.article.slug, 'Nobody will answer this');
    const held = await postComment(author, c.article.slug, 'Somebody will answer this');
    await postComment(other, c.article.slug, 'An answer', held.id);
    for (const comment of [lonely, held]) expect((await author.delete(`/api/v1/comments/${comment.id}`)).status).toBe(200);
    for (const viewer of [author, other, new TestClient(c.app.baseUrl)]) {
      expect((await viewer.raw(`/fragments/comments/${lonely.id}`, { headers: { accept: 'text/html' } })).status).toBe(404);
      const placeholder = await viewer.raw(`/fragments/comments/${held.id}`, { headers: { accept: 'text/html' } });
      expect(placeholder.status).toBe(200);
      const text = await placeholder.text();
      expect(text).toContain('Deleted by its author.');
      expect(text).not.toContain('Somebody will answer this');
    }
  });
});
