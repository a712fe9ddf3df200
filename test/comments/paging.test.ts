import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import { dialects } from '../helpers/app.ts';
import { startConversation, type Conversation } from './setup.ts';

describe.each(dialects)('paging and ordering on %s', (dialect) => {
  let c: Conversation;
  let base: string;
  // Threads t0..t5 with replies and reactions chosen so that each order differs.
  const replies = [0, 3, 1, 3, 5, 0];
  const reactions = [2, 0, 4, 1, 1, 2];
  const ids: number[] = [];
  let anonymous: TestClient;

  beforeAll(async () => {
    c = await startConversation(dialect);
    base = `/api/v1/articles/${c.article.slug}`;
    anonymous = new TestClient(c.app.baseUrl);
    const { client: author } = await c.reader();
    const fans = await Promise.all([0, 1, 2, 3].map(() => c.reader()));
    for (let i = 0; i < replies.length; i++) {
      const root = (await author.post(`${base}/comments`, { body: `thread ${i}` })).body.comment;
      ids.push(root.id);
      for (let r = 0; r < replies[i]!; r++) await fans[0]!.client.post(`${base}/comments`, { body: `reply ${i}.${r}`, parentId: root.id });
      for (let f = 0; f < reactions[i]!; f++) await fans[f]!.client.put(`/api/v1/comments/${root.id}/reaction`);
    }
    await c.set('threadsPerPage', 2);
    await c.set('repliesPerThread', 2);
    await c.set('repliesPerPage', 2);
  });
  afterAll(async () => c.app.close());

  async function walk(sort: string): Promise<number[]> {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?cursor=${cursor}` : `?sort=${sort}`;
      const res = await anonymous.get(`${base}/comments${query}`);
      expect(res.status).toBe(200);
      expect(res.body.comments.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.comments.map((t: any) => t.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    return seen;
  }

  const order = (key: (i: number) => number) =>
    ids.map((id, i) => ({ id, k: key(i) })).sort((a, b) => b.k - a.k || b.id - a.id).map((x) => x.id);

  it('pages every order with cursors, each thread exactly once, and keeps the order across pages', async () => {
    expect(await walk('newest')).toEqual([...ids].reverse());
    expect(await walk('oldest')).toEqual(ids);
    expect(await walk('replies')).toEqual(order((i) => replies[i]!));
    expect(await walk('reactions')).toEqual(order((i) => reactions[i]!));
  });

  it('shows the first replies of each thread and pages the rest, oldest first', async () => {
    const busiest = ids[4]!;
    const thread = (await anonymous.get(`${base}/comments?sort=replies`)).body.comments[0];
    expect(thread.id).toBe(busiest);
    expect(thread.replies.map((r: any) => r.bodyHtml)).toEqual(['<p>reply 4.0</p>', '<p>reply 4.1</p>']);
    expect(thread.moreReplies.count).toBe(3);
    const rest: string[] = [];
    let cursor: string | null = thread.moreReplies.cursor;
    while (cursor) {
      const res = await anonymous.get(`/api/v1/comments/${busiest}/replies?cursor=${cursor}`);
      rest.push(...res.body.replies.map((r: any) => r.bodyHtml));
      cursor = res.body.nextCursor;
    }
    expect(rest).toEqual(['<p>reply 4.2</p>', '<p>reply 4.3</p>', '<p>reply 4.4</p>']);
    const wrong = await anonymous.get(`/api/v1/comments/${ids[1]}/replies?cursor=${thread.moreReplies.cursor}`);
    expect(wrong.status).toBe(400);
  });

  it('keeps the chosen order in the no-JavaScript page links', async () => {
    const res = await anonymous.raw(`/articles/${c.article.slug}?sort=reactions`, { headers: { accept: 'text/html' } });
    const html = await res.text();
    const more = /href="([^"]*cursor=[^"]*)#comments"/.exec(html.replace(/&amp;/g, '&'));
    expect(more?.[1]).toContain('sort=reactions');
    const page2 = await (await anonymous.raw(more![1]!.replace(/^.*?\/articles/, '/articles'), { headers: { accept: 'text/html' } })).text();
    const threadIds = [...page2.matchAll(/data-thread="(\d+)"/g)].map((m) => Number(m[1]));
    expect(threadIds).toEqual(order((i) => reactions[i]!).slice(2, 4));
    expect(page2).toContain('aria-current="true">Most reactions');
  });
});
