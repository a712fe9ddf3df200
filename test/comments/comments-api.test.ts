import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import { dialects } from '../helpers/app.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/model.ts';
import { startConversation, type Conversation } from './setup.ts';

describe.each(dialects)('comments API on %s', (dialect) => {
  let c: Conversation;
  let base: string;
  beforeAll(async () => {
    c = await startConversation(dialect);
    base = `/api/v1/articles/${c.article.slug}`;
  });
  afterAll(async () => c.app.close());

  const articleCount = async () => (await new TestClient(c.app.baseUrl).get(base)).body.article.commentCount as number;

  it('lets anyone read, and only verified readers post', async () => {
    const anonymous = new TestClient(c.app.baseUrl);
    const list = await anonymous.get(`${base}/comments`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ comments: [], nextCursor: null });
    const denied = await anonymous.post(`${base}/comments`, { body: 'hello' });
    expect(denied.status).toBe(401);
    expect(denied.body.error.code).toBe('unauthenticated');
    const { client: unverified } = await c.reader({ verified: false });
    const refused = await unverified.post(`${base}/comments`, { body: 'hello' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'email_unverified', message: expect.stringMatching(/verify your e-mail address first.*\/account/) });
  });

  it('posts a comment, renders its Markdown and counts it on the article in the same change', async () => {
    const { user, client } = await c.reader({ displayName: 'Ada Post' });
    const before = await articleCount();
    const res = await client.post(`${base}/comments`, { body: 'I *agree*. See https://example.org <script>alert(1)</script>' });
    expect(res.status).toBe(201);
    const comment = res.body.comment;
    expect(comment).toMatchObject({ parentId: null, depth: 0, deleted: false, editedAt: null, reactionCount: 0, replyCount: 0, author: { handle: user.handle, displayName: 'Ada Post' } });
    expect(comment.bodyHtml).toBe('<p>I <em>agree</em>. See <a href="https://example.org" rel="nofollow ugc noopener">https://example.org</a> &lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(comment.url).toBe(`/articles/${c.article.slug}/comments/${comment.id}`);
    expect(await articleCount()).toBe(before + 1);
  });

  it('refuses an empty or oversized comment with a message, and without CSRF', async () => {
    const { client } = await c.reader();
    const empty = await client.post(`${base}/comments`, { body: '   \n ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toEqual({ code: 'invalid_comment', message: 'Write something before posting: the comment is empty.' });
    await c.set('commentMaxLength', 10);
    try {
      const long = await client.post(`${base}/comments`, { body: 'x'.repeat(11) });
      expect(long.status).toBe(400);
      expect(long.body.error.message).toBe('The comment is 11 characters long; the limit is 10. Please shorten it.');
      // Characters, not UTF-16 units: ten emoji fit.
      expect((await client.post(`${base}/comments`, { body: '😀'.repeat(10) })).status).toBe(201);
    } finally {
      await c.set('commentMaxLength', 5000);
    }
    await client.csrfToken();
    const forged = await client.json('POST', `${base}/comments`, { body: 'no token' }, { csrf: false });
    expect(forged.status).toBe(403);
    expect(JSON.stringify((await client.get(`${base}/comments?sort=newest`)).body)).not.toContain('no token');
    const missing = await client.post(`${base}/comments`, { text: 'wrong field' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('invalid_request');
  });

  it('limits a reader to one comment per interval and refuses the same text twice', async () => {
    const { client } = await c.reader();
    await c.set('commentIntervalSeconds', 3);
    try {
      expect((await client.post(`${base}/comments`, { body: 'first' })).status).toBe(201);
      const fast = await client.post(`${base}/comments`, { body: 'second' });
      expect(fast.status).toBe(429);
      expect(fast.body.error.code).toBe('rate_limited');
      expect(Number(fast.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(fast.res.headers.get('retry-after'))).toBeLessThanOrEqual(3);
    } finally {
      await c.set('commentIntervalSeconds', 0);
    }
    const again = await client.post(`${base}/comments`, { body: ' first ' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('duplicate_comment');
  });

  it('answers a POST with the comment exactly as a read returns it, for threads, replies, deep replies and held comments', async () => {
    const { client: a } = await c.reader({ displayName: 'Same Answer A' });
    const { client: b } = await c.reader({ displayName: 'Same Answer B', role: 'moderator' });
    let parentId: number | undefined;
    // Deeper than the page indents, so the deepest ones name the comment they answer.
    const texts = ['A *first* point.', 'An answer with `code`.', 'Then a **third** voice.', 'Quoting:\n\n> earlier words', 'Five, with a list:\n\n- one\n- two', 'Six is the deepest here.'];
    for (const [depth, text] of texts.entries()) {
      const res = await (depth % 2 ? b : a).post(`${base}/comments`, { body: text, ...(parentId ? { parentId } : {}) });
      expect(res.status).toBe(201);
      // Read at once: the next reply changes this one's reply count.
      const read = await (depth % 2 ? b : a).get(`/api/v1/comments/${res.body.comment.id}`);
      expect(read.body.comment, `comment at depth ${depth}`).toEqual(res.body.comment);
      parentId = res.body.comment.id;
    }
    await c.set('suspectWords', ['kerfuffle']);
    const held = await a.post(`${base}/comments`, { body: 'What a kerfuffle.' });
    await c.set('suspectWords', []);
    expect(held.body.comment.moderation).toEqual({ status: 'held' });
    expect((await a.get(`/api/v1/comments/${held.body.comment.id}`)).body.comment).toEqual(held.body.comment);
  });

  it('threads replies at any depth and shows a comment with its ancestors', async () => {
    const { client: a } = await c.reader({ displayName: 'Thread A' });
    const { client: b } = await c.reader({ displayName: 'Thread B' });
    // All three replies on the thread's first page (two by default).
    await c.set('repliesPerThread', 3);
    const root = (await a.post(`${base}/comments`, { body: 'root' })).body.comment;
    const r1 = (await b.post(`${base}/comments`, { body: 'reply 1', parentId: root.id })).body.comment;
    const r2 = (await a.post(`${base}/comments`, { body: 'reply 2', parentId: r1.id })).body.comment;
    const r3 = (await b.post(`${base}/comments`, { body: 'reply 3', parentId: root.id })).body.comment;
    expect(r2).toMatchObject({ parentId: r1.id, rootId: root.id, depth: 2 });

    const page = (await a.get(`${base}/comments?sort=newest`)).body.comments;
    const thread = page.find((t: any) => t.id === root.id);
    expect(thread.replyCount).toBe(3);
    expect(thread.replies.map((r: any) => r.id)).toEqual([r1.id, r3.id]);
    expect(thread.replies[0].replies.map((r: any) => r.id)).toEqual([r2.id]);
    expect(thread.replies[0].replyCount).toBe(1);

    const permalink = await a.get(`/api/v1/comments/${r2.id}`);
    expect(permalink.body.ancestors.map((x: any) => x.id)).toEqual([root.id, r1.id]);
    expect(permalink.body.comment.id).toBe(r2.id);

    const other = await c.importArticle('Another story entirely');
    const cross = await a.post(`/api/v1/articles/${other.slug}/comments`, { body: 'wrong place', parentId: root.id });
    expect(cross.status).toBe(404);
    expect(cross.body.error.code).toBe('parent_not_found');
    expect((await a.get('/api/v1/comments/999999')).status).toBe(404);
    await c.set('repliesPerThread', DEFAULT_SETTINGS.repliesPerThread);
  });

  it('edits within the window, keeps earlier versions for moderators, and refuses after it', async () => {
    const { client: author } = await c.reader();
    const { client: other } = await c.reader();
    const { client: moderator } = await c.reader({ role: 'moderator' });
    const comment = (await author.post(`${base}/comments`, { body: 'frist' })).body.comment;
    const edited = await author.patch(`/api/v1/comments/${comment.id}`, { body: 'first' });
    expect(edited.status).toBe(200);
    expect(edited.body.comment.editedAt).not.toBeNull();
    expect(edited.body.comment.bodyHtml).toBe('<p>first</p>');
    expect((await other.patch(`/api/v1/comments/${comment.id}`, { body: 'mine now' })).status).toBe(403);
    expect((await author.get(`/api/v1/comments/${comment.id}`)).body.revisions).toBeUndefined();
    const seen = await moderator.get(`/api/v1/comments/${comment.id}`);
    expect(seen.body.revisions.map((r: any) => r.body)).toEqual(['frist']);
    await c.set('editWindowMinutes', 0);
    try {
      const late = await author.patch(`/api/v1/comments/${comment.id}`, { body: 'too late' });
      expect(late.status).toBe(403);
      expect(late.body.error.code).toBe('edit_window_passed');
    } finally {
      await c.set('editWindowMinutes', 15);
    }
  });

  it('deletes my comment: the text goes, its place and its replies stay, the count drops', async () => {
    const { client: author } = await c.reader();
    const { client: other } = await c.reader();
    const root = (await author.post(`${base}/comments`, { body: 'regrettable' })).body.comment;
    const reply = (await other.post(`${base}/comments`, { body: 'a reply', parentId: root.id })).body.comment;
    await author.patch(`/api/v1/comments/${root.id}`, { body: 'regrettable, edited' });
    const before = await articleCount();
    expect((await other.delete(`/api/v1/comments/${root.id}`)).status).toBe(403);
    const res = await author.delete(`/api/v1/comments/${root.id}`);
    expect(res.status).toBe(200);
    expect(res.body.comment).toMatchObject({ deleted: true, bodyHtml: '', author: null, replyCount: 1 });
    expect(await articleCount()).toBe(before - 1);
    const thread = (await other.get(`${base}/comments?sort=newest`)).body.comments.find((t: any) => t.id === root.id);
    expect(thread.replies.map((r: any) => r.id)).toEqual([reply.id]);
    const row = await c.app.ctx.db.kysely.selectFrom('comments').select(['body', 'body_html']).where('id', '=', root.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ body: '', body_html: '' });
    const revisions = await c.app.ctx.db.kysely.selectFrom('comment_revisions').select('id').where('comment_id', '=', root.id).execute();
    expect(revisions).toEqual([]);
    expect((await author.delete(`/api/v1/comments/${root.id}`)).status).toBe(403);
    expect((await other.post(`${base}/comments`, { body: 'reply to the deleted', parentId: root.id })).status).toBe(403);
  });

  it('counts one reaction per reader, toggled, never on my own comment', async () => {
    const { client: author } = await c.reader();
    const { client: fan } = await c.reader();
    const comment = (await author.post(`${base}/comments`, { body: 'react to me' })).body.comment;
    expect((await fan.put(`/api/v1/comments/${comment.id}/reaction`)).body).toEqual({ reactionCount: 1, reacted: true });
    expect((await fan.put(`/api/v1/comments/${comment.id}/reaction`)).body).toEqual({ reactionCount: 1, reacted: true });
    const listed = (await fan.get(`${base}/comments?sort=reactions`)).body.comments[0];
    expect(listed).toMatchObject({ id: comment.id, reactionCount: 1, reacted: true });
    expect((await fan.delete(`/api/v1/comments/${comment.id}/reaction`)).body).toEqual({ reactionCount: 0, reacted: false });
    expect((await fan.delete(`/api/v1/comments/${comment.id}/reaction`)).body).toEqual({ reactionCount: 0, reacted: false });
    const own = await author.put(`/api/v1/comments/${comment.id}/reaction`);
    expect(own.status).toBe(403);
    expect((await new TestClient(c.app.baseUrl).json('PUT', `/api/v1/comments/${comment.id}/reaction`, undefined, { csrf: false })).status).toBe(403);
  });

  it('closes a conversation by hand (staff only) and automatically after N days; it stays readable', async () => {
    const { client: reader } = await c.reader();
    const { client: staff } = await c.reader({ role: 'staff' });
    expect((await reader.delete(`${base}/comments-open`)).status).toBe(403);
    expect((await staff.delete(`${base}/comments-open`)).body).toEqual({ commentsOpen: false });
    const closed = await reader.post(`${base}/comments`, { body: 'anyone there?' });
    expect(closed.status).toBe(403);
    expect(closed.body.error).toMatchObject({ code: 'comments_closed', message: expect.stringMatching(/closed/) });
    expect((await reader.get(`${base}/comments`)).status).toBe(200);
    expect((await staff.put(`${base}/comments-open`)).body).toEqual({ commentsOpen: true });
    // The example article was published in 2017.
    await c.set('autoCloseDays', 30);
    try {
      expect((await reader.post(`${base}/comments`, { body: 'late to the party' })).body.error.code).toBe('comments_closed');
    } finally {
      await c.set('autoCloseDays', null);
    }
    expect((await reader.post(`${base}/comments`, { body: 'open again' })).status).toBe(201);
  });

  it('answers bad cursors and sorts with a 400', async () => {
    const anonymous = new TestClient(c.app.baseUrl);
    expect((await anonymous.get(`${base}/comments?cursor=garbage`)).body.error.code).toBe('invalid_cursor');
    expect((await anonymous.get(`${base}/comments?sort=loudest`)).status).toBe(400);
    expect((await anonymous.get(`/api/v1/articles/no-such/comments`)).status).toBe(404);
  });
});
