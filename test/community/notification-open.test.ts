import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { postComment, startConversation, type Conversation } from '../comments/setup.ts';

// Opening a notification marks it read on the server: the notifications page links through
// /notifications/:id/open, which marks the reader's own notification read and goes on to it.

describe.each(dialects)('opening a notification (%s)', (dialect) => {
  let c: Conversation;
  beforeAll(async () => {
    c = await startConversation(dialect);
  });
  afterAll(async () => c.app.close());

  let eventId = 1_000_000;
  async function notify(recipientId: number, actorId: number, commentId: number) {
    const row = await c.app.ctx.db.kysely
      .insertInto('notifications')
      .values({ recipient_id: recipientId, kind: 'reply', actor_id: actorId, article_id: Number(c.article.id), comment_id: commentId, event_id: ++eventId, created_at: new Date().toISOString(), read_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  it('links each notification through the route, which marks it read and goes on to the comment', async () => {
    const ann = await c.reader({ displayName: 'Ann Opener' });
    const ben = await c.reader({ displayName: 'Ben Replier' });
    const comment = await postComment(ben.client, c.article.slug, 'A reply Ann hears of.');
    const id = await notify(ann.user.id, ben.user.id, comment.id);
    const other = await notify(ann.user.id, ben.user.id, comment.id);

    const page = await (await ann.client.raw('/notifications')).text();
    expect(page).toContain(`href="/notifications/${id}/open"`);

    const opened = await ann.client.raw(`/notifications/${id}/open`);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/articles/${c.article.slug}/comments/${comment.id}`);
    const rows = await c.app.ctx.db.kysely.selectFrom('notifications').select(['id', 'read_at']).where('recipient_id', '=', ann.user.id).execute();
    const readAt = new Map(rows.map((r) => [Number(r.id), r.read_at]));
    expect(readAt.get(id)).not.toBeNull();
    expect(readAt.get(other)).toBeNull();
    // Opening it again still goes there.
    expect((await ann.client.raw(`/notifications/${id}/open`)).headers.get('location')).toBe(`/articles/${c.article.slug}/comments/${comment.id}`);
  });

  it("refuses another reader's notification and leaves it unread; sends an anonymous visitor to sign in", async () => {
    const ann = await c.reader();
    const eve = await c.reader();
    const comment = await postComment(eve.client, c.article.slug, 'Eve writes.');
    const id = await notify(ann.user.id, eve.user.id, comment.id);
    expect((await eve.client.raw(`/notifications/${id}/open`)).status).toBe(404);
    const row = await c.app.ctx.db.kysely.selectFrom('notifications').select('read_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.read_at).toBeNull();
    const anonymous = await new TestClient(c.app.baseUrl).raw(`/notifications/${id}/open`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(`/notifications/${id}/open`)}`);
  });
});
