import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/app.ts';
import { liveHub } from '../../src/events/live.ts';
import { startConversation, type Conversation } from './setup.ts';
import { SseReader } from './sse.ts';

describe.each(dialects)('live comments on %s', (dialect) => {
  let c: Conversation;
  let base: string;
  beforeAll(async () => {
    c = await startConversation(dialect);
    base = `/api/v1/articles/${c.article.slug}`;
  });
  afterAll(async () => c.app.close());

  it('streams new, edited and deleted comments and reaction counts to every open page', async () => {
    const { client: a } = await c.reader({ displayName: 'Live A' });
    const { client: b } = await c.reader({ displayName: 'Live B' });
    const pageA = await SseReader.open(`${c.app.baseUrl}${base}/live`);
    const pageB = await SseReader.open(`${c.app.baseUrl}${base}/live`);
    expect(pageA.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));

    const root = (await a.post(`${base}/comments`, { body: 'hello, live' })).body.comment;
    const created = await pageB.next((f) => f.event === 'comment.created');
    expect(created.data.comment).toMatchObject({ id: root.id, parentId: null, bodyHtml: '<p>hello, live</p>', author: { displayName: 'Live A' } });
    expect(created.id).toBeGreaterThan(0);

    const reply = (await b.post(`${base}/comments`, { body: 'hello back', parentId: root.id })).body.comment;
    expect((await pageA.next((f) => f.event === 'comment.created' && f.data.comment.id === reply.id)).data.comment.parentId).toBe(root.id);

    await b.put(`/api/v1/comments/${root.id}/reaction`);
    expect((await pageA.next((f) => f.event === 'comment.reaction_changed')).data).toEqual({ id: root.id, reactionCount: 1 });
    await a.patch(`/api/v1/comments/${root.id}`, { body: 'hello, live (edited)' });
    expect((await pageB.next((f) => f.event === 'comment.edited')).data.comment.editedAt).not.toBeNull();
    await b.delete(`/api/v1/comments/${reply.id}`);
    expect((await pageA.next((f) => f.event === 'comment.deleted')).data.comment).toMatchObject({ id: reply.id, deleted: true, bodyHtml: '' });

    pageA.close();
    pageB.close();
  });

  it('gives a reconnecting page what it missed, from Last-Event-ID', async () => {
    const { client: a } = await c.reader();
    const page = await SseReader.open(`${c.app.baseUrl}${base}/live`);
    await new Promise((r) => setTimeout(r, 100));
    const first = (await a.post(`${base}/comments`, { body: 'before the drop' })).body.comment;
    const seen = await page.next((f) => f.event === 'comment.created' && f.data.comment.id === first.id);
    page.close();

    const missed: number[] = [];
    for (const text of ['while away 1', 'while away 2']) missed.push((await a.post(`${base}/comments`, { body: text })).body.comment.id);
    // An event on another article must not leak into this stream.
    const other = await c.importArticle('Elsewhere');
    await a.post(`/api/v1/articles/${other.slug}/comments`, { body: 'elsewhere' });

    const back = await SseReader.open(`${c.app.baseUrl}${base}/live`, { 'last-event-id': String(seen.id) });
    await back.next((f) => f.event === 'comment.created' && f.data.comment.id === missed[1]);
    const ids = back.frames.filter((f) => f.event === 'comment.created').map((f) => f.data.comment.id);
    expect(ids).toEqual(missed);
    back.close();
  });

  it('gives every one of hundreds of open pages each new comment once, in order', async () => {
    // More pages than the hub writes between two turns of the event loop, so the grouped writes are exercised.
    const pages = await Promise.all(Array.from({ length: 230 }, () => SseReader.open(`${c.app.baseUrl}${base}/live`)));
    await new Promise((r) => setTimeout(r, 300));
    const { client } = await c.reader();
    const posted: number[] = [];
    for (const body of ['first of three', 'second of three', 'third of three']) posted.push((await client.post(`${base}/comments`, { body })).body.comment.id);
    for (const page of pages) {
      await page.next((f) => f.event === 'comment.created' && f.data.comment.id === posted[2], 15_000);
      const seen = page.frames.filter((f) => f.event === 'comment.created' && posted.includes(f.data.comment.id)).map((f) => f.data.comment.id);
      expect(seen).toEqual(posted);
    }
    for (const page of pages) page.close();
  });

  it('lets go of closed connections', async () => {
    const hub = liveHub(c.app.ctx);
    const page = await SseReader.open(`${c.app.baseUrl}${base}/live`);
    await new Promise((r) => setTimeout(r, 100));
    const open = hub.size;
    expect(open).toBeGreaterThanOrEqual(1);
    page.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(hub.size).toBe(open - 1);
  });

  it('answers an unknown article with 404', async () => {
    const res = await fetch(`${c.app.baseUrl}/api/v1/articles/nope/live`);
    expect(res.status).toBe(404);
  });
});
