import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { linkIn, startSmtpServer, waitFor } from '../helpers/mail.ts';
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
});
