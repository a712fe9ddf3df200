import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { GOOD_PASSWORD, registerReader, uniqueEmail, uniqueName } from './helpers.ts';

describe.each(dialects)('CSRF protection (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(() => app.close());

  test('GET /api/v1/auth/csrf gives a token', async () => {
    const res = await new TestClient(app.baseUrl).get('/api/v1/auth/csrf');
    expect(res.status).toBe(200);
    expect(res.body.token).toEqual(expect.any(String));
    expect(res.res.headers.get('cache-control')).toBe('no-store');
  });

  test.each([
    ['POST', '/api/v1/auth/register', { email: 'x@example.com', password: GOOD_PASSWORD, displayName: 'Csrf Victim' }],
    ['POST', '/api/v1/auth/login', { email: 'x@example.com', password: GOOD_PASSWORD }],
    ['POST', '/api/v1/auth/password-reset', { email: 'x@example.com' }],
  ])('refuses %s %s without X-CSRF-Token, even signed out', async (method, path, body) => {
    const client = new TestClient(app.baseUrl);
    const res = await client.json(method, path, body, { csrf: false });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_failed');
  });

  test('refuses every state-changing call made with the session cookie but without the token, or with a wrong one', async () => {
    const { client } = await registerReader(app);
    const calls: [string, string, unknown][] = [
      ['POST', '/api/v1/auth/logout', {}],
      ['POST', '/api/v1/auth/logout-everywhere', {}],
      ['PATCH', '/api/v1/me', { bio: 'hacked' }],
      ['DELETE', '/api/v1/me', { password: GOOD_PASSWORD }],
      ['POST', '/api/v1/me/password', { currentPassword: GOOD_PASSWORD, newPassword: 'another fine passphrase' }],
      ['POST', '/api/v1/me/email', { email: 'evil@example.com', currentPassword: GOOD_PASSWORD }],
    ];
    for (const [method, path, body] of calls) {
      const missing = await client.json(method, path, body, { csrf: false });
      expect(missing.status, `${method} ${path}`).toBe(403);
      const wrong = await client.json(method, path, body, { csrf: false, headers: { 'x-csrf-token': 'forged' } });
      expect(wrong.status, `${method} ${path}`).toBe(403);
    }
    const me = await client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user.bio).toBe('');
  });

  test('a token from another browser does not work', async () => {
    const mine = await registerReader(app);
    const other = new TestClient(app.baseUrl);
    const foreign = await other.csrfToken();
    const res = await mine.client.json('PATCH', '/api/v1/me', { bio: 'x' }, { csrf: false, headers: { 'x-csrf-token': foreign } });
    expect(res.status).toBe(403);
  });

  test('page forms need the hidden _csrf field', async () => {
    const client = new TestClient(app.baseUrl);
    const res = await client.form('/register', { email: uniqueEmail(), displayName: uniqueName(), password: GOOD_PASSWORD }, { csrf: false });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/could not be verified/);
    const signin = await client.form('/signin', { email: 'x@example.com', password: GOOD_PASSWORD }, { csrf: false });
    expect(signin.status).toBe(403);
  });
});
