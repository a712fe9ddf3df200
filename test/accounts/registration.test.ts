import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SESSION_COOKIE } from '../../src/accounts/model.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { cookieLine, GOOD_PASSWORD, mailTo, mailsTo, registerReader, settle, tokenIn, uniqueEmail, uniqueName } from './helpers.ts';

describe.each(dialects)('registration (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(() => app.close());

  test('creates the account, signs it in and never returns the password hash', async () => {
    const client = new TestClient(app.baseUrl);
    const email = uniqueEmail('ann');
    const res = await client.post('/api/v1/auth/register', { email: `  ${email.toUpperCase()} `, password: GOOD_PASSWORD, displayName: '  Ann   Example ' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ displayName: 'Ann Example', handle: 'ann-example', role: 'reader', emailVerified: false, email });
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|password/i);
    expect(cookieLine(res.res, SESSION_COOKIE)).toBeDefined();
    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user.handle).toBe('ann-example');
    const row = await app.ctx.db.kysely.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  test('sends a verification link that works once; unverified readers can still sign in', async () => {
    const { client, email } = await registerReader(app);
    const again = new TestClient(app.baseUrl);
    expect((await again.post('/api/v1/auth/login', { email, password: GOOD_PASSWORD })).status).toBe(200);

    const mail = await mailTo(app, email, /Confirm your e-mail address/);
    const token = tokenIn(mail, '/verify-email');
    const page = await client.raw(`/verify-email?token=${token}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('your e-mail address is confirmed');
    expect((await client.get('/api/v1/me')).body.user.emailVerified).toBe(true);

    const reused = await client.post('/api/v1/auth/verify-email', { token });
    expect(reused.status).toBe(400);
    expect(reused.body.error.code).toBe('token_used');
    const bogus = await client.post('/api/v1/auth/verify-email', { token: 'not-a-token' });
    expect(bogus.body.error).toEqual({ code: 'token_unknown', message: expect.stringMatching(/not valid/) });
  });

  test('display names are unique without regard to case', async () => {
    const name = uniqueName('Taken');
    await registerReader(app, { displayName: name });
    const res = await new TestClient(app.baseUrl).post('/api/v1/auth/register', { email: uniqueEmail(), password: GOOD_PASSWORD, displayName: name.toUpperCase() });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('display_name_taken');
    expect(res.body.error.message).toMatch(/already taken/);
  });

  test('handles stay distinct when names share their ASCII form', async () => {
    const a = await registerReader(app, { displayName: 'Zoë Twin' });
    const b = await registerReader(app, { displayName: 'Zoe Twin' });
    expect(a.user.handle).toBe('zoe-twin');
    expect(b.user.handle).toMatch(/^zoe-twin-[a-z2-9]{4}$/);
  });

  test.each([
    [{ password: 'password123' }, 400, 'weak_password', /common passwords/],
    [{ password: 'short' }, 400, 'weak_password', /at least 10 characters/],
    [{ displayName: 'A' }, 400, 'invalid_display_name', /at least 2/],
    [{ displayName: 'Ann\u200BExample' }, 400, 'invalid_display_name', /invisible/],
    [{ email: 'not-an-address' }, 400, 'invalid_email', /name@example.com/],
  ])('refuses %j in plain words', async (fields, status, code, message) => {
    const res = await new TestClient(app.baseUrl).post('/api/v1/auth/register', { email: uniqueEmail(), password: GOOD_PASSWORD, displayName: uniqueName(), ...fields });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
    expect(cookieLine(res.res, SESSION_COOKIE)).toBeUndefined();
  });

  test('an unknown field or a missing one is a 400 in the API’s error shape', async () => {
    const res = await new TestClient(app.baseUrl).post('/api/v1/auth/register', { email: uniqueEmail(), password: GOOD_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/displayName/);
  });

  test('a taken address gets the same answer as a new one; its owner is told by mail and it cannot be claimed', async () => {
    const owner = await registerReader(app);
    await mailTo(app, owner.email, /Confirm/);
    const fresh = await new TestClient(app.baseUrl).post('/api/v1/auth/register', { email: uniqueEmail(), password: GOOD_PASSWORD, displayName: uniqueName() });
    const attacker = new TestClient(app.baseUrl);
    const otherPassword = 'granite lantern orchestra';
    const dup = await attacker.post('/api/v1/auth/register', { email: owner.email, password: otherPassword, displayName: uniqueName() });
    expect(dup.status).toBe(fresh.status);
    const shape = (body: any) => Object.fromEntries(Object.entries(body.user).map(([k, v]) => [k, k === 'handle' || k === 'displayName' || k.endsWith('Url') || k === 'createdAt' ? typeof v : v === null ? null : typeof v]));
    expect(shape(dup.body)).toEqual(shape(fresh.body));
    expect(dup.res.headers.getSetCookie().map((l) => l.split('=')[0])).toEqual(fresh.res.headers.getSetCookie().map((l) => l.split('=')[0]));

    const notice = await mailTo(app, owner.email, /tried to register/);
    expect(notice.text).toMatch(/already has one/);
    expect(notice.text).not.toMatch(/verify-email\?token/);
    // The owner keeps their account; the address signs in to it only.
    const signIn = await new TestClient(app.baseUrl).post('/api/v1/auth/login', { email: owner.email, password: GOOD_PASSWORD });
    expect(signIn.body.user.handle).toBe(owner.user.handle);
    // …and signing in again with the address and the registrant's password works like for anyone.
    const back = await new TestClient(app.baseUrl).post('/api/v1/auth/login', { email: owner.email, password: otherPassword });
    expect(back.status).toBe(200);
    expect(back.body.user).toEqual(dup.body.user);
    // Asking again for a link sends the owner the notice, never a link the other account could use.
    await settle(app);
    const before = mailsTo(app, owner.email).length;
    expect((await attacker.post('/api/v1/auth/verify-email/resend')).status).toBe(202);
    await settle(app);
    const after = mailsTo(app, owner.email).slice(before);
    expect(after.map((m) => m.subject)).toEqual([expect.stringMatching(/tried to register/)]);
  });
});
