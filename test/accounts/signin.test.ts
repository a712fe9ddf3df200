import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SESSION_COOKIE } from '../../src/accounts/model.ts';
import { setRole } from '../../src/accounts/profile.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { cookieLine, GOOD_PASSWORD, registerReader, uniqueEmail } from './helpers.ts';

describe.each(dialects)('signing in and sessions (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(() => app.close());

  const login = (client: TestClient, email: string, password = GOOD_PASSWORD, remember?: boolean) =>
    client.post('/api/v1/auth/login', { email, password, ...(remember === undefined ? {} : { remember }) });

  test('the session cookie is HttpOnly, SameSite=Lax, ends with the browser unless "keep me signed in"', async () => {
    const { email } = await registerReader(app);
    const plain = cookieLine((await login(new TestClient(app.baseUrl), email)).res, SESSION_COOKIE)!;
    expect(plain).toMatch(/; HttpOnly/);
    expect(plain).toMatch(/; SameSite=Lax/);
    expect(plain).toMatch(/; Path=\//);
    expect(plain).not.toMatch(/Expires|Max-Age/i);
    expect(plain).not.toMatch(/Secure/);
    const kept = cookieLine((await login(new TestClient(app.baseUrl), email, GOOD_PASSWORD, true)).res, SESSION_COOKIE)!;
    const expires = new Date(/Expires=([^;]+)/.exec(kept)![1]!);
    expect(expires.getTime() - Date.now()).toBeGreaterThan(89 * 24 * 3600 * 1000);
  });

  test('session fixation: signing in replaces whatever session cookie the browser had', async () => {
    const victim = await registerReader(app);
    const attacker = await registerReader(app);
    // The attacker plants their own session token in the victim's browser…
    const browser = new TestClient(app.baseUrl);
    const planted = attacker.client.cookies.get(SESSION_COOKIE)!;
    browser.cookies.set(SESSION_COOKIE, planted);
    expect((await browser.get('/api/v1/me')).body.user.handle).toBe(attacker.user.handle);
    // …the victim signs in: a brand-new token, and the planted one is dead.
    const res = await login(browser, victim.email);
    expect(res.status).toBe(200);
    const fresh = browser.cookies.get(SESSION_COOKIE)!;
    expect(fresh).not.toBe(planted);
    const stale = new TestClient(app.baseUrl);
    stale.cookies.set(SESSION_COOKIE, planted);
    expect((await stale.get('/api/v1/me')).status).toBe(401);
    expect((await browser.get('/api/v1/me')).body.user.handle).toBe(victim.user.handle);
  });

  test('enumeration: a wrong password and an unknown address get the same status and body', async () => {
    const { email } = await registerReader(app);
    const wrong = await login(new TestClient(app.baseUrl), email, 'not the password at all');
    const unknown = await login(new TestClient(app.baseUrl), uniqueEmail('nobody'), 'not the password at all');
    const invalid = await login(new TestClient(app.baseUrl), 'not an address', 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(invalid.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(invalid.body).toEqual(wrong.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  test('addresses are matched trimmed and without regard to case', async () => {
    const { email, user } = await registerReader(app);
    const res = await login(new TestClient(app.baseUrl), ` ${email.toUpperCase()} `);
    expect(res.body.user.handle).toBe(user.handle);
  });

  test('sign out ends the session; GET /api/v1/me then says 401', async () => {
    const { client } = await registerReader(app);
    const token = client.cookies.get(SESSION_COOKIE)!;
    const out = await client.post('/api/v1/auth/logout');
    expect(out.status).toBe(204);
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    const replay = new TestClient(app.baseUrl);
    replay.cookies.set(SESSION_COOKIE, token);
    const me = await replay.get('/api/v1/me');
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('unauthenticated');
  });

  test('lists my sessions with their browser and last use, and revokes one', async () => {
    const { client, email } = await registerReader(app);
    const phone = new TestClient(app.baseUrl);
    await phone.json('POST', '/api/v1/auth/login', { email, password: GOOD_PASSWORD }, { headers: { 'user-agent': 'Mozilla/5.0 (iPhone) Safari/604.1' } });
    const list = await client.get('/api/v1/me/sessions');
    expect(list.body.sessions).toHaveLength(2);
    const other = list.body.sessions.find((s: any) => !s.current);
    expect(other.userAgent).toContain('iPhone');
    expect(Date.parse(other.lastSeenAt)).not.toBeNaN();
    expect((await client.delete(`/api/v1/me/sessions/${other.id}`)).status).toBe(204);
    expect((await phone.get('/api/v1/me')).status).toBe(401);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    // Someone else's session id is not mine to revoke.
    const stranger = await registerReader(app);
    const theirs = (await stranger.client.get('/api/v1/me/sessions')).body.sessions[0].id;
    expect((await client.delete(`/api/v1/me/sessions/${theirs}`)).status).toBe(404);
    expect((await stranger.client.get('/api/v1/me')).status).toBe(200);
  });

  test('sign out everywhere ends every session', async () => {
    const { client, email } = await registerReader(app);
    const other = new TestClient(app.baseUrl);
    await login(other, email);
    expect((await client.post('/api/v1/auth/logout-everywhere')).status).toBe(204);
    expect((await client.get('/api/v1/me')).status).toBe(401);
    expect((await other.get('/api/v1/me')).status).toBe(401);
  });

  test('a change of role rotates the session token', async () => {
    const { client, email } = await registerReader(app);
    const before = client.cookies.get(SESSION_COOKIE)!;
    await setRole(app.ctx, email, 'moderator');
    const me = await client.get('/api/v1/me');
    expect(me.body.user.role).toBe('moderator');
    const after = client.cookies.get(SESSION_COOKIE)!;
    expect(after).not.toBe(before);
    const old = new TestClient(app.baseUrl);
    old.cookies.set(SESSION_COOKIE, before);
    expect((await old.get('/api/v1/me')).status).toBe(401);
    // The change is audited like an admin's, with no actor: an operator on the server did it.
    const user = await app.ctx.db.kysely.selectFrom('users').select('id').where('handle', '=', me.body.user.handle).executeTakeFirstOrThrow();
    const entry = await app.ctx.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'reader.role')
      .where('target_id', '=', String(user.id))
      .executeTakeFirstOrThrow();
    expect(entry.actor_id).toBeNull();
    expect(JSON.parse(entry.detail)).toEqual({ from: 'reader', to: 'moderator' });
  });

  test('the user object never carries the password hash', async () => {
    const { client } = await registerReader(app);
    const bodies = [await client.get('/api/v1/me'), await client.get('/api/v1/me/export')].map((r) => JSON.stringify(r.body));
    for (const body of bodies) expect(body).not.toMatch(/argon2|password_hash|passwordHash/);
  });
});

describe('with an https PUBLIC_URL', () => {
  test('the session and CSRF cookies are Secure', async () => {
    const app = await startTestApp('sqlite', { PUBLIC_URL: 'https://news.example.org' });
    try {
      const client = new TestClient(app.baseUrl);
      const csrf = await client.raw('/api/v1/auth/csrf');
      expect(cookieLine(csrf, 'parley_csrf')).toMatch(/; Secure/);
      const res = await client.post('/api/v1/auth/register', { email: uniqueEmail(), password: GOOD_PASSWORD, displayName: 'Secure Sam' });
      expect(cookieLine(res.res, SESSION_COOKIE)).toMatch(/; Secure/);
      expect(cookieLine(res.res, SESSION_COOKIE)).toMatch(/; HttpOnly/);
    } finally {
      await app.close();
    }
  });
});
