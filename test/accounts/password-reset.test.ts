import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SESSION_COOKIE } from '../../src/accounts/model.ts';
import { hashToken } from '../../src/accounts/sessions.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { GOOD_PASSWORD, mailTo, mailsTo, registerReader, settle, tokenIn, uniqueEmail } from './helpers.ts';

const NEW_PASSWORD = 'granite lantern orchestra';

describe.each(dialects)('password reset (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(() => app.close());

  const ask = (email: string) => new TestClient(app.baseUrl).post('/api/v1/auth/password-reset', { email });

  test('enumeration: 202 and the same body for a known and an unknown address; only the known one gets mail', async () => {
    const { email } = await registerReader(app);
    const unknownEmail = uniqueEmail('nobody');
    const known = await ask(email);
    const unknown = await ask(unknownEmail);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect([...known.res.headers.keys()].filter((h) => h !== 'date').sort()).toEqual([...unknown.res.headers.keys()].filter((h) => h !== 'date').sort());
    await mailTo(app, email, /Reset your/);
    await settle(app);
    expect(mailsTo(app, unknownEmail)).toEqual([]);
  });

  test('the link sets a new password once, signs in, and signs out every other session', async () => {
    const { client: oldSession, email, user } = await registerReader(app);
    await ask(email);
    const token = tokenIn(await mailTo(app, email, /Reset your/), '/reset-password');
    // The token is stored only as its hash.
    const stored = await app.ctx.db.kysely.selectFrom('account_tokens').select('token_hash').where('kind', '=', 'password_reset').execute();
    expect(stored.map((r) => r.token_hash)).toContain(hashToken(token));
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    const browser = new TestClient(app.baseUrl);
    const page = await browser.raw(`/reset-password?token=${token}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const done = await browser.post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect(done.body.user.handle).toBe(user.handle);
    expect(browser.cookies.get(SESSION_COOKIE)).toBeDefined();
    expect((await oldSession.get('/api/v1/me')).status).toBe(401);
    expect((await new TestClient(app.baseUrl).post('/api/v1/auth/login', { email, password: GOOD_PASSWORD })).status).toBe(401);
    expect((await new TestClient(app.baseUrl).post('/api/v1/auth/login', { email, password: NEW_PASSWORD })).status).toBe(200);

    // Token reuse.
    const again = await new TestClient(app.baseUrl).post('/api/v1/auth/password-reset/confirm', { token, password: 'yet another good passphrase' });
    expect(again.status).toBe(400);
    expect(again.body.error).toEqual({ code: 'token_used', message: expect.stringMatching(/already been used/) });
    const reusedPage = await browser.raw(`/reset-password?token=${token}`, { headers: { accept: 'text/html' } });
    expect(reusedPage.status).toBe(400);
    expect(await reusedPage.text()).toMatch(/already been used/);
  });

  test('a weak new password is refused without spending the link', async () => {
    const { email } = await registerReader(app);
    await ask(email);
    const token = tokenIn(await mailTo(app, email, /Reset your/), '/reset-password');
    const weak = await new TestClient(app.baseUrl).post('/api/v1/auth/password-reset/confirm', { token, password: 'password123' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('weak_password');
    const ok = await new TestClient(app.baseUrl).post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(ok.status).toBe(200);
  });

  test('the link expires after 30 minutes', async () => {
    const { email } = await registerReader(app);
    await ask(email);
    const token = tokenIn(await mailTo(app, email, /Reset your/), '/reset-password');
    const thirtyOneMinutesAgo = new Date(Date.now() - 31 * 60 * 1000).toISOString();
    await app.ctx.db.kysely.updateTable('account_tokens').set({ expires_at: thirtyOneMinutesAgo }).where('token_hash', '=', hashToken(token)).execute();
    const res = await new TestClient(app.baseUrl).post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('token_expired');
  });

  test('an unknown token is refused', async () => {
    const res = await new TestClient(app.baseUrl).post('/api/v1/auth/password-reset/confirm', { token: 'x'.repeat(43), password: NEW_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('token_unknown');
  });

  test('a verification link cannot be used as a reset link', async () => {
    const { email } = await registerReader(app);
    const verify = tokenIn(await mailTo(app, email, /Confirm/), '/verify-email');
    const res = await new TestClient(app.baseUrl).post('/api/v1/auth/password-reset/confirm', { token: verify, password: NEW_PASSWORD });
    expect(res.body.error.code).toBe('token_unknown');
  });
});
