import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import { dialects } from '../helpers/app.ts';
import { runCommand } from '../../src/events/command.ts';
import { sanctionReader } from '../../src/moderation/commands.ts';
import { startConversation, type Conversation } from './setup.ts';

const decode = (html: string) => html.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

describe.each(dialects)('the conversation without JavaScript on %s', (dialect) => {
  let c: Conversation;
  let articlePath: string;
  beforeAll(async () => {
    c = await startConversation(dialect);
    articlePath = `/articles/${c.article.slug}`;
  });
  afterAll(async () => c.app.close());

  it('invites anonymous readers to sign in and come back to the conversation', async () => {
    const html = await new TestClient(c.app.baseUrl).page(articlePath);
    expect(html).toContain('id="comments"');
    const next = encodeURIComponent(`${articlePath}#comments`);
    expect(html).toContain(`href="/signin?next=${next}"`);
    expect(html).toContain(`href="/register?next=${next}"`);
    expect(html).toContain('to join the conversation');
    expect(html).not.toContain('<textarea');
  });

  it('posts, replies, reacts and deletes through plain forms', async () => {
    const { client: a } = await c.reader({ displayName: 'Form A' });
    const { client: b } = await c.reader({ displayName: 'Form B' });
    expect(await a.page(articlePath)).toContain('<textarea id="comment-body" name="body"');

    const posted = await a.form(`${articlePath}/comments`, { body: 'A *plain* form' });
    expect(posted.status).toBe(303);
    const location = posted.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${articlePath}\\?sort=newest#c-\\d+$`));
    const rootId = Number(location.split('#c-')[1]);
    expect(await b.page(articlePath)).toContain('<p>A <em>plain</em> form</p>');

    const replied = await b.form(`${articlePath}/comments`, { body: 'A reply by form', parentId: String(rootId) });
    expect(replied.status).toBe(303);
    const replyLocation = replied.headers.get('location')!;
    const replyId = Number(replyLocation.split('#c-')[1]);
    expect(replyLocation).toBe(`${articlePath}/comments/${replyId}#c-${replyId}`);
    const permalink = await b.page(replyLocation.split('#')[0]!);
    expect(permalink).toContain('Earlier in this thread');
    expect(permalink).toContain('A <em>plain</em> form');
    expect(permalink).toContain('A reply by form');

    const reacted = await b.form(`/comments/${rootId}/reaction`, { on: '1' });
    expect(reacted.status).toBe(303);
    expect(decode(await b.page(articlePath))).toMatch(new RegExp(`href="/comments/${rootId}/react" aria-pressed="true" aria-label="Respect — 1 respect">Respect</a><data value="1" aria-hidden="true">1 respect</data>`));

    const deleted = await a.form(`/comments/${rootId}/delete`, {});
    expect(deleted.status).toBe(303);
    const after = await b.page(articlePath);
    expect(after).toContain('Deleted by its author.');
    expect(after).not.toContain('A <em>plain</em> form');
    expect(after).toContain('A reply by form');
  });

  it('keeps the text and explains when a post is refused', async () => {
    const { client } = await c.reader();
    await c.set('commentMaxLength', 20);
    try {
      const res = await client.form(`${articlePath}/comments`, { body: 'This is far too long for the limit <b>' });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('the limit is 20. Please shorten it.');
      expect(html).toContain('This is far too long for the limit &lt;b></textarea>');
      const empty = await client.form(`${articlePath}/comments`, { body: '' });
      expect(empty.status).toBe(400);
      expect(await empty.text()).toContain('the comment is empty');
    } finally {
      await c.set('commentMaxLength', 5000);
    }
    await c.set('commentIntervalSeconds', 60);
    try {
      await client.form(`${articlePath}/comments`, { body: 'one' });
      const fast = await client.form(`${articlePath}/comments`, { body: 'two, kept' });
      expect(fast.status).toBe(429);
      expect(fast.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await fast.text()).toContain('two, kept</textarea>');
    } finally {
      await c.set('commentIntervalSeconds', 0);
    }
  });

  it('edits through the edit page, and marks the comment edited', async () => {
    const { client } = await c.reader();
    const res = await client.form(`${articlePath}/comments`, { body: 'typo heer' });
    const id = Number(res.headers.get('location')!.split('#c-')[1]);
    expect(await client.page(`/comments/${id}/edit`)).toContain('typo heer</textarea>');
    const saved = await client.form(`/comments/${id}/edit`, { body: 'typo here' });
    expect(saved.status).toBe(303);
    const html = await client.page(`${articlePath}/comments/${id}`);
    expect(html).toContain('<p>typo here</p>');
    expect(html).toContain('class="comment__edited">edited');
  });

  it('refuses the edit page and its form to a reader suspended since writing, saying why', async () => {
    const { user, client } = await c.reader();
    const res = await client.form(`${articlePath}/comments`, { body: 'written before the suspension' });
    const id = Number(res.headers.get('location')!.split('#c-')[1]);
    const moderator = (await c.reader({ role: 'moderator' })).user;
    const actor = { userId: moderator.id, handle: moderator.handle, displayName: moderator.displayName, role: 'moderator' as const, emailVerified: true, sessionId: 0 };
    await sanctionReader(c.app.ctx, actor, user.id, { kind: 'suspend', until: new Date(Date.now() + 86_400_000), reason: 'Cool off' });
    const page = await client.raw(`/comments/${id}/edit`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('You are suspended from commenting until');
    const saved = await client.form(`/comments/${id}/edit`, { body: 'rewritten while suspended' });
    expect(saved.status).toBe(403);
    expect(await client.page(`${articlePath}/comments/${id}`)).toContain('<p>written before the suspension</p>');
  });

  it('pages a long thread on its own page with "more replies" links', async () => {
    const { client: a } = await c.reader();
    await c.set('repliesPerPage', 3);
    const root = (await a.post(`/api/v1/articles/${c.article.slug}/comments`, { body: 'long thread' })).body.comment;
    for (let i = 0; i < 7; i++) await a.post(`/api/v1/articles/${c.article.slug}/comments`, { body: `r${i}`, parentId: root.id });
    const seen: string[] = [];
    let path: string | null = `${articlePath}/comments/${root.id}`;
    while (path) {
      const html = decode(await a.page(path));
      seen.push(...[...html.matchAll(/<p>(r\d)<\/p>/g)].map((m) => m[1]!));
      const more = /href="([^"]+)#replies" data-more-replies/.exec(html);
      if (!more) break;
      // The link is the comment's short address; it leads to the page under the article, cursor and all.
      expect(more[1]).toMatch(new RegExp(`^/comments/${root.id}\\?cursor=`));
      const hop = await a.raw(more[1]!, { headers: { accept: 'text/html' } });
      expect(hop.status).toBe(301);
      path = hop.headers.get('location');
      expect(path).toBe(`${articlePath}/comments/${root.id}${more[1]!.slice(more[1]!.indexOf('?'))}`);
    }
    expect(seen).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    await c.set('repliesPerPage', 50);
  });

  it('leads a comment’s short address to its page under the article, and only for comments the reader may see', async () => {
    const { client: a } = await c.reader();
    const { client: other } = await c.reader();
    const root = (await a.post(`/api/v1/articles/${c.article.slug}/comments`, { body: 'short and sweet' })).body.comment;
    const html = decode(await new TestClient(c.app.baseUrl).page(articlePath));
    // Its time links to the short address.
    expect(html).toMatch(new RegExp(`<a href="/comments/${root.id}"><time datetime=`));
    const hop = await other.raw(`/comments/${root.id}`, { headers: { accept: 'text/html' } });
    expect(hop.status).toBe(301);
    expect(hop.headers.get('location')).toBe(`${articlePath}/comments/${root.id}`);
    expect(await other.page(hop.headers.get('location')!)).toContain('<p>short and sweet</p>');
    // No such comment, or one the reader may not see: a page that says so, not a redirect.
    for (const path of ['/comments/99999999', '/comments/0', '/comments/abc']) {
      const res = await other.raw(path, { headers: { accept: 'text/html' } });
      expect([400, 404], path).toContain(res.status);
      expect(res.headers.get('location'), path).toBeNull();
    }
    const held = await c.app.ctx.db.kysely.updateTable('comments').set({ status: 'held' }).where('id', '=', root.id).execute();
    expect(held.length).toBe(1);
    expect((await other.raw(`/comments/${root.id}`, { headers: { accept: 'text/html' } })).status).toBe(404);
    // Its author still may.
    expect((await a.raw(`/comments/${root.id}`, { headers: { accept: 'text/html' } })).status).toBe(301);
    await c.app.ctx.db.kysely.updateTable('comments').set({ status: 'approved' }).where('id', '=', root.id).execute();
  });

  it('exports my comments and blanks them when my account is deleted', async () => {
    const { user, client } = await c.reader();
    const { client: other } = await c.reader();
    const mine = (await client.post(`/api/v1/articles/${c.article.slug}/comments`, { body: 'my words' })).body.comment;
    const theirs = (await other.post(`/api/v1/articles/${c.article.slug}/comments`, { body: 'their words' })).body.comment;
    await client.put(`/api/v1/comments/${theirs.id}/reaction`);
    const handler = c.app.ctx.personalData.find((h) => h.name === 'comments')!;
    const exported = (await handler.export(c.app.ctx.db.kysely, user.id)) as any;
    expect(exported.comments.map((x: any) => x.body)).toEqual(['my words']);
    expect(exported.reactions).toEqual([{ commentId: theirs.id, createdAt: expect.any(String) }]);
    const countBefore = (await other.get(`/api/v1/articles/${c.article.slug}`)).body.article.commentCount;
    await runCommand(c.app.ctx, (tx) => handler.erase(tx, user.id));
    const gone = (await other.get(`/api/v1/comments/${mine.id}`)).body.comment;
    expect(gone).toMatchObject({ deleted: true, bodyHtml: '', author: null });
    expect((await other.get(`/api/v1/comments/${theirs.id}`)).body.comment.reactionCount).toBe(0);
    expect((await other.get(`/api/v1/articles/${c.article.slug}`)).body.article.commentCount).toBe(countBefore - 1);
  });
});
