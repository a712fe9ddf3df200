import fs from 'node:fs';
import { sleep, waitFor } from '../helpers/wait.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import type { Article } from '../../src/articles/model.ts';
import { setSetting } from '../../src/settings/store.ts';
import { digestDay } from '../../src/community/mail-jobs.ts';
import { dialects, EXAMPLE_FILE, startTestApp, type TestApp, type TestDialect } from '../helpers/app.ts';
import type { TestClient } from '../helpers/client.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../helpers/mail.ts';
import { postComment } from '../comments/setup.ts';
import { createTestUser, signedInClient, type TestUser } from '../helpers/users.ts';

// Notification mails through a real SMTP server: sent by jobs after the request, once per event,
// with RFC 8058 one-click unsubscribe; digests; an SMTP outage retried without loss or doubles.

type Reader = { user: TestUser; client: TestClient };


const header = (mail: ReceivedMail, name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' '))?.[1]?.trim() ?? '';

describe.each(dialects)('notification mails on %s', (dialect: TestDialect) => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  let article: Article;
  const reader = async (): Promise<Reader> => {
    const user = await createTestUser(app.ctx);
    return { user, client: await signedInClient(app.ctx, app.baseUrl, user) };
  };
  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp(dialect, { SMTP_URL: smtp.url });
    const draft = await parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });
    article = (await importArticle(app.ctx, draft)).article;
    await setSetting(app.ctx.db.kysely, 'commentIntervalSeconds', 0);
    await setSetting(app.ctx.db.kysely, 'spamHoldThreshold', 1);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  const post = async (who: Reader, body: string, parentId?: number) => (await postComment(who.client, article.slug, body, parentId)).id;
  const mailsTo = (user: TestUser) => smtp.mails.filter((m) => m.to.includes(user.email));
  /** Makes every waiting job due now and wakes the runner (back-off and digests wait hours otherwise). */
  async function runJobsNow() {
    await app.ctx.db.kysely.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000).toISOString() }).where('done_at', 'is', null).where('failed_at', 'is', null).execute();
    app.ctx.bus.wake();
  }

  it('mails a reply and a mention once each, with one-click unsubscribe and a link to the settings', async () => {
    const a = await reader();
    const b = await reader();
    const c = await reader();
    const parent = await post(a, 'Mail me.');
    await post(b, `A reply, and hello @${c.user.handle}.`, parent);
    const toA = await waitFor(() => mailsTo(a.user)[0], 'the reply mail');
    const toC = await waitFor(() => mailsTo(c.user)[0], 'the mention mail');
    expect(toA.subject).toContain(`${b.user.displayName} replied to your comment`);
    expect(toC.subject).toContain(`${b.user.displayName} mentioned you`);
    expect(toA.text).toContain('http://parley.test/settings/notifications');
    expect(header(toA, 'List-Unsubscribe')).toMatch(/^<http:\/\/parley\.test\/unsubscribe\/[^>]+>$/);
    expect(header(toA, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(header(toA, 'Message-ID')).toMatch(/^<job\.[A-Za-z0-9_-]+@parley\.test>$/);
    await sleep(300);
    expect(mailsTo(a.user)).toHaveLength(1);
    expect(mailsTo(c.user)).toHaveLength(1);
  });

  it('unsubscribes with one POST, signed out and without a CSRF token; a forged token does nothing', async () => {
    const a = await reader();
    const b = await reader();
    const parent = await post(a, 'Then stop.');
    await post(b, 'First reply.', parent);
    const mail = await waitFor(() => mailsTo(a.user)[0], 'the reply mail');
    const link = new URL(header(mail, 'List-Unsubscribe').slice(1, -1));
    const page = await fetch(`${app.baseUrl}${link.pathname}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Replies to my comments');
    const forged = await fetch(`${app.baseUrl}${link.pathname.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(forged.status).toBe(404);
    expect((await a.client.get('/api/v1/me/notification-settings')).body.settings.reply).toBe('immediate');
    const res = await fetch(`${app.baseUrl}${link.pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect((await a.client.get('/api/v1/me/notification-settings')).body.settings.reply).toBe('off');
    await post(b, 'Second reply.', parent);
    await waitFor(async () => (await a.client.get('/api/v1/notifications')).body.notifications.length === 2 || null, 'the second notification');
    await sleep(300);
    expect(mailsTo(a.user)).toHaveLength(1);
  });

  it("gathers a day's notifications of digest kinds into one mail, sent once", async () => {
    const a = await reader();
    const b = await reader();
    expect((await a.client.put('/api/v1/me/notification-settings', { reply: 'digest', new_follower: 'digest' })).status).toBe(200);
    const parent = await post(a, 'Digest me.');
    await post(b, 'Reply one.', parent);
    await post(b, 'Reply two.', parent);
    expect((await b.client.put(`/api/v1/readers/${a.user.handle}/follow`)).status).toBe(200);
    await waitFor(async () => (await a.client.get('/api/v1/notifications')).body.notifications.length === 3 || null, 'three notifications');
    const jobs = await app.ctx.db.kysely.selectFrom('jobs').select(['run_at', 'kind', 'dedupe_key']).where('dedupe_key', 'like', `digest:${a.user.id}:%`).execute();
    expect(jobs).toHaveLength(1);
    expect(Date.parse(jobs[0]!.run_at)).toBeGreaterThan(Date.now());
    await sleep(200);
    expect(mailsTo(a.user)).toHaveLength(0);
    await runJobsNow();
    const digest = await waitFor(() => mailsTo(a.user)[0], 'the digest');
    // (The test's header parser keeps a space where a long subject was folded.)
    expect(digest.subject.replace(/\s+/g, '')).toContain('dailydigest');
    expect(digest.subject.replace(/\s+/g, '')).toContain(':3notifications');
    expect(digest.text.match(/replied to your comment/g)).toHaveLength(2);
    expect(digest.text).toContain('started following you');
    // The day as people write it, not 2026-12-01.
    const day = jobs[0]!.dedupe_key!.split(':').pop()!;
    expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(digest.text).toContain(`What happened on ${digestDay(day, 'en')}:`);
    expect(digestDay(day, 'en')).toMatch(/^[A-Z][a-z]+day,? \d{1,2} [A-Z][a-z]+ \d{4}$/);
    await runJobsNow();
    await sleep(300);
    expect(mailsTo(a.user)).toHaveLength(1);
  });

  it('retries while the SMTP server refuses, then delivers each mail once', async () => {
    const a = await reader();
    const b = await reader();
    smtp.state.failing = true;
    const parent = await post(a, 'Outage ahead.');
    await post(b, 'Reply during the outage.', parent);
    await waitFor(async () => {
      const job = await app.ctx.db.kysely.selectFrom('jobs').select(['attempts', 'last_error', 'done_at']).where('dedupe_key', 'like', 'mail:%').where('payload', 'like', `%"recipientId":${a.user.id},%`).executeTakeFirst();
      return job && job.last_error ? job : null;
    }, 'a failed attempt');
    await runJobsNow();
    // The second refusal is recorded (back in the queue, not leased) before the outage ends.
    await waitFor(async () => {
      const job = await app.ctx.db.kysely.selectFrom('jobs').select(['attempts', 'lease_owner']).where('payload', 'like', `%"recipientId":${a.user.id},%`).executeTakeFirst();
      return job && Number(job.attempts) >= 2 && job.lease_owner === null && smtp.state.refused >= 2;
    }, 'a second refusal');
    expect(mailsTo(a.user)).toHaveLength(0);
    smtp.state.failing = false;
    await runJobsNow();
    await waitFor(() => mailsTo(a.user)[0], 'the mail after the outage');
    await runJobsNow();
    await sleep(300);
    expect(mailsTo(a.user)).toHaveLength(1);
    const job = await app.ctx.db.kysely.selectFrom('jobs').select(['attempts', 'done_at', 'failed_at']).where('payload', 'like', `%"recipientId":${a.user.id},%`).executeTakeFirstOrThrow();
    expect(job.done_at).not.toBeNull();
    expect(job.failed_at).toBeNull();
    expect(Number(job.attempts)).toBeGreaterThanOrEqual(3);
  });
});

describe('the digest’s day', () => {
  it('reads as the recipient’s language writes a date, in UTC whatever the server’s zone', () => {
    expect(digestDay('2026-12-01', 'fr')).toBe('mardi 1 décembre 2026');
    expect(digestDay('2026-12-01', 'en')).toMatch(/^Tuesday,? 1 December 2026$/);
    expect(digestDay('2027-01-31', 'fr')).toBe('dimanche 31 janvier 2027');
  });
});
