import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/model.ts';
import { followReader, muteReader } from '../../src/community/commands.ts';
import { communityPersonalData } from '../../src/community/personal-data.ts';
import { isFollowing, readerStats } from '../../src/community/store.ts';
import { runCommand } from '../../src/events/command.ts';
import { lastEventId, readEventsAfter } from '../../src/events/outbox.ts';
import type { TestApp, TestDialect } from '../helpers/app.ts';
import { dialects } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestUser, type TestUser } from '../helpers/users.ts';
import { startConversation } from '../comments/setup.ts';

describe.each(dialects)('following and muting through the API on %s', (dialect: TestDialect) => {
  let app: TestApp;
  let article: Article;
  let reader: (options?: { displayName?: string }) => Promise<{ user: TestUser; client: TestClient }>;
  beforeAll(async () => {
    const conversation = await startConversation(dialect);
    app = conversation.app;
    article = conversation.article;
    reader = conversation.reader;
  });
  afterAll(async () => app?.close());

  const community = async (client: TestClient, handle: string) => (await client.get(`/api/v1/readers/${handle}/community`)).body.community;

  it('follows once however often asked, counts both sides, and records one event on the follower’s stream', async () => {
    const a = await reader();
    const b = await reader();
    const before = await lastEventId(app.ctx.db.kysely);
    const first = await a.client.put(`/api/v1/readers/${b.user.handle}/follow`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ following: true, followerCount: 1 });
    const again = await a.client.put(`/api/v1/readers/${b.user.handle}/follow`);
    expect(again.body).toEqual({ following: true, followerCount: 1 });

    const events = await readEventsAfter(app.ctx.db.kysely, before, { types: ['reader.followed'] });
    expect(events.map((e) => [e.stream, e.actorId, e.payload])).toEqual([[`reader:${a.user.id}`, a.user.id, { followerId: a.user.id, followeeId: b.user.id }]]);

    expect(await community(a.client, b.user.handle)).toEqual({
      followerCount: 1,
      followingCount: 0,
      followersPrivate: false,
      followingPrivate: false,
      viewer: { following: true, followedBy: false, muted: false },
    });
    expect((await community(b.client, a.user.handle)).viewer).toEqual({ following: false, followedBy: true, muted: false });
    expect(await community(a.client, a.user.handle)).toMatchObject({ followingCount: 1, followerCount: 0, viewer: null });
    const anonymous = await new TestClient(app.baseUrl).get(`/api/v1/readers/${b.user.handle}/community`);
    expect(anonymous.body.community.viewer).toBeNull();
    expect(JSON.stringify(anonymous.body)).not.toContain('@');

    const off = await a.client.delete(`/api/v1/readers/${b.user.handle}/follow`);
    expect(off.body).toEqual({ following: false, followerCount: 0 });
    expect((await a.client.delete(`/api/v1/readers/${b.user.handle}/follow`)).body).toEqual({ following: false, followerCount: 0 });
    expect(await community(a.client, a.user.handle)).toMatchObject({ followingCount: 0 });
  });

  it('answers bad requests with the one error shape', async () => {
    const a = await reader();
    const self = await a.client.put(`/api/v1/readers/${a.user.handle}/follow`);
    expect(self.status).toBe(400);
    expect(self.body.error.code).toBe('cannot_follow_self');
    expect((await a.client.put(`/api/v1/readers/${a.user.handle}/mute`)).body.error.code).toBe('cannot_mute_self');
    const missing = await a.client.put('/api/v1/readers/nobody-here/follow');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: expect.stringContaining('no reader') } });
    expect((await a.client.get('/api/v1/readers/nobody-here/followers')).status).toBe(404);
    expect((await a.client.put('/api/v1/articles/no-such-article/follow')).status).toBe(404);
    const anonymous = new TestClient(app.baseUrl);
    const unauth = await anonymous.put(`/api/v1/readers/${a.user.handle}/follow`);
    expect(unauth.status).toBe(401);
    expect(unauth.body.error.code).toBe('unauthenticated');
    const b = await reader();
    const noCsrf = await a.client.json('PUT', `/api/v1/readers/${b.user.handle}/follow`, undefined, { csrf: false });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('csrf_failed');
    expect((await a.client.get(`/api/v1/readers/${b.user.handle}/followers?cursor=garbage`)).body.error.code).toBe('invalid_cursor');
    expect((await a.client.get(`/api/v1/readers/${b.user.handle}/followers?limit=0`)).status).toBe(400);
  });

  it('lets a muted reader not follow the one who muted them, ends their follow, and never tells them', async () => {
    const a = await reader();
    const b = await reader();
    await a.client.put(`/api/v1/readers/${b.user.handle}/follow`);
    const before = await lastEventId(app.ctx.db.kysely);
    expect((await b.client.put(`/api/v1/readers/${a.user.handle}/mute`)).body).toEqual({ muted: true });
    expect((await b.client.put(`/api/v1/readers/${a.user.handle}/mute`)).body).toEqual({ muted: true });
    expect(await community(b.client, b.user.handle)).toMatchObject({ followerCount: 0 });
    expect(await community(a.client, a.user.handle)).toMatchObject({ followingCount: 0 });
    // Every event of the mute is on the muter's stream: nothing reaches the muted reader's.
    // (The bell's announcements of new notifications have a stream of their own; not about the mute.)
    const events = (await readEventsAfter(app.ctx.db.kysely, before)).filter((e) => e.stream !== 'notifications');
    expect(events.map((e) => [e.type, e.stream])).toEqual([
      ['reader.muted', `reader:${b.user.id}`],
      ['reader.unfollowed', `reader:${b.user.id}`],
    ]);

    const refused = await a.client.put(`/api/v1/readers/${b.user.handle}/follow`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'follow_refused', message: 'You cannot follow this reader.' });
    expect((await community(a.client, b.user.handle)).viewer).toEqual({ following: false, followedBy: false, muted: false });
    expect((await community(b.client, a.user.handle)).viewer).toEqual({ following: false, followedBy: false, muted: true });
    // The muter may still follow the muted reader: muting is one-sided.
    expect((await b.client.put(`/api/v1/readers/${a.user.handle}/follow`)).status).toBe(200);

    const mutes = await b.client.get('/api/v1/me/mutes');
    expect(mutes.body.readers.map((r: { handle: string }) => r.handle)).toEqual([a.user.handle]);
    expect((await b.client.delete(`/api/v1/readers/${a.user.handle}/mute`)).body).toEqual({ muted: false });
    expect((await b.client.get('/api/v1/me/mutes')).body.readers).toEqual([]);
    expect((await a.client.put(`/api/v1/readers/${b.user.handle}/follow`)).body).toEqual({ following: true, followerCount: 1 });
  });

  it('pages the lists newest first and hides a list its owner made private from everyone else', async () => {
    const star = await reader();
    const fans: { user: TestUser; client: TestClient }[] = [];
    for (let i = 0; i < 5; i++) {
      const fan = await reader();
      await fan.client.put(`/api/v1/readers/${star.user.handle}/follow`);
      fans.push(fan);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { readers: { handle: string; profileUrl: string }[]; nextCursor: string | null } } = await fans[0]!.client.get(
        `/api/v1/readers/${star.user.handle}/followers?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.readers.map((r) => r.handle));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(fans.map((f) => f.user.handle).reverse());
    const following = await star.client.get(`/api/v1/readers/${fans[0]!.user.handle}/following`);
    expect(following.body.readers).toEqual([
      { handle: star.user.handle, displayName: star.user.displayName, avatarUrl: expect.stringContaining('/avatar.svg'), profileUrl: `/readers/${star.user.handle}`, since: expect.any(String) },
    ]);

    expect((await star.client.put('/api/v1/me/follow-lists', { followersPrivate: true })).body).toEqual({ followersPrivate: true, followingPrivate: false });
    expect((await star.client.get('/api/v1/me/follow-lists')).body).toEqual({ followersPrivate: true, followingPrivate: false });
    const hidden = await fans[0]!.client.get(`/api/v1/readers/${star.user.handle}/followers`);
    expect(hidden.status).toBe(403);
    expect(hidden.body.error.code).toBe('list_private');
    expect(hidden.body.error.message).toContain('private');
    expect((await new TestClient(app.baseUrl).get(`/api/v1/readers/${star.user.handle}/followers`)).status).toBe(403);
    expect((await star.client.get(`/api/v1/readers/${star.user.handle}/followers`)).body.readers).toHaveLength(5);
    expect((await fans[0]!.client.get(`/api/v1/readers/${star.user.handle}/following`)).status).toBe(200);
    // The counts stay public.
    expect(await community(fans[0]!.client, star.user.handle)).toMatchObject({ followerCount: 5, followersPrivate: true });
    expect((await star.client.put('/api/v1/me/follow-lists', { followersPrivate: 'yes' })).status).toBe(400);
    expect((await star.client.put('/api/v1/me/follow-lists', { followerPrivate: false })).body.error.message).toContain('"followerPrivate" is not a list setting');
  });

  it('follows an article’s conversation and an author by name, whatever the spelling', async () => {
    const a = await reader();
    const path = `/api/v1/articles/${article.slug}/follow`;
    expect((await a.client.put(path)).body).toEqual({ following: true });
    expect((await a.client.put(path)).body).toEqual({ following: true });
    const rows = () => app.ctx.db.kysely.selectFrom('article_follows').select('article_id').where('user_id', '=', a.user.id).execute();
    expect((await rows()).map((r) => Number(r.article_id))).toEqual([Number(article.id)]);
    expect((await a.client.delete(path)).body).toEqual({ following: false });
    expect(await rows()).toEqual([]);

    const authors = '/api/v1/me/followed-authors';
    expect((await a.client.put(authors, { name: 'José  García' })).body).toEqual({ following: true, author: 'José  García' });
    expect((await a.client.put(authors, { name: 'By JOSE GARCIA' })).status).toBe(200);
    expect((await a.client.get(authors)).body.authors).toEqual([{ name: 'José  García', since: expect.any(String) }]);
    expect((await a.client.delete(`${authors}?name=${encodeURIComponent('jose garcia')}`)).body.following).toBe(false);
    expect((await a.client.get(authors)).body.authors).toEqual([]);
    expect((await a.client.put(authors, { name: '  ' })).body.error.code).toBe('invalid_author');
    expect((await a.client.put(authors, { name: 'x'.repeat(201) })).body.error.code).toBe('invalid_author');
    expect((await a.client.put(authors, {})).status).toBe(400);
  });

  it('keeps notification settings per kind over the defaults', async () => {
    const a = await reader();
    const defaults = {
      reply: 'immediate',
      mention: 'immediate',
      followed_reader_comment: 'off',
      reaction: 'off',
      new_follower: 'off',
      followed_article_comment: 'off',
      followed_author_article: 'off',
      comment_approved: 'off',
      comment_rejected: 'immediate',
      comment_featured: 'off',
    };
    expect((await a.client.get('/api/v1/me/notification-settings')).body).toEqual({ settings: defaults });
    const changed = await a.client.put('/api/v1/me/notification-settings', { reaction: 'digest', reply: 'off' });
    expect(changed.body).toEqual({ settings: { ...defaults, reaction: 'digest', reply: 'off' } });
    expect((await a.client.get('/api/v1/me/notification-settings')).body).toEqual({ settings: { ...defaults, reaction: 'digest', reply: 'off' } });
    const bad = await a.client.put('/api/v1/me/notification-settings', { reply: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect((await a.client.put('/api/v1/me/notification-settings', { carrier_pigeon: 'immediate' })).body.error.message).toContain('carrier_pigeon');
    expect((await new TestClient(app.baseUrl).get('/api/v1/me/notification-settings')).status).toBe(401);
    const b = await reader();
    expect((await b.client.get('/api/v1/me/notification-settings')).body).toEqual({ settings: defaults });
  });

  it('keeps the counts right under concurrent follows, including two readers following each other at once', async () => {
    const star = await reader();
    const fans = await Promise.all(Array.from({ length: 8 }, () => reader()));
    const results = await Promise.all(fans.map((f) => f.client.put(`/api/v1/readers/${star.user.handle}/follow`)));
    expect(results.map((r) => r.status)).toEqual(fans.map(() => 200));
    expect(await community(star.client, star.user.handle)).toMatchObject({ followerCount: 8 });
    const [x, y] = [fans[0]!, fans[1]!];
    const pair = await Promise.all([x.client.put(`/api/v1/readers/${y.user.handle}/follow`), y.client.put(`/api/v1/readers/${x.user.handle}/follow`)]);
    expect(pair.map((r) => r.status)).toEqual([200, 200]);
    expect(await community(x.client, x.user.handle)).toMatchObject({ followerCount: 1, followingCount: 2 });
  });

  it('never ends with a follow from a reader who is muted, when the follow and the mute race', async () => {
    // Straight through the commands, many rounds at once, so the two transactions really overlap.
    const pairs = await Promise.all(Array.from({ length: 25 }, async () => [await createTestUser(app.ctx), await createTestUser(app.ctx)] as const));
    // Readers with counts already (the usual case): creating the rows would serialise the two by itself.
    await app.ctx.db.kysely.insertInto('reader_stats').values(pairs.flat().map((u) => ({ user_id: u.id }))).execute();
    await Promise.all(
      pairs.map(([a, b]) => Promise.allSettled([followReader(app.ctx, a.id, b.id), muteReader(app.ctx, b.id, a.id)])),
    );
    for (const [a, b] of pairs) {
      expect(await isFollowing(app.ctx.db.kysely, a.id, b.id)).toBe(false);
      expect((await readerStats(app.ctx.db.kysely, b.id)).followerCount).toBe(0);
      expect((await readerStats(app.ctx.db.kysely, a.id)).followingCount).toBe(0);
    }
  });

  it('erases a deleted reader from the graph and drops the others’ counts', async () => {
    const a = await reader();
    const b = await reader();
    const c = await reader();
    await a.client.put(`/api/v1/readers/${b.user.handle}/follow`);
    await c.client.put(`/api/v1/readers/${a.user.handle}/follow`);
    await a.client.put(`/api/v1/readers/${c.user.handle}/mute`);
    const exported = (await communityPersonalData.export(app.ctx.db.kysely, a.user.id)) as { following: { handle: string }[]; followerCount: number };
    expect(exported.following.map((f) => f.handle)).toEqual([b.user.handle]);
    await runCommand(app.ctx, (tx) => communityPersonalData.erase(tx, a.user.id));
    expect(await community(b.client, b.user.handle)).toMatchObject({ followerCount: 0 });
    expect(await community(c.client, c.user.handle)).toMatchObject({ followingCount: 0 });
    for (const table of ['reader_follows', 'reader_mutes'] as const) {
      const rows = await app.ctx.db.kysely.selectFrom(table).selectAll().execute();
      expect(JSON.stringify(rows)).not.toMatch(new RegExp(`"(follower_id|followee_id|muter_id|muted_id)":${a.user.id}[,}]`));
    }
  });
});
