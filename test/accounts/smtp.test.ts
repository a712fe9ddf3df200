import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { linkIn, startSmtpServer, waitFor } from '../helpers/mail.ts';
import { ACCOUNT_MAIL } from '../../src/accounts/mail-jobs.ts';
import { GOOD_PASSWORD, registerReader } from './helpers.ts';

describe.each(dialects)('account mail through a real SMTP server (%s)', (dialect) => {
  let app: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp(dialect, { SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  const mailTo = (to: string, subject: RegExp) => waitFor(() => smtp.mails.filter((m) => m.to === to && subject.test(m.subject)).at(-1), `mail to ${to}`);

  test('registration sends the verification link by SMTP, and it verifies', async () => {
    const { client, email } = await registerReader(app);
    const mail = await mailTo(email, /Confirm your e-mail address/);
    const link = linkIn(mail, '/verify-email');
    expect(link.origin).toBe('http://parley.test');
    const res = await client.raw(`${link.pathname}${link.search}`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect((await client.get('/api/v1/me')).body.user.emailVerified).toBe(true);
    expect(fs.existsSync(path.join(app.config.dataDir, 'outbox'))).toBe(false);
  });

  test('the reset mail arrives by SMTP and its link resets', async () => {
    const { email } = await registerReader(app);
    const client = new TestClient(app.baseUrl);
    await client.post('/api/v1/auth/password-reset', { email });
    const token = linkIn(await mailTo(email, /Reset your/), '/reset-password').searchParams.get('token')!;
    const res = await client.post('/api/v1/auth/password-reset/confirm', { token, password: 'granite lantern orchestra' });
    expect(res.status).toBe(200);
    expect((await new TestClient(app.baseUrl).post('/api/v1/auth/login', { email, password: GOOD_PASSWORD })).status).toBe(401);
  });

  test('a mail the server refuses is kept and sent once it is back; the queue holds no usable token meanwhile', async () => {
    smtp.state.failing = true;
    const refusedBefore = smtp.state.refused;
    const { client, email } = await registerReader(app);
    // The refusal is recorded on the job once the attempt has failed.
    const job = await waitFor(
      async () => (await app.ctx.db.kysely.selectFrom('jobs').selectAll().where('kind', '=', ACCOUNT_MAIL).where('payload', 'like', `%${email}%`).where('last_error', 'is not', null).executeTakeFirst()) ?? null,
      'a refused attempt recorded on the job',
    );
    expect(smtp.state.refused).toBeGreaterThan(refusedBefore);
    expect(job.done_at).toBeNull();
    expect(job.last_error).toMatch(/451|refus|temporar/i);
    // The job says whom to mail, not what link: the token is made when the mail is composed.
    expect(job.payload).not.toMatch(/token/i);
    expect(smtp.mails.filter((m) => m.to === email)).toHaveLength(0);
    smtp.state.failing = false;
    // The back-off would wait seconds; make the retry due now.
    await app.ctx.db.kysely.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', job.id).execute();
    app.ctx.bus.wake();
    const mail = await mailTo(email, /Confirm your e-mail address/);
    const link = linkIn(mail, '/verify-email');
    expect((await client.raw(`${link.pathname}${link.search}`, { headers: { accept: 'text/html' } })).status).toBe(200);
    expect((await client.get('/api/v1/me')).body.user.emailVerified).toBe(true);
    const done = await app.ctx.db.kysely.selectFrom('jobs').select(['done_at', 'attempts']).where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(done.done_at).not.toBeNull();
    expect(Number(done.attempts)).toBeGreaterThanOrEqual(2);
  });

  test('a reset asked for an address without an account enqueues the same job and sends nothing', async () => {
    const client = new TestClient(app.baseUrl);
    const unknown = `nobody-${Date.now()}@example.com`;
    expect((await client.post('/api/v1/auth/password-reset', { email: unknown })).status).toBe(202);
    await waitFor(async () => (await app.ctx.db.kysely.selectFrom('jobs').select('done_at').where('kind', '=', ACCOUNT_MAIL).where('payload', 'like', `%${unknown}%`).executeTakeFirst())?.done_at ?? null, 'the job to finish');
    expect(smtp.mails.filter((m) => m.to === unknown)).toHaveLength(0);
  });
});
