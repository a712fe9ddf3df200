import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestDialect } from '../helpers/app.ts';
import { dialects } from '../helpers/app.ts';
import type { TestClient } from '../helpers/client.ts';
import type { TestUser } from '../helpers/users.ts';
import { sleep } from '../helpers/wait.ts';
import { startConversation, postComment, type Conversation } from '../comments/setup.ts';

// Issue 14, bug 8: a reader mentioned in a held comment hears of it when a moderator approves it —
// not while it is held (nobody else can read it yet), and once, however often it is decided again.

type Reader = { user: TestUser; client: TestClient };

describe.each(dialects)('mentions in held comments on %s', (dialect: TestDialect) => {
  let conversation: Conversation;
  let app: TestApp;
  let moderator: Reader;
  beforeAll(async () => {
    conversation = await startConversation(dialect);
    app = conversation.app;
    moderator = await conversation.reader({ role: 'moderator' });
    // Every reader's comment waits for a moderator.
    await conversation.set('premodAll', true);
  });
  afterAll(async () => app?.close());

  const list = async (who: Reader) => (await who.client.get('/api/v1/notifications')).body.notifications as Array<{ kind: string; commentId: number | null; actor: { handle: string } | null }>;
  const mentions = async (who: Reader) => (await list(who)).filter((n) => n.kind === 'mention');
  async function settle(who: Reader, ok: (mentions: Awaited<ReturnType<typeof list>>) => boolean) {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = await mentions(who);
      if (ok(found)) return found;
      if (Date.now() > deadline) throw new Error(`mentions never matched: ${JSON.stringify(found)}`);
      await sleep(25);
    }
  }
  const decide = async (id: number, decision: string) => {
    const res = await moderator.client.post(`/api/v1/moderation/comments/${id}/decision`, { decision, ...(decision === 'reject' ? { reason: 'Off topic' } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  /** Waits until the notifications subscriber has caught up with everything so far. */
  const caughtUp = async (author: Reader) => {
    await settle(author, () => true);
    await sleep(300);
  };

  it('notifies the mentioned reader when the held comment is approved, not before, and only once', async () => {
    const a = await conversation.reader();
    const b = await conversation.reader();
    const comment = await postComment(b.client, conversation.article.slug, `Good point, @${a.user.handle}, I had not thought of that.`);
    const stored = await app.ctx.db.kysely.selectFrom('comments').select('status').where('id', '=', comment.id).executeTakeFirstOrThrow();
    expect(stored.status).toBe('held');
    await caughtUp(b);
    expect(await mentions(a)).toEqual([]);

    await decide(comment.id, 'approve');
    const found = await settle(a, (m) => m.length > 0);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'mention', commentId: comment.id, actor: { handle: b.user.handle } });

    // Featured, then hidden and approved again: still the one notification.
    await decide(comment.id, 'feature');
    await decide(comment.id, 'reject');
    await decide(comment.id, 'approve');
    await sleep(400);
    expect(await mentions(a)).toHaveLength(1);
  });

  it('never notifies about a held comment that is rejected', async () => {
    const a = await conversation.reader();
    const b = await conversation.reader();
    const comment = await postComment(b.client, conversation.article.slug, `@${a.user.handle} you are wrong.`);
    await decide(comment.id, 'reject');
    await sleep(400);
    expect(await mentions(a)).toEqual([]);
  });

  it('a held reply that mentions its parent author is one reply notification on approval', async () => {
    const a = await conversation.reader();
    const b = await conversation.reader();
    await conversation.set('premodAll', false);
    const parent = await postComment(a.client, conversation.article.slug, 'My first thought.');
    await conversation.set('premodAll', true);
    const reply = await postComment(b.client, conversation.article.slug, `@${a.user.handle} I agree.`, parent.id);
    await decide(reply.id, 'approve');
    const deadline = Date.now() + 5000;
    let kinds: string[] = [];
    while (Date.now() < deadline && kinds.length === 0) {
      kinds = (await list(a)).filter((n) => n.commentId === reply.id).map((n) => n.kind);
      await sleep(25);
    }
    await sleep(300);
    expect((await list(a)).filter((n) => n.commentId === reply.id).map((n) => n.kind)).toEqual(['reply']);
  });
});
