import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dialects } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { runCommand } from '../../src/events/command.ts';
import { deleteAccount } from '../../src/accounts/profile.ts';
import { postComment as postCommentCommand, setReaction } from '../../src/comments/commands.ts';
import { followReader, muteReader } from '../../src/community/commands.ts';
import { getSettings } from '../../src/settings/store.ts';
import { DEFAULT_SETTINGS } from '../../src/settings/model.ts';
import { startConversation, type Conversation } from './setup.ts';

// Issue 14, bug 3: a removed comment keeps its place only while it has visible replies; otherwise it
// disappears for everyone but moderators, and the counts stay right.

describe.each(dialects)('deleted comments without replies (%s)', (dialect) => {
  let c: Conversation;
  let base: string;
  beforeAll(async () => {
    c = await startConversation(dialect);
    base = `/api/v1/articles/${c.article.slug}`;
  });
  afterAll(() => c.app.close());

  /** Every comment id a viewer finds in the conversation, threads and nested replies alike. */
  const listed = async (client: TestClient): Promise<number[]> => {
    const ids: number[] = [];
    const walk = (items: any[]) => {
      for (const item of items) {
        ids.push(item.id);
        walk(item.replies ?? []);
      }
    };
    walk((await client.get(`${base}/comments?sort=oldest`)).body.comments);
    return ids;
  };
  const replyCount = async (client: TestClient, id: number) => (await client.get(`/api/v1/comments/${id}`)).body.comment.replyCount;
  const articleCount = async () => (await new TestClient(c.app.baseUrl).get(base)).body.article.commentCount;

  it('a deleted comment with no replies leaves the conversation for its author, other readers and visitors', async () => {
    const { client: author } = await c.reader();
    const { client: other } = await c.reader();
    const before = await articleCount();
    const lonely = (await author.post(`${base}/comments`, { body: 'a passing thought' })).body.comment;
    expect((await author.delete(`/api/v1/comments/${lonely.id}`)).status).toBe(200);
    for (const viewer of [author, other, new TestClient(c.app.baseUrl)]) expect(await listed(viewer)).not.toContain(lonely.id);
    expect(await articleCount()).toBe(before);
    // The article page, without JavaScript, has no placeholder for it either.
    const page = await (await new TestClient(c.app.baseUrl).raw(`/articles/${c.article.slug}`, { headers: { accept: 'text/html' } })).text();
    expect(page).not.toContain(`id="c-${lonely.id}"`);
  });

  it('a deleted comment keeps its place while a reply is visible, and leaves with its last reply; the reply counts follow', async () => {
    const { client: a } = await c.reader();
    const { client: b } = await c.reader();
    const { client: d } = await c.reader();
    // The thread's three replies all on its first page (two by default).
    await c.set('repliesPerThread', 3);
    const root = (await a.post(`${base}/comments`, { body: 'root of the thread' })).body.comment;
    const middle = (await b.post(`${base}/comments`, { body: 'a reply in the middle', parentId: root.id })).body.comment;
    const leaf = (await d.post(`${base}/comments`, { body: 'a reply to the reply', parentId: middle.id })).body.comment;
    const sibling = (await d.post(`${base}/comments`, { body: 'another reply to the root', parentId: root.id })).body.comment;
    expect(await replyCount(a, root.id)).toBe(3);

    // The middle one is deleted, but a visible reply hangs from it: it stays, as a placeholder.
    await b.delete(`/api/v1/comments/${middle.id}`);
    expect(await listed(a)).toEqual([root.id, middle.id, leaf.id, sibling.id]);
    expect(await replyCount(a, root.id)).toBe(3);

    // Its last reply goes: both leave, and the root counts only what is left.
    await d.delete(`/api/v1/comments/${leaf.id}`);
    expect(await listed(a)).toEqual([root.id, sibling.id]);
    expect(await replyCount(a, root.id)).toBe(1);

    // The root, deleted while its other reply stands, stays; once that reply goes, the whole thread is gone.
    await a.delete(`/api/v1/comments/${root.id}`);
    expect(await listed(b)).toEqual([root.id, sibling.id]);
    await d.delete(`/api/v1/comments/${sibling.id}`);
    expect(await listed(b)).not.toContain(root.id);
    const rows = await c.app.ctx.db.kysely.selectFrom('comments').select(['id', 'descendant_count']).where('id', 'in', [root.id, middle.id, leaf.id, sibling.id]).execute();
    expect(rows.map((r) => Number(r.descendant_count))).toEqual([0, 0, 0, 0]);
    await c.set('repliesPerThread', DEFAULT_SETTINGS.repliesPerThread);
  });

  it('a rejected last reply takes a deleted parent with it', async () => {
    const { client: a } = await c.reader();
    const { client: b } = await c.reader();
    const { client: mod } = await c.reader({ role: 'moderator' });
    const root = (await a.post(`${base}/comments`, { body: 'soon deleted' })).body.comment;
    const reply = (await b.post(`${base}/comments`, { body: 'soon rejected', parentId: root.id })).body.comment;
    await a.delete(`/api/v1/comments/${root.id}`);
    expect(await listed(b)).toEqual(expect.arrayContaining([root.id, reply.id]));
    const decided = await mod.post(`/api/v1/moderation/comments/${reply.id}/decision`, { decision: 'reject', reason: 'Off topic.' });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const anyone = await listed(new TestClient(c.app.baseUrl));
    expect(anyone).not.toContain(root.id);
    expect(anyone).not.toContain(reply.id);
  });

  it('a comment deleted twice at once (a double click), or deleted while a moderator rejects it, leaves the counts once', async () => {
    const { client: mod } = await c.reader({ role: 'moderator' });
    await mod.csrfToken();
    for (let round = 0; round < 3; round++) {
      const { client: author } = await c.reader();
      const { client: replier } = await c.reader();
      await author.csrfToken();
      const before = await articleCount();
      const root = (await replier.post(`${base}/comments`, { body: `a thread to answer ${round}` })).body.comment;
      const doomed = (await author.post(`${base}/comments`, { body: `deleted at once ${round}`, parentId: root.id })).body.comment;
      expect(await articleCount()).toBe(before + 2);
      const results = await Promise.all([
        author.delete(`/api/v1/comments/${doomed.id}`),
        author.delete(`/api/v1/comments/${doomed.id}`),
        author.delete(`/api/v1/comments/${doomed.id}`),
        mod.post(`/api/v1/moderation/comments/${doomed.id}/decision`, { decision: 'reject', reason: 'Off topic.' }),
      ]);
      // A write may find the comment deleted meanwhile (403 already_deleted, 409) or be shed (503); none fails.
      for (const res of results) expect([200, 403, 409, 503], JSON.stringify(res.body)).toContain(res.status);
      expect(await articleCount(), `round ${round}`).toBe(before + 1);
      expect(await replyCount(replier, root.id)).toBe(0);
    }
  });

  /**
   * Another transaction holds a comment's row until released: a write that has read its own rows waits
   * there for that one, so a second write can be sent while the first is in flight.
   */
  async function holdRow(id: number): Promise<() => Promise<void>> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const blocker = c.app.ctx.db.kysely.transaction().execute(async (trx) => {
      await trx.selectFrom('comments').select('id').where('id', '=', id).forUpdate().execute();
      locked();
      await held;
    });
    await holding;
    return async () => {
      release();
      await blocker;
    };
  }
  /** Until a statement of the server's mentioning `text` waits for a lock. */
  async function waitsOnLock(text: string, statements = 1): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query ilike ${`%${text}%`}`.execute(c.app.ctx.db.kysely);
      if (rows[0]!.n >= statements) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`fewer than ${statements} statements wait on a lock in: ${text}`);
  }
  /** The thread's first comment's reply count, against what the rows say it should be. */
  async function threadCountIsTrue(client: TestClient, rootId: number): Promise<void> {
    const rows = await c.app.ctx.db.kysely.selectFrom('comments').select(['id', 'parent_id', 'status', 'deleted_at']).where('root_id', '=', rootId).execute();
    const readable = (r: (typeof rows)[number]) => r.status === 'approved' && r.deleted_at === null;
    // A place: readable, or hidden with a place below it.
    const placed = (id: number): boolean => readable(rows.find((r) => Number(r.id) === id)!) || rows.some((r) => Number(r.parent_id) === id && placed(Number(r.id)));
    expect(await replyCount(client, rootId)).toBe(rows.filter((r) => placed(Number(r.id))).length);
  }

  // SQLite has one writer: the two cannot overlap there.
  it.runIf(dialect === 'postgres')('a reply posted, or a held reply approved, while its parent is being deleted leaves the thread’s reply count true to the rows', async () => {
    const { client: author } = await c.reader();
    const { client: replier } = await c.reader();
    const { client: mod } = await c.reader({ role: 'moderator' });
    for (const client of [author, replier, mod]) await client.csrfToken();
    for (const way of ['reply', 'approve'] as const) {
      const root = (await replier.post(`${base}/comments`, { body: `a thread whose reply goes (${way})` })).body.comment;
      const parent = (await author.post(`${base}/comments`, { body: `a reply about to be deleted (${way})`, parentId: root.id })).body.comment;
      let held: number | null = null;
      if (way === 'approve') {
        await mod.put(`${base}/moderation-mode`, { mode: 'pre' });
        held = (await replier.post(`${base}/comments`, { body: 'an answer waiting for a moderator', parentId: parent.id })).body.comment.id;
        await mod.put(`${base}/moderation-mode`, { mode: 'post' });
      }
      expect(await replyCount(replier, root.id)).toBe(1);
      // The deletion reads the parent (no reply with a place, so its own place goes) and waits to take
      // that place off the first comment's count; meanwhile the reply comes, or the held one is approved.
      const release = await holdRow(root.id);
      const deletion = author.delete(`/api/v1/comments/${parent.id}`);
      await waitsOnLock('descendant_count');
      const second =
        way === 'reply'
          ? replier.post(`${base}/comments`, { body: 'an answer sent as the parent goes', parentId: parent.id })
          : mod.post(`/api/v1/moderation/comments/${held}/decision`, { decision: 'approve' });
      // Without the thread locked, the second write read the parent undeleted and went on to the counts.
      await new Promise((r) => setTimeout(r, 300));
      await release();
      const [deleted, other] = await Promise.all([deletion, second]);
      expect(deleted.status).toBe(200);
      // A reply either came first (the parent keeps its place for it) or found the parent deleted.
      expect(way === 'reply' ? [201, 403] : [200]).toContain(other.status);
      await threadCountIsTrue(replier, root.id);
    }
  });

  // A change that locked a comment and then its ancestors (to move their counts) met a reply that
  // locks the thread from its first comment down: each held what the other waited for, until
  // PostgreSQL broke the deadlock after deadlock_timeout and the aborted one was run again.
  it.runIf(dialect === 'postgres')('a reply and a deletion, or a reply and an approval, that meet in one thread wait for each other instead of deadlocking', async () => {
    const { client: author } = await c.reader();
    const { client: replier } = await c.reader();
    const { client: mod } = await c.reader({ role: 'moderator' });
    for (const client of [author, replier, mod]) await client.csrfToken();
    const [{ deadlock_timeout: timeout }] = (await sql<{ deadlock_timeout: string }>`show deadlock_timeout`.execute(c.app.ctx.db.kysely)).rows as [{ deadlock_timeout: string }];
    const deadlockMs = /ms$/.test(timeout) ? Number.parseInt(timeout, 10) : Number.parseInt(timeout, 10) * 1000;
    for (const way of ['delete', 'approve'] as const) {
      const root = (await replier.post(`${base}/comments`, { body: `a thread that meets itself (${way})` })).body.comment;
      let target = (await author.post(`${base}/comments`, { body: `the comment both writes want (${way})`, parentId: root.id })).body.comment.id as number;
      if (way === 'approve') {
        await mod.put(`${base}/moderation-mode`, { mode: 'pre' });
        target = (await author.post(`${base}/comments`, { body: 'a reply waiting for a moderator', parentId: target })).body.comment.id;
        await mod.put(`${base}/moderation-mode`, { mode: 'post' });
      }
      // The change waits for the comment's row; the reply takes the thread above it and waits there too
      // (a held comment is a reply's parent only for its own author).
      const release = await holdRow(target);
      const change = way === 'delete' ? author.delete(`/api/v1/comments/${target}`) : mod.post(`/api/v1/moderation/comments/${target}/decision`, { decision: 'approve' });
      await waitsOnLock('for update');
      const reply = (way === 'delete' ? replier : author).post(`${base}/comments`, { body: `an answer as the comment changes (${way})`, parentId: target });
      await waitsOnLock('for update', 2);
      const started = performance.now();
      await release();
      const [changed, replied] = await Promise.all([change, reply]);
      const ms = performance.now() - started;
      expect(changed.status).toBe(200);
      // The change went first: a deleted parent takes no reply; an approved one does.
      expect(replied.status).toBe(way === 'delete' ? 403 : 201);
      expect(ms, `${way}: both answered ${ms.toFixed(0)} ms after the row was free`).toBeLessThan(deadlockMs);
      await threadCountIsTrue(replier, root.id);
    }
  });

  it('refuses a comment, a reaction, a follow or a mute from a reader whose account was deleted after their session was read, instead of writing it past the erasure', async () => {
    const { user } = await c.reader();
    const before = await articleCount();
    await deleteAccount(c.app.ctx, user.id, { password: '' });
    // The request that read the session a moment before the deletion committed reaches the write now.
    const late = postCommentCommand(c.app.ctx, { articleId: Number(c.article.id), author: { id: user.id, handle: user.handle, displayName: user.displayName }, body: 'written after my account went', parentId: null }, await getSettings(c.app.ctx.db.kysely));
    await expect(late).rejects.toMatchObject({ status: 403, code: 'signed_out' });
    expect(await articleCount()).toBe(before);
    const { user: other } = await c.reader();
    const theirs = await postCommentCommand(c.app.ctx, { articleId: Number(c.article.id), author: { id: other.id, handle: other.handle, displayName: other.displayName }, body: 'still here', parentId: null }, await getSettings(c.app.ctx.db.kysely));
    await expect(setReaction(c.app.ctx, theirs, user.id, true)).rejects.toMatchObject({ status: 403, code: 'signed_out' });
    await expect(followReader(c.app.ctx, user.id, other.id)).rejects.toMatchObject({ status: 403, code: 'signed_out' });
    await expect(muteReader(c.app.ctx, user.id, other.id)).rejects.toMatchObject({ status: 403, code: 'signed_out' });
    const db = c.app.ctx.db.kysely;
    expect(await db.selectFrom('comment_reactions').select('user_id').where('user_id', '=', user.id).execute()).toEqual([]);
    expect(await db.selectFrom('reader_follows').select('follower_id').where('follower_id', '=', user.id).execute()).toEqual([]);
    expect(await db.selectFrom('reader_mutes').select('muter_id').where('muter_id', '=', user.id).execute()).toEqual([]);
    // The reader who is still here acts as before.
    expect((await setReaction(c.app.ctx, theirs, (await c.reader()).user.id, true)).reactionCount).toBe(1);
  });

  it('deleting an account removes its comments that have no replies, and keeps the places of those that do', async () => {
    const { user, client: leaving } = await c.reader();
    const { client: other } = await c.reader();
    const answered = (await leaving.post(`${base}/comments`, { body: 'answered' })).body.comment;
    const unanswered = (await leaving.post(`${base}/comments`, { body: 'unanswered' })).body.comment;
    const ownReply = (await leaving.post(`${base}/comments`, { body: 'my own reply', parentId: unanswered.id })).body.comment;
    const answer = (await other.post(`${base}/comments`, { body: 'an answer', parentId: answered.id })).body.comment;
    const before = await articleCount();
    const handler = c.app.ctx.personalData.find((h) => h.name === 'comments')!;
    await runCommand(c.app.ctx, (tx) => handler.erase(tx, user.id));
    const seen = await listed(other);
    expect(seen).toEqual(expect.arrayContaining([answered.id, answer.id]));
    for (const gone of [unanswered.id, ownReply.id]) expect(seen).not.toContain(gone);
    expect(await replyCount(other, answered.id)).toBe(1);
    expect(await articleCount()).toBe(before - 3);
  });
});
