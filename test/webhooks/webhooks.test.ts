import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import type { Article, ArticleDraft } from '../../src/articles/model.ts';
import { runCommand } from '../../src/events/command.ts';
import { JobRunner } from '../../src/events/job-runner.ts';
import { readEventsAfter } from '../../src/events/outbox.ts';
import { sanctionReader } from '../../src/moderation/commands.ts';
import { opsState } from '../../src/ops/state.ts';
import { createSite } from '../../src/sites/store.ts';
import { setSetting } from '../../src/settings/store.ts';
import { webhookJobHandlers } from '../../src/webhooks/delivery-job.ts';
import { webhookSubscriber } from '../../src/webhooks/subscriber.ts';
import { DELIVERIES_KEPT, recordDelivery } from '../../src/webhooks/store.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient, type TestUser } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';

// Webhooks end to end: a real server, a real database, and receivers on this machine (node:http on
// 127.0.0.1, allowed by FETCH_PRIVATE=allow) that check each signature with the standardwebhooks
// library itself. Receivers that fail, hang or live on a private address show the retries and
// refusals in the delivery log.

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A receiver whose answer per path is chosen by the test; it records every request. */
async function startReceiver() {
  const received: Received[] = [];
  const behaviour = new Map<string, (count: number) => number | 'hang'>();
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString('utf8') });
      const count = received.filter((r) => r.path === path).length;
      const answer = behaviour.get(path)?.(count) ?? 200;
      if (answer === 'hang') hanging.push(res);
      else res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    received,
    behaviour,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    at: (path: string) => received.filter((r) => r.path === path),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const draft = (headline: string, n: string): ArticleDraft => ({
  headline,
  standfirst: null,
  authors: [],
  dateline: null,
  publishedAt: null,
  timeZone: 'UTC',
  image: null,
  body: [{ type: 'paragraph', text: 'Text.' }],
  sourceUrl: `https://news.example/webhooks/${n}`,
  publicationName: null,
});

interface Delivery {
  messageId: string;
  eventType: string;
  attempt: number;
  outcome: string;
  responseStatus: number | null;
  durationMs: number;
  error: string | null;
}

describe.each(dialects)('webhooks on %s', (dialect) => {
  let app: TestApp;
  let receiver: Receiver;
  let admin: TestClient;
  let adminUser: TestUser;
  let moderatorUser: TestUser;
  let writer: TestClient;
  let article: Article;
  let otherArticle: Article;
  let n = 0;

  beforeAll(async () => {
    receiver = await startReceiver();
    app = await startTestApp(dialect, { FETCH_PRIVATE: 'allow' });
    await setSetting(app.ctx.db.kysely, 'commentIntervalSeconds', 0);
    await setSetting(app.ctx.db.kysely, 'spamHoldThreshold', 1);
    adminUser = await createTestUser(app.ctx, { displayName: 'Ada Admin', role: 'admin' });
    moderatorUser = await createTestUser(app.ctx, { displayName: 'Moira Mod', role: 'moderator' });
    admin = await signedInClient(app.ctx, app.baseUrl, adminUser);
    writer = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { displayName: 'Wendy Writer' }));
    const other = await createSite(app.ctx, { key: 'other-news', name: 'Other News', origins: ['https://other.example'] });
    article = (await importArticle(app.ctx, draft('Webhook story', `${dialect}-default`))).article;
    otherArticle = (await importArticle(app.ctx, draft('Other site story', `${dialect}-other`), { siteId: other.id })).article;
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  const register = async (body: Record<string, unknown>) => {
    const res = await admin.post('/api/v1/admin/webhooks', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { endpoint: { id: number; url: string }; secret: string };
  };
  const comment = async (slug: string, text: string) => {
    const res = await writer.post(`/api/v1/articles/${slug}/comments`, { body: text });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.comment as { id: number };
  };
  const deliveries = async (id: number) => (await admin.get(`/api/v1/admin/webhooks/${id}/deliveries`)).body.deliveries as Delivery[];
  const path = (name: string) => `/${name}-${++n}`;

  it('says on the admin page when no endpoint is registered yet', async () => {
    const page = await (await admin.raw('/admin/webhooks')).text();
    expect(page).toContain('No endpoint is registered.');
    const { endpoint } = await register({ url: `${receiver.base}${path('first')}`, events: ['comment.created'] });
    expect(await (await admin.raw('/admin/webhooks')).text()).not.toContain('No endpoint is registered.');
    expect((await admin.delete(`/api/v1/admin/webhooks/${endpoint.id}`)).status).toBe(204);
    expect(await (await admin.raw('/admin/webhooks')).text()).toContain('No endpoint is registered.');
  });

  it('delivers comment events signed per Standard Webhooks, which the same library verifies, and logs each', async () => {
    const at = path('comments');
    const { endpoint, secret } = await register({ url: `${receiver.base}${at}`, events: ['comment.created', 'comment.edited', 'comment.deleted'] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const made = await comment(article.slug, 'A comment the newsroom’s systems hear about.');
    const [first] = await waitFor(() => (receiver.at(at).length >= 1 ? receiver.at(at) : null), 'the first delivery');

    const verified = new Webhook(secret).verify(first!.body, first!.headers) as { type: string; timestamp: string; data: any };
    expect(verified.type).toBe('comment.created');
    expect(verified.data).toMatchObject({
      site: 'default',
      article: { id: article.id, slug: article.slug, headline: 'Webhook story', url: `http://parley.test/articles/${article.slug}` },
      comment: { id: made.id, body: 'A comment the newsroom’s systems hear about.', status: 'approved', author: { displayName: 'Wendy Writer' } },
    });
    expect(first!.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(first!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    // The signature covers the body: one changed byte, or another secret, and it no longer verifies.
    expect(() => new Webhook(secret).verify(first!.body.replace('newsroom', 'NEWSROOM'), first!.headers)).toThrow(/signature/i);
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(first!.body, first!.headers)).toThrow(/signature/i);
    // No e-mail address in any payload.
    expect(first!.body).not.toMatch(/@example\.test/);

    expect((await writer.patch(`/api/v1/comments/${made.id}`, { body: 'An edited comment.' })).status).toBe(200);
    expect((await writer.delete(`/api/v1/comments/${made.id}`)).status).toBeLessThan(300);
    const all = await waitFor(() => (receiver.at(at).length >= 3 ? receiver.at(at) : null), 'the edit and the deletion');
    // Deliveries run side by side, so their order is not promised (nor by the specification).
    const messages = Object.fromEntries(all.map((r) => new Webhook(secret).verify(r.body, r.headers) as { type: string; data: any }).map((m) => [m.type, m.data]));
    expect(Object.keys(messages).sort()).toEqual(['comment.created', 'comment.deleted', 'comment.edited']);
    expect(messages['comment.edited'].comment.body).toBe('An edited comment.');
    expect(messages['comment.deleted']).toMatchObject({ reason: 'author', comment: { id: made.id, body: '' } });
    // One message id per event and endpoint.
    expect(new Set(all.map((r) => r.headers['webhook-id'])).size).toBe(3);

    const log = await waitFor(async () => ((await deliveries(endpoint.id)).length >= 3 ? deliveries(endpoint.id) : null), 'the log');
    expect(log.map((d) => [d.eventType, d.outcome, d.responseStatus, d.attempt]).sort()).toEqual([
      ['comment.created', 'delivered', 200, 1],
      ['comment.deleted', 'delivered', 200, 1],
      ['comment.edited', 'delivered', 200, 1],
    ]);
    expect(log.find((d) => d.eventType === 'comment.created')!.messageId).toBe(first!.headers['webhook-id']);
    expect(log.every((d) => d.durationMs >= 0 && d.error === null)).toBe(true);
  });

  it('tells each site’s endpoints of their own site’s comments only', async () => {
    const here = path('default-site');
    const there = path('other-site');
    const mine = await register({ url: `${receiver.base}${here}`, events: ['comment.created'] });
    const theirs = await register({ site: 'other-news', url: `${receiver.base}${there}`, events: ['comment.created'] });
    const onDefault = await comment(article.slug, 'On the default site.');
    const onOther = await comment(otherArticle.slug, 'On the other site.');
    await waitFor(() => receiver.at(here).length >= 1 && receiver.at(there).length >= 1, 'a delivery to each');
    // Both events are handled by now (one subscriber, in order): give a stray delivery time to show.
    await waitFor(async () => (await deliveries(mine.endpoint.id)).length >= 1 && (await deliveries(theirs.endpoint.id)).length >= 1, 'both logs');
    const ids = (r: Received[], secret: string) => r.map((x) => (new Webhook(secret).verify(x.body, x.headers) as { data: any }).data.comment.id);
    expect(ids(receiver.at(here), mine.secret)).toEqual([onDefault.id]);
    expect(ids(receiver.at(there), theirs.secret)).toEqual([onOther.id]);
    expect((new Webhook(theirs.secret).verify(receiver.at(there)[0]!.body, receiver.at(there)[0]!.headers) as { data: any }).data.site).toBe('other-news');
    // A stray job would have been enqueued with the other one, which has already run: none exists.
    const jobsFor = async (endpointId: number) =>
      (await app.ctx.db.kysely.selectFrom('jobs').select('payload').where('kind', '=', 'webhook.delivery').execute()).filter((j) => JSON.parse(j.payload).endpointId === endpointId).length;
    expect([await jobsFor(mine.endpoint.id), await jobsFor(theirs.endpoint.id)]).toEqual([1, 1]);
  });

  it('sends nothing to a paused endpoint, and keeps only the last deliveries of each', async () => {
    const paused = path('paused');
    const active = path('active');
    const off = await register({ url: `${receiver.base}${paused}`, events: ['comment.created'], enabled: false });
    const on = await register({ url: `${receiver.base}${active}`, events: ['comment.created'] });
    await comment(article.slug, 'Only one of two hears this.');
    await waitFor(async () => (await deliveries(on.endpoint.id)).length >= 1, 'the active endpoint’s delivery');
    expect(receiver.at(paused)).toEqual([]);
    const jobs = await app.ctx.db.kysely.selectFrom('jobs').select('payload').where('kind', '=', 'webhook.delivery').execute();
    expect(jobs.filter((j) => JSON.parse(j.payload).endpointId === off.endpoint.id)).toEqual([]);
    // A test still goes out: it is how a receiver is checked before it is turned on.
    expect((await admin.post(`/api/v1/admin/webhooks/${off.endpoint.id}/test`)).status).toBe(202);
    await waitFor(() => receiver.at(paused).length === 1, 'the test event');
    expect(JSON.parse(receiver.at(paused)[0]!.body).type).toBe('webhook.test');
    await waitFor(async () => (await deliveries(off.endpoint.id)).length === 1, 'its log');

    for (let i = 1; i <= DELIVERIES_KEPT + 5; i++) {
      await recordDelivery(app.ctx.db.kysely, off.endpoint.id, { messageId: `msg_kept_${i}`, eventType: 'webhook.test', jobId: null, attempt: 1, outcome: 'delivered', responseStatus: 200, durationMs: 1, error: null });
    }
    const kept = await deliveries(off.endpoint.id);
    expect(kept.length).toBe(DELIVERIES_KEPT);
    // The test's row and the first five are the oldest six: gone.
    expect([kept[0]!.messageId, kept.at(-1)!.messageId]).toEqual([`msg_kept_${DELIVERIES_KEPT + 5}`, 'msg_kept_6']);
  });

  it('enqueues one delivery per event and endpoint, however often the event is handled', async () => {
    const at = path('once');
    const { endpoint } = await register({ url: `${receiver.base}${at}`, events: ['comment.created'] });
    await comment(article.slug, 'Handled twice, delivered once.');
    await waitFor(() => receiver.at(at).length >= 1, 'the delivery');
    const event = (await readEventsAfter(app.ctx.db.kysely, 0, { types: ['comment.created'], limit: 10_000 })).at(-1)!;
    // As a second process's twin of the subscriber would, were the position not there to stop it.
    await runCommand(app.ctx, (tx) => webhookSubscriber(app.ctx).handle(event, tx));
    const jobs = (await app.ctx.db.kysely.selectFrom('jobs').select('payload').where('kind', '=', 'webhook.delivery').execute()).filter((j) => JSON.parse(j.payload).endpointId === endpoint.id);
    expect(jobs.length).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.at(at).length).toBe(1);
  });

  it('tells of moderation, registrations, sanctions and new articles, without e-mail addresses', async () => {
    const at = path('readers');
    const { secret } = await register({ url: `${receiver.base}${at}`, events: ['comment.moderated', 'reader.registered', 'reader.sanctioned', 'article.created'] });
    const email = `webhook-reader-${dialect}@example.test`;
    const registered = await new TestClient(app.baseUrl).post('/api/v1/auth/register', { email, password: 'a long and careful passphrase 42', displayName: 'Rita Registered' });
    expect(registered.status, JSON.stringify(registered.body)).toBeLessThan(300);
    const rita = await app.ctx.db.kysely.selectFrom('users').select(['id', 'handle']).where('display_name', '=', 'Rita Registered').executeTakeFirstOrThrow();
    const moderator = { userId: moderatorUser.id, handle: moderatorUser.handle, displayName: moderatorUser.displayName, role: 'moderator' as const, emailVerified: true, sessionId: 0 };
    await sanctionReader(app.ctx, moderator, Number(rita.id), { kind: 'warn', until: null, reason: 'Be kind.' });
    const made = await comment(article.slug, 'To be featured.');
    const mod = await signedInClient(app.ctx, app.baseUrl, moderatorUser);
    expect((await mod.post(`/api/v1/moderation/comments/${made.id}/decision`, { decision: 'feature' })).status).toBeLessThan(300);
    const fresh = (await importArticle(app.ctx, draft('A fresh article', `${dialect}-fresh`))).article;

    const got = await waitFor(() => (receiver.at(at).length >= 4 ? receiver.at(at) : null), 'four messages');
    const messages = got.map((r) => new Webhook(secret).verify(r.body, r.headers) as { type: string; data: any });
    const byType = Object.fromEntries(messages.map((m) => [m.type, m.data]));
    expect(Object.keys(byType).sort()).toEqual(['article.created', 'comment.moderated', 'reader.registered', 'reader.sanctioned']);
    expect(byType['reader.registered']).toMatchObject({ site: 'default', via: 'password', reader: { id: Number(rita.id), handle: rita.handle, displayName: 'Rita Registered' } });
    expect(byType['reader.sanctioned']).toMatchObject({ reader: { id: Number(rita.id), handle: rita.handle }, sanction: { kind: 'warn', until: null, reason: 'Be kind.' } });
    expect(byType['comment.moderated']).toMatchObject({ decision: 'feature', from: 'approved', comment: { id: made.id, featured: true } });
    expect(byType['article.created']).toMatchObject({ site: 'default', article: { id: fresh.id, headline: 'A fresh article' } });
    for (const r of got) expect(r.body).not.toContain('@example.test');
  });

  it('tells of a published comment taken down by a moderator as deleted by moderation', async () => {
    const at = path('taken-down');
    const { secret } = await register({ url: `${receiver.base}${at}`, events: ['comment.deleted', 'comment.moderated'] });
    const made = await comment(article.slug, 'Soon to be rejected.');
    const mod = await signedInClient(app.ctx, app.baseUrl, moderatorUser);
    expect((await mod.post(`/api/v1/moderation/comments/${made.id}/decision`, { decision: 'reject', reason: 'Off topic.' })).status).toBeLessThan(300);
    const got = await waitFor(() => (receiver.at(at).length >= 2 ? receiver.at(at) : null), 'two messages');
    const byType = Object.fromEntries(got.map((r) => new Webhook(secret).verify(r.body, r.headers) as { type: string; data: any }).map((m) => [m.type, m.data]));
    expect(byType['comment.deleted']).toMatchObject({ reason: 'moderation', comment: { id: made.id, status: 'rejected', deletedAt: null } });
    expect(byType['comment.moderated']).toMatchObject({ decision: 'reject', from: 'approved', reason: 'Off topic.', comment: { id: made.id, status: 'rejected' } });
  });

  it('sends a test event on request, whatever events the endpoint chose, and logs it', async () => {
    const at = path('test-event');
    const { endpoint, secret } = await register({ url: `${receiver.base}${at}`, events: ['article.created'] });
    const sent = await admin.post(`/api/v1/admin/webhooks/${endpoint.id}/test`);
    expect(sent.status).toBe(202);
    const [got] = await waitFor(() => (receiver.at(at).length ? receiver.at(at) : null), 'the test event');
    expect(got!.headers['webhook-id']).toBe(sent.body.messageId);
    expect(new Webhook(secret).verify(got!.body, got!.headers)).toMatchObject({ type: 'webhook.test', data: { site: 'default', endpointId: endpoint.id } });
    const [logged] = await waitFor(() => deliveries(endpoint.id).then((d) => (d.length ? d : null)), 'the log');
    expect(logged).toMatchObject({ messageId: sent.body.messageId, eventType: 'webhook.test', outcome: 'delivered', responseStatus: 200 });
  });

  it('guards the API: clear 400s, admins only, the secret only at creation, every change audited', async () => {
    const bad = async (body: unknown, code: string, words: RegExp) => {
      const res = await admin.post('/api/v1/admin/webhooks', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(words);
    };
    await bad({ url: 'ftp://files.example/in', events: ['comment.created'] }, 'invalid_webhook', /https:\/\//);
    await bad({ url: 'not an address', events: ['comment.created'] }, 'invalid_webhook', /not an address/);
    await bad({ url: 'https://user:pw@hooks.example/in', events: ['comment.created'] }, 'invalid_webhook', /user name or password/);
    await bad({ site: 'nowhere', url: 'https://hooks.example/in', events: ['comment.created'] }, 'unknown_site', /nowhere/);
    // The schema's own checks answer in the same shape.
    await bad({ url: 'https://hooks.example/in', events: [] }, 'invalid_request', /events/);
    await bad({ url: 'https://hooks.example/in', events: ['comment.liked'] }, 'invalid_request', /events/);

    const created = await register({ url: 'https://hooks.example/in', events: ['comment.created'], description: 'The CMS' });
    const id = created.endpoint.id;
    const shown = await admin.get(`/api/v1/admin/webhooks/${id}`);
    expect(shown.body.endpoint).toMatchObject({ id, site: 'default', url: 'https://hooks.example/in', events: ['comment.created'], description: 'The CMS', enabled: true });
    const listed = await admin.get('/api/v1/admin/webhooks');
    for (const text of [JSON.stringify(shown.body), JSON.stringify(listed.body)]) {
      expect(text).not.toContain(created.secret);
      expect(text).not.toContain('whsec_');
    }
    expect((await admin.get('/api/v1/admin/webhooks?site=other-news')).body.endpoints.every((e: { site: string }) => e.site === 'other-news')).toBe(true);

    const patched = await admin.patch(`/api/v1/admin/webhooks/${id}`, { events: ['comment.deleted', 'comment.created'], enabled: false });
    expect(patched.status).toBe(200);
    expect(patched.body.endpoint).toMatchObject({ events: ['comment.created', 'comment.deleted'], enabled: false });
    expect(patched.body.secret).toBeUndefined();
    expect((await admin.patch(`/api/v1/admin/webhooks/${id}`, { url: 'javascript:alert(1)' })).status).toBe(400);
    const rotated = await admin.patch(`/api/v1/admin/webhooks/${id}`, { rotateSecret: true });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect((await admin.get('/api/v1/admin/webhooks/999999')).status).toBe(404);
    expect((await admin.get('/api/v1/admin/webhooks/abc')).status).toBe(400);

    const moderator = await signedInClient(app.ctx, app.baseUrl, moderatorUser);
    expect((await moderator.get('/api/v1/admin/webhooks')).status).toBe(403);
    expect((await moderator.post('/api/v1/admin/webhooks', { url: 'https://hooks.example/x', events: ['comment.created'] })).status).toBe(403);
    expect((await moderator.get(`/api/v1/admin/webhooks/${id}/deliveries`)).status).toBe(403);
    expect((await moderator.post(`/api/v1/admin/webhooks/${id}/test`)).status).toBe(403);
    expect((await new TestClient(app.baseUrl).get('/api/v1/admin/webhooks')).status).toBe(401);

    expect((await admin.delete(`/api/v1/admin/webhooks/${id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/admin/webhooks/${id}`)).status).toBe(404);

    const audit = await app.ctx.db.kysely.selectFrom('audit_log').select(['action', 'actor_id', 'target_id', 'detail']).where('action', 'like', 'webhook.%').orderBy('id').execute();
    const mine = audit.filter((a) => [id, String(id)].includes((JSON.parse(a.detail) as { webhook: unknown }).webhook as number));
    expect(mine.map((a) => a.action)).toEqual(['webhook.create', 'webhook.update', 'webhook.update', 'webhook.delete']);
    expect(mine.every((a) => Number(a.actor_id) === adminUser.id && a.target_id === 'default')).toBe(true);
    expect(JSON.parse(mine[1]!.detail).changed).toEqual({ events: { from: ['comment.created'], to: ['comment.created', 'comment.deleted'] }, enabled: { from: true, to: false } });
    expect(JSON.parse(mine[2]!.detail).changed).toEqual({ secret: 'replaced' });
    // No audit row anywhere holds a secret.
    for (const row of audit) expect(row.detail).not.toMatch(/whsec_/);
  });

  it('works from the admin pages with plain forms, showing the secret once', async () => {
    const refused = await admin.form('/admin/webhooks', { site: 'default', url: 'ftp://nope', 'event:comment.created': '1' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('The address must start with https://');
    const made = await admin.form('/admin/webhooks', { site: 'default', url: 'https://hooks.example/page', description: 'From the page', 'event:article.created': '1' });
    expect(made.status).toBe(201);
    const html = await made.text();
    const secret = /value="(whsec_[^"]+)"/.exec(html)?.[1];
    expect(secret).toBeDefined();
    const id = Number(/action="\/admin\/webhooks\/(\d+)\/test"/.exec(html)?.[1]);
    const again = await (await admin.raw(`/admin/webhooks/${id}`)).text();
    expect(again).toContain('https://hooks.example/page');
    expect(again).not.toContain(secret!);
    expect((await admin.raw('/admin/webhooks').then((r) => r.text()))).toContain(`href="/admin/webhooks/${id}"`);
    const tested = await admin.form(`/admin/webhooks/${id}/test`, {});
    expect(tested.status).toBe(303);
    expect((await admin.form(`/admin/webhooks/${id}/delete`, {})).headers.get('location')).toBe('/admin/webhooks?deleted=1');
    expect((await signedInClient(app.ctx, app.baseUrl, moderatorUser).then((m) => m.raw('/admin/webhooks'))).status).toBe(403);
  });

  // From here on a runner with short pauses and a short time limit replaces the server's, so that
  // retries and time limits take milliseconds; the handler, the jobs table and the log are the real ones.
  describe('retries', () => {
    let runner: JobRunner;
    beforeAll(async () => {
      await opsState(app.ctx).community!.jobs.stop();
      runner = new JobRunner({ db: app.ctx.db.kysely, dialect: app.ctx.db.dialect, bus: app.ctx.bus, handlers: webhookJobHandlers(app.ctx, { timeoutMs: 300 }), backoff: { baseMs: 50, maxMs: 100 }, pollMs: 200 });
      runner.start();
    });
    afterAll(async () => runner?.stop());

    it('retries a receiver that fails twice, with the same webhook-id, and the log shows each attempt', async () => {
      const at = path('flaky');
      receiver.behaviour.set(at, (count) => (count <= 2 ? 503 : 200));
      const { endpoint, secret } = await register({ url: `${receiver.base}${at}`, events: ['comment.created'] });
      await comment(article.slug, 'Third time lucky.');
      const got = await waitFor(() => (receiver.at(at).length >= 3 ? receiver.at(at) : null), 'three attempts');
      expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
      for (const r of got) expect(new Webhook(secret).verify(r.body, r.headers)).toMatchObject({ type: 'comment.created' });
      const log = await waitFor(async () => ((await deliveries(endpoint.id)).length >= 3 ? deliveries(endpoint.id) : null), 'the log');
      expect(log.map((d) => [d.attempt, d.outcome, d.responseStatus])).toEqual([
        [3, 'delivered', 200],
        [2, 'retrying', 503],
        [1, 'retrying', 503],
      ]);
      expect(log[2]!.error).toMatch(/answered 503/);
    });

    it('gives up on a receiver that hangs after the time limit, and tries again', async () => {
      const at = path('hang');
      receiver.behaviour.set(at, (count) => (count <= 1 ? 'hang' : 200));
      const { endpoint } = await register({ url: `${receiver.base}${at}`, events: ['comment.created'] });
      await comment(article.slug, 'Into the void, then not.');
      const log = await waitFor(async () => ((await deliveries(endpoint.id)).some((d) => d.outcome === 'delivered') ? deliveries(endpoint.id) : null), 'the retry to get through');
      expect(log.map((d) => [d.attempt, d.outcome, d.responseStatus])).toEqual([
        [2, 'delivered', 200],
        [1, 'retrying', null],
      ]);
      expect(log[1]!.error).toMatch(/did not answer within 300 ms/);
      expect(log[1]!.durationMs).toBeGreaterThanOrEqual(250);
    });

    it('marks the delivery failed after the last attempt, and shows it among the failed jobs', async () => {
      const at = path('down');
      receiver.behaviour.set(at, () => 500);
      const { endpoint } = await register({ url: `${receiver.base}${at}`, events: ['comment.created'] });
      await comment(article.slug, 'Nobody is listening.');
      const log = await waitFor(async () => ((await deliveries(endpoint.id)).some((d) => d.outcome === 'failed') ? deliveries(endpoint.id) : null), 'the last attempt', 15_000);
      expect(log.length).toBe(8);
      expect(log[0]).toMatchObject({ attempt: 8, outcome: 'failed', responseStatus: 500 });
      const failed = (await admin.get('/api/v1/admin/jobs/failed')).body.jobs as { kind: string; attempts: number; lastError: string }[];
      expect(failed.find((j) => j.kind === 'webhook.delivery' && j.lastError.includes('answered 500'))).toMatchObject({ attempts: 8 });
    });
  });
});

describe.each(dialects)('webhooks to private addresses on %s', (dialect) => {
  let app: TestApp;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    // FETCH_PRIVATE is not set: public addresses only.
    app = await startTestApp(dialect);
    await setSetting(app.ctx.db.kysely, 'commentIntervalSeconds', 0);
    await setSetting(app.ctx.db.kysely, 'spamHoldThreshold', 1);
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('refuses to deliver to a private address: a permanent failure at the first attempt, nothing sent', async () => {
    const admin = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { role: 'admin' }));
    const writer = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx));
    const created = await admin.post('/api/v1/admin/webhooks', { url: `${receiver.base}/private`, events: ['comment.created'] });
    expect(created.status).toBe(201);
    const { article } = await importArticle(app.ctx, draft('Private story', `${dialect}-private`));
    expect((await writer.post(`/api/v1/articles/${article.slug}/comments`, { body: 'Not for the intranet.' })).status).toBe(201);
    const id = created.body.endpoint.id;
    const [logged] = await waitFor(async () => {
      const d = (await admin.get(`/api/v1/admin/webhooks/${id}/deliveries`)).body.deliveries as Delivery[];
      return d.length ? d : null;
    }, 'the refusal');
    expect(logged).toMatchObject({ attempt: 1, outcome: 'failed', responseStatus: null });
    expect(logged!.error).toMatch(/127\.0\.0\.1 is not a public address/);
    const job = await app.ctx.db.kysely.selectFrom('jobs').select(['attempts', 'failed_at']).where('kind', '=', 'webhook.delivery').executeTakeFirstOrThrow();
    expect(Number(job.attempts)).toBe(1);
    expect(job.failed_at).not.toBeNull();
    expect(receiver.received).toEqual([]);
  });
});
