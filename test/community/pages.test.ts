import { waitFor } from '../helpers/wait.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/model.ts';
import type { TestApp, TestDialect } from '../helpers/app.ts';
import { dialects } from '../helpers/app.ts';
import type { TestClient } from '../helpers/client.ts';
import type { TestUser } from '../helpers/users.ts';
import { startConversation, postComment } from '../comments/setup.ts';

// The community's pages and forms (without JavaScript), the bell's live count, the feed APIs.

type Reader = { user: TestUser; client: TestClient };


describe.each(dialects)('community pages on %s', (dialect: TestDialect) => {
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
  const html = async (who: Reader | null, path: string) => {
    const res = who ? await who.client.raw(path) : await fetch(`${app.baseUrl}${path}`, { redirect: 'manual' });
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  };
  const unread = async (who: Reader) => (await who.client.get('/api/v1/notifications')).body.unreadCount as number;

  it('shows the unread count in the header, and a live stream that says it again when it changes', async () => {
    const a = await reader();
    const b = await reader();
    const parent = await post(a, 'Count me.');
    const page = await html(a, `/readers/${a.user.handle}`);
    expect(page.text).toMatch(/data-unread="0"><span data-bell-n="true">0<\/span>/);
    const controller = new AbortController();
    const res = await a.client.raw('/api/v1/notifications/live', { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader_ = res.body!.getReader();
    let seen = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(seen)) seen += new TextDecoder().decode((await reader_.read()).value);
    };
    await readUntil(/event: unread\ndata: \{"unreadCount":0\}/);
    await post(b, 'Live reply.', parent);
    await readUntil(/event: unread\ndata: \{"unreadCount":1\}/);
    // Read in another tab (here: by the API): this stream, like every open bell, says so too.
    expect((await a.client.post('/api/v1/notifications/read', { all: true })).body).toEqual({ unreadCount: 0 });
    seen = '';
    await readUntil(/event: unread\ndata: \{"unreadCount":0\}/);
    controller.abort();
    expect((await html(a, '/activity')).text).toMatch(/data-unread="0"><span data-bell-n="true">0<\/span>/);
    expect((await a.client.get('/api/v1/notifications/unread')).body).toEqual({ unreadCount: 0 });
  });

  it('lists notifications on a page and marks one or all read with forms; forms need the CSRF field', async () => {
    const a = await reader();
    const b = await reader();
    const parent = await post(a, 'Reply twice.');
    await post(b, 'One.', parent);
    await post(b, 'Two.', parent);
    await waitFor(async () => (await unread(a)) === 2, 'two notifications');
    const page = await html(a, '/notifications');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`${b.user.displayName} replied to your comment`);
    const ids = [...page.text.matchAll(/data-notification="(\d+)"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    expect((await a.client.form('/notifications/read', { id: ids[0]! }, { csrf: false })).status).toBe(403);
    const one = await a.client.form('/notifications/read', { id: ids[0]! });
    expect([one.status, one.headers.get('location')]).toEqual([303, '/notifications']);
    expect(await unread(a)).toBe(1);
    expect((await a.client.form('/notifications/read', { id: 'x' })).status).toBe(400);
    await a.client.form('/notifications/read', { all: 'true' });
    expect(await unread(a)).toBe(0);
    expect((await html(null, '/notifications')).location).toBe('/signin?next=%2Fnotifications');
  });

  it('shows the activity of followed readers and conversations, not of muted readers, on the page and in the feed', async () => {
    const a = await reader();
    const followed = await reader();
    const stranger = await reader();
    const pest = await reader();
    await a.client.put(`/api/v1/readers/${followed.user.handle}/follow`);
    const other = await app.ctx.db.kysely.selectFrom('articles').select('slug').executeTakeFirstOrThrow();
    const follow = await a.client.form(`/articles/${other.slug}/follow`, { action: 'follow' });
    expect(follow.status).toBe(303);
    await a.client.put(`/api/v1/readers/${pest.user.handle}/mute`);
    const byFollowed = await post(followed, 'From someone I follow.');
    const inConversation = await post(stranger, 'In a conversation I follow.');
    await post(pest, 'From a muted reader.');
    const feed = await a.client.get('/api/v1/feed');
    expect(feed.status).toBe(200);
    const ids = feed.body.comments.map((c: { id: number }) => c.id);
    expect(ids.slice(0, 2)).toEqual([inConversation, byFollowed]);
    expect(feed.body.comments[0]).toMatchObject({ via: 'conversation', url: `/articles/${article.slug}/comments/${inConversation}` });
    expect(feed.body.comments.some((c: { author: { handle: string } }) => c.author.handle === pest.user.handle)).toBe(false);
    const page = await html(a, '/activity');
    expect(page.text).toContain('From someone I follow.');
    expect(page.text).not.toContain('From a muted reader.');
    expect((await a.client.get('/api/v1/feed?cursor=nonsense')).status).toBe(400);
  });

  it("shows a reader's page with counts, a follow form and their comments newest first, linked to their places", async () => {
    const a = await reader();
    const b = await reader();
    const first = await post(b, 'My first.');
    const second = await post(b, 'My second.');
    const before = await html(a, `/readers/${b.user.handle}`);
    expect(before.text).toContain('0 followers');
    expect(before.text).toContain('data-follow="off"');
    expect(before.text.indexOf('My second.')).toBeLessThan(before.text.indexOf('My first.'));
    expect(before.text).toContain(`/articles/${article.slug}/comments/${second}`);
    const res = await a.client.form(`/readers/${b.user.handle}/follow`, { action: 'follow', next: `/readers/${b.user.handle}` });
    expect([res.status, res.headers.get('location')]).toEqual([303, `/readers/${b.user.handle}`]);
    const after = await html(a, `/readers/${b.user.handle}`);
    expect(after.text).toContain('1 follower');
    expect(after.text).toContain('data-follow="on"');
    const api = await a.client.get(`/api/v1/readers/${b.user.handle}`);
    expect(api.body.community).toMatchObject({ followerCount: 1, viewer: { following: true, followedBy: false, muted: false } });
    const comments = await a.client.get(`/api/v1/readers/${b.user.handle}/comments`);
    expect(comments.body.comments.map((c: { id: number }) => c.id)).toEqual([second, first]);
    const list = await html(null, `/readers/${b.user.handle}/followers`);
    expect(list.text).toContain(a.user.displayName);
    await b.client.put('/api/v1/me/follow-lists', { followersPrivate: true });
    expect((await html(null, `/readers/${b.user.handle}/followers`)).status).toBe(403);
  });

  it('folds away comments of muted readers, shows follow buttons, and unmutes from the settings page', async () => {
    const a = await reader();
    const pest = await reader();
    await post(pest, 'Muted words here.');
    await a.client.form(`/readers/${pest.user.handle}/mute`, { action: 'mute' });
    const page = await html(a, `/articles/${article.slug}`);
    expect(page.text).toMatch(/<details class="comment__muted"><summary>You muted this reader/);
    // Without JavaScript, Follow is a link to a one-button page that returns to the comment.
    expect(page.text).toMatch(new RegExp(`class="comment__follow" role="button" href="/comments/\\d+/follow" data-handle="${pest.user.handle}" data-follow="off">Follow<`));
    expect(page.text).toContain('Follow this conversation');
    const settings = await html(a, '/settings/notifications');
    expect(settings.text).toContain(pest.user.displayName);
    await a.client.form(`/readers/${pest.user.handle}/mute`, { action: 'unmute', next: '/settings/notifications' });
    expect((await html(a, `/articles/${article.slug}`)).text).not.toContain('comment__muted');
    const saved = await a.client.form('/settings/notifications', { reply: 'digest', mention: 'off', followingPrivate: 'on' });
    expect(saved.status).toBe(303);
    expect((await a.client.get('/api/v1/me/notification-settings')).body.settings).toMatchObject({ reply: 'digest', mention: 'off' });
    expect((await a.client.get('/api/v1/me/follow-lists')).body).toEqual({ followersPrivate: false, followingPrivate: true });
    expect((await a.client.form('/settings/notifications', { reply: 'sometimes' })).status).toBe(400);
  });
});
