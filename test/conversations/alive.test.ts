import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/model.ts';
import { postComment as postCommentCommand } from '../../src/comments/commands.ts';
import { HALF_LIFE_MS } from '../../src/conversations/model.ts';
import { getSettings } from '../../src/settings/store.ts';
import { dialects, type TestDialect } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import type { TestUser } from '../helpers/users.ts';
import { postComment, startConversation, type Conversation } from '../comments/setup.ts';

// Conversations that are alive (issue 17 §3): the lists read numbers kept in the write path, so they
// must follow every change of what readers can read: posts, approvals, rejections, deletions.

const MINUTE = 60_000;

describe.each(dialects)('most discussed and active now on %s', (dialect: TestDialect) => {
  let c: Conversation;
  let mod: { user: TestUser; client: TestClient };
  beforeAll(async () => {
    c = await startConversation(dialect);
    mod = await c.reader({ role: 'moderator' });
  });
  afterAll(async () => c?.app.close());

  const anonymous = () => new TestClient(c.app.baseUrl);
  const active = async (q = '') => (await anonymous().get(`/api/v1/conversations/active${q}`)).body;
  const discussed = async (q = '') => (await anonymous().get(`/api/v1/conversations/most-discussed${q}`)).body;
  const slugs = (body: { conversations: { article: { slug: string } }[] }) => body.conversations.map((x) => x.article.slug);

  /** A comment written `minutesAgo` minutes ago, through the same command the API runs. */
  async function commentAt(article: Article, user: TestUser, minutesAgo: number, body: string) {
    const settings = { ...(await getSettings(c.app.ctx.db.kysely)), commentIntervalSeconds: 0 };
    return postCommentCommand(c.app.ctx, { articleId: Number(article.id), author: { id: user.id, handle: user.handle, displayName: user.displayName }, body, parentId: null }, settings, new Date(Date.now() - minutesAgo * MINUTE));
  }

  it('ranks active conversations by comments weighted for recency, and the most discussed by their count', async () => {
    const busyEarlier = await c.importArticle('Three comments fifty minutes ago');
    const justNow = await c.importArticle('One comment just now');
    const yesterday = await c.importArticle('Five comments two hours ago');
    const writer = await c.reader();
    for (let i = 0; i < 3; i++) await commentAt(busyEarlier, writer.user, 50, `Earlier ${i}`);
    for (let i = 0; i < 5; i++) await commentAt(yesterday, writer.user, 120, `Older ${i}`);
    await postComment(writer.client, justNow.slug, 'Now.');

    const now = await active();
    expect(now.site).toBe('default');
    // One comment now (weight 1) outranks three fifty minutes old (3 × 2^(−50/15) ≈ 0.30); comments two
    // hours old are not "active now" at all, however many.
    expect(slugs(now)).toEqual([justNow.slug, busyEarlier.slug]);
    const [first, second] = now.conversations;
    expect(first).toMatchObject({ article: { slug: justNow.slug, headline: 'One comment just now', url: `/articles/${justNow.slug}` }, commentCount: 1 });
    expect(first.activity).toBeGreaterThan(0.99);
    expect(first.activity).toBeLessThanOrEqual(1);
    expect(second.activity).toBeCloseTo(3 * 2 ** (-50 / (HALF_LIFE_MS / MINUTE)), 2);
    expect(Date.parse(second.lastCommentAt)).toBeLessThan(Date.now() - 49 * MINUTE);

    expect(slugs(await discussed())).toEqual([yesterday.slug, busyEarlier.slug, justNow.slug]);
    const top = (await discussed()).conversations[0];
    expect(top).toMatchObject({ commentCount: 5 });
    // Five comments two hours (eight half-lives) old weigh 5/256 of a new one.
    expect(top.activity).toBeCloseTo(5 / 256, 2);
    expect(slugs(await discussed('?limit=1'))).toEqual([yesterday.slug]);
  });

  it('keeps both lists right when comments are held, approved, rejected and deleted', async () => {
    await c.set('suspectWords', ['zzhold']);
    const article = await c.importArticle('A conversation under moderation');
    const author = await c.reader();
    const held = (await author.client.post(`/api/v1/articles/${article.slug}/comments`, { body: 'Please zzhold this one.' })).body.comment;
    expect(held.moderation).toEqual({ status: 'held' });
    expect(slugs(await active())).not.toContain(article.slug);
    expect(slugs(await discussed())).not.toContain(article.slug);

    const decide = async (id: number, decision: 'approve' | 'reject') =>
      expect((await mod.client.post(`/api/v1/moderation/comments/${id}/decision`, { decision, ...(decision === 'reject' ? { reason: 'Off topic' } : {}) })).status).toBe(200);
    await decide(held.id, 'approve');
    expect(slugs(await active())[0]).toBe(article.slug);
    expect((await active()).conversations[0]).toMatchObject({ commentCount: 1 });
    expect(slugs(await discussed())).toContain(article.slug);

    await decide(held.id, 'reject');
    expect(slugs(await active())).not.toContain(article.slug);
    expect(slugs(await discussed())).not.toContain(article.slug);

    await decide(held.id, 'approve');
    const second = await postComment(author.client, article.slug, 'A second thought.');
    const withTwo = (await active()).conversations.find((x: any) => x.article.slug === article.slug);
    expect(withTwo).toMatchObject({ commentCount: 2 });
    expect(withTwo.activity).toBeGreaterThan(1.9);

    // Deleting the newest comment leaves the older one: still active, and its time is the older one's.
    expect((await author.client.delete(`/api/v1/comments/${second.id}`)).status).toBe(200);
    const withOne = (await active()).conversations.find((x: any) => x.article.slug === article.slug);
    expect(withOne).toMatchObject({ commentCount: 1, lastCommentAt: held.createdAt });
    expect(withOne.activity).toBeGreaterThan(0.9);
    expect(withOne.activity).toBeLessThan(1.01);

    expect((await author.client.delete(`/api/v1/comments/${held.id}`)).status).toBe(200);
    expect(slugs(await active())).not.toContain(article.slug);
    expect(slugs(await discussed())).not.toContain(article.slug);
    await c.set('suspectWords', []);
  });

  it('counts concurrent posts to one conversation exactly (one atomic update each)', async () => {
    const article = await c.importArticle('Everyone at once');
    const readers = await Promise.all(Array.from({ length: 8 }, () => c.reader()));
    // Load shedding may refuse a write on a busy machine (503): that one is sent again, as a browser would.
    const post = async (client: TestClient, body: string): Promise<void> => {
      const res = await client.post(`/api/v1/articles/${article.slug}/comments`, { body });
      if (res.status === 503) return new Promise((r) => setTimeout(r, 200)).then(() => post(client, body));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    await Promise.all(readers.map((r, i) => post(r.client, `At once ${i}`)));
    const row = (await active()).conversations.find((x: any) => x.article.slug === article.slug);
    expect(row.commentCount).toBe(8);
    expect(row.activity).toBeGreaterThan(7.9);
    expect(row.activity).toBeLessThanOrEqual(8);
  });

  it('answers a wrong site or limit with a clear 4xx', async () => {
    const unknown = await anonymous().get('/api/v1/conversations/active?site=nowhere');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('There is no site with the key "nowhere".');
    for (const q of ['?limit=0', '?limit=51', '?limit=lots']) {
      const bad = await anonymous().get(`/api/v1/conversations/most-discussed${q}`);
      expect(bad.status, q).toBe(400);
      expect(bad.body.error.message, q).toMatch(/limit/i);
    }
  });
});
