import { sleep } from '../helpers/wait.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import type { Article } from '../../src/articles/model.ts';
import type { TestApp, TestDialect } from '../helpers/app.ts';
import { dialects } from '../helpers/app.ts';
import type { TestClient } from '../helpers/client.ts';
import type { TestUser } from '../helpers/users.ts';
import { startConversation, postComment } from '../comments/setup.ts';

type Reader = { user: TestUser; client: TestClient };

describe.each(dialects)('mentions, grouped reactions and followed authors on %s', (dialect: TestDialect) => {
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

  const post = (who: Reader, body: string, parentId?: number) => postComment(who.client, article.slug, body, parentId);
  const list = async (who: Reader) => (await who.client.get('/api/v1/notifications')).body;
  async function settle(who: Reader, ok: (body: any) => boolean) {
    const deadline = Date.now() + 5000;
    for (;;) {
      const body = await list(who);
      if (ok(body)) return body;
      if (Date.now() > deadline) throw new Error(`notifications never matched: ${JSON.stringify(body.notifications)}`);
      await sleep(25);
    }
  }

  it('links an @handle to the reader and notifies them once, as a mention', async () => {
    const a = await reader();
    const b = await reader();
    const comment = await post(b, `Good point, @${a.user.handle} — and hello @nobody-here.`);
    expect(comment.bodyHtml).toContain(`<a href="/readers/${a.user.handle}" class="mention"`);
    const body = await settle(a, (x) => x.notifications.length === 1);
    expect(body.notifications[0]).toMatchObject({ kind: 'mention', commentId: comment.id, actor: { handle: b.user.handle } });
    await sleep(100);
    expect((await list(a)).notifications).toHaveLength(1);
  });

  it('a reply that also mentions its parent author is one reply notification', async () => {
    const a = await reader();
    const b = await reader();
    const parent = await post(a, 'Start.');
    await post(b, `@${a.user.handle} I disagree.`, parent.id);
    const body = await settle(a, (x) => x.notifications.length >= 1);
    await sleep(100);
    expect((await list(a)).notifications.map((n: { kind: string }) => n.kind)).toEqual(['reply']);
    expect(body.unreadCount).toBe(1);
  });

  it("does nothing for a mention by a reader the mentioned one muted", async () => {
    const a = await reader();
    const c = await reader();
    const d = await reader();
    expect((await a.client.put(`/api/v1/readers/${c.user.handle}/mute`)).status).toBe(200);
    await post(c, `Hey @${a.user.handle}!`);
    await post(d, `Hey @${a.user.handle}, from a friend.`);
    await settle(a, (x) => x.notifications.length >= 1);
    await sleep(150);
    const all = (await list(a)).notifications;
    expect(all.map((n: { actor: { handle: string } }) => n.actor.handle)).toEqual([d.user.handle]);
  });

  it('groups reactions on a comment into one notification with a count', async () => {
    const author = await reader();
    const fans = [await reader(), await reader(), await reader()];
    const comment = await post(author, 'React to this.');
    for (const fan of fans) expect((await fan.client.put(`/api/v1/comments/${comment.id}/reaction`)).status).toBe(200);
    const body = await settle(author, (x) => x.notifications.length === 1 && x.notifications[0].actorCount === 3);
    expect(body.notifications[0]).toMatchObject({ kind: 'reaction', commentId: comment.id, actorCount: 3, text: `3 people respected your comment on “${article.headline}”.` });
    const rows = await app.ctx.db.kysely.selectFrom('notifications').select('id').where('recipient_id', '=', author.user.id).where('kind', '=', 'reaction').execute();
    expect(rows).toHaveLength(1);
    await fans[0]!.client.delete(`/api/v1/comments/${comment.id}/reaction`);
    await settle(author, (x) => x.notifications[0]?.actorCount === 2);
  });

  it('tells the readers who follow an author of a new article', async () => {
    const fan = await reader();
    const name = article.authors[0]?.name ?? 'Jane Doe';
    expect((await fan.client.put('/api/v1/me/followed-authors', { name: name.toUpperCase() })).status).toBe(200);
    const { article: fresh } = await importArticle(app.ctx, { ...article, headline: 'A fresh story', slug: undefined, sourceUrl: 'https://example.test/fresh', authors: [{ name }] } as never);
    const body = await settle(fan, (x) => x.notifications.length === 1);
    expect(body.notifications[0]).toMatchObject({ kind: 'followed_author_article', actor: null, article: { slug: fresh.slug }, url: `/articles/${fresh.slug}` });
  });
});
