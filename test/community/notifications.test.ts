import { sleep } from '../helpers/wait.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/model.ts';
import type { TestApp, TestDialect } from '../helpers/app.ts';
import { dialects } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import type { TestUser } from '../helpers/users.ts';
import { startConversation, postComment } from '../comments/setup.ts';

type Reader = { user: TestUser; client: TestClient };

describe.each(dialects)('notifications on %s', (dialect: TestDialect) => {
  let app: TestApp;
  let article: Article;
  let reader: () => Promise<Reader>;
  beforeAll(async () => {
    const conversation = await startConversation(dialect);
    app = conversation.app;
    article = conversation.article;
    reader = () => conversation.reader();
  });
  afterAll(async () => app?.close());

  const post = async (who: Reader, body: string, parentId?: number) => (await postComment(who.client, article.slug, body, parentId)).id;
  const list = async (who: Reader) => (await who.client.get('/api/v1/notifications')).body;
  /** Notifications arrive after the commit, from the subscriber: wait for them. */
  async function settle(who: Reader, count: number) {
    const deadline = Date.now() + 5000;
    for (;;) {
      const body = await list(who);
      if (body.notifications.length >= count) return body;
      if (Date.now() > deadline) throw new Error(`expected ${count} notifications, have ${body.notifications.length}`);
      await sleep(25);
    }
  }

  it('tells a reader of a reply to their comment, once, and not the one who replied', async () => {
    const a = await reader();
    const b = await reader();
    const parent = await post(a, 'A first thought.');
    const reply = await post(b, 'A reply to it.', parent);
    const body = await settle(a, 1);
    expect(body.unreadCount).toBe(1);
    expect(body.notifications).toEqual([
      {
        id: expect.any(Number),
        kind: 'reply',
        createdAt: expect.any(String),
        read: false,
        actor: { handle: b.user.handle, displayName: b.user.displayName, avatarUrl: expect.any(String), profileUrl: `/readers/${b.user.handle}` },
        article: { slug: article.slug, headline: article.headline },
        commentId: reply,
        actorCount: 1,
        text: `${b.user.displayName} replied to your comment on “${article.headline}”.`,
        url: `/articles/${article.slug}/comments/${reply}`,
      },
    ]);
    await sleep(100);
    expect((await list(b)).notifications).toEqual([]);
  });

  it("tells followers of the author and of the conversation, each once as the most personal kind, and new followers' followees", async () => {
    const author = await reader();
    const fan = await reader();
    const watcher = await reader();
    const both = await reader();
    await fan.client.put(`/api/v1/readers/${author.user.handle}/follow`);
    await watcher.client.put(`/api/v1/articles/${article.slug}/follow`);
    await both.client.put(`/api/v1/readers/${author.user.handle}/follow`);
    await both.client.put(`/api/v1/articles/${article.slug}/follow`);
    const followed = await settle(author, 2);
    expect(followed.notifications.map((n: { kind: string; actor: { handle: string } }) => [n.kind, n.actor.handle])).toEqual([
      ['new_follower', both.user.handle],
      ['new_follower', fan.user.handle],
    ]);

    const id = await post(author, 'Something worth following.');
    expect((await settle(fan, 1)).notifications[0]).toMatchObject({ kind: 'followed_reader_comment', commentId: id });
    expect((await settle(watcher, 1)).notifications.find((n: { commentId: number }) => n.commentId === id)).toMatchObject({ kind: 'followed_article_comment' });
    const bothList = await settle(both, 1);
    expect(bothList.notifications.filter((n: { commentId: number }) => n.commentId === id).map((n: { kind: string }) => n.kind)).toEqual(['followed_reader_comment']);
  });

  it('gives a reader nothing caused by someone they muted', async () => {
    const a = await reader();
    const pest = await reader();
    const friend = await reader();
    await a.client.put(`/api/v1/readers/${pest.user.handle}/mute`);
    const parent = await post(a, 'Muting works?');
    await post(pest, 'Noise.', parent);
    await post(friend, 'Signal.', parent);
    const body = await settle(a, 1);
    await sleep(150);
    expect((await list(a)).notifications.map((n: { actor: { handle: string } }) => n.actor.handle)).toEqual([friend.user.handle]);
    expect(body.unreadCount).toBe(1);
  });

  it('fans a comment out to every follower, each notification tied to the comment’s one event', async () => {
    const star = await reader();
    const fans: Reader[] = [];
    for (let i = 0; i < 25; i++) {
      const fan = await reader();
      await fan.client.put(`/api/v1/readers/${star.user.handle}/follow`);
      fans.push(fan);
    }
    const fanIds = fans.map((f) => f.user.id);
    const id = await post(star, 'To all of you.');
    const event = await app.ctx.db.kysely.selectFrom('events').select('id').where('type', '=', 'comment.created').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const deadline = Date.now() + 5000;
    let rows = 0;
    while (rows < 25 && Date.now() < deadline) {
      rows = (await app.ctx.db.kysely.selectFrom('notifications').select('id').where('comment_id', '=', id).where('recipient_id', 'in', fanIds).execute()).length;
      await sleep(25);
    }
    expect(rows).toBe(25);
    const made = await app.ctx.db.kysely.selectFrom('notifications').select(['event_id', 'kind']).where('comment_id', '=', id).where('recipient_id', 'in', fanIds).execute();
    expect(new Set(made.map((m) => `${Number(m.event_id)}:${m.kind}`))).toEqual(new Set([`${Number(event.id)}:followed_reader_comment`]));
  });

  it('marks some or all read, only the reader’s own, and refuses an ambiguous request', async () => {
    const a = await reader();
    const others = [await reader(), await reader(), await reader()];
    for (const o of others) await o.client.put(`/api/v1/readers/${a.user.handle}/follow`);
    const body = await settle(a, 3);
    expect(body.unreadCount).toBe(3);
    const [first] = body.notifications as { id: number }[];
    const someoneElse = await reader();
    expect((await someoneElse.client.post('/api/v1/notifications/read', { ids: [first!.id] })).body).toEqual({ unreadCount: 0 });
    expect((await list(a)).unreadCount).toBe(3);
    expect((await a.client.post('/api/v1/notifications/read', { ids: [first!.id] })).body).toEqual({ unreadCount: 2 });
    expect((await list(a)).notifications.find((n: { id: number }) => n.id === first!.id).read).toBe(true);
    expect((await a.client.post('/api/v1/notifications/read', { all: true })).body).toEqual({ unreadCount: 0 });
    expect((await a.client.post('/api/v1/notifications/read', {})).status).toBe(400);
    expect((await a.client.post('/api/v1/notifications/read', { ids: [1], all: true })).status).toBe(400);
    expect((await a.client.post('/api/v1/notifications/read', { all: false })).status).toBe(400);
    expect((await new TestClient(app.baseUrl).get('/api/v1/notifications')).status).toBe(401);
    expect((await a.client.get('/api/v1/notifications?cursor=nope')).body.error.code).toBe('invalid_cursor');
  });
});
