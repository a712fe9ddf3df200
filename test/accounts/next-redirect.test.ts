import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { GOOD_PASSWORD, registerReader } from './helpers.ts';

// Issue 18: `next` must never send a reader from our sign-in to another site. Every variant below
// normalises to "//host" or "/\host" (a browser reads either as another site), or names another
// site outright; each must end on a path of our own site, wherever `next` is followed.

const ATTACKS = [
  '/.//evil.example/phish',
  '/..//evil.example/phish',
  '/a/..//evil.example/phish',
  '/%2e//evil.example/phish',
  '/%2E%2e//evil.example/phish',
  '/./\\evil.example/phish',
  '/\\evil.example/phish',
  '/\t/evil.example/phish',
  '/\n/evil.example/phish',
  '//evil.example/phish',
  'https://evil.example/phish',
  'javascript:alert(document.cookie)',
];

describe.each(dialects)('where sign-in goes next (%s)', (dialect) => {
  let app: TestApp;
  let origin: string;
  // One reader for every case: registrations are limited per address.
  let reader: Awaited<ReturnType<typeof registerReader>>;
  beforeAll(async () => {
    app = await startTestApp(dialect);
    origin = new URL(app.baseUrl).origin;
    reader = await registerReader(app);
  });
  afterAll(() => app.close());

  /** A Location header that a browser, resolving it against our page, keeps on our site. */
  const expectOwnPath = (location: string | null, raw: string) => {
    expect(location, raw).not.toBeNull();
    expect(location!.startsWith('/') && !location!.startsWith('//') && !location!.startsWith('/\\'), `${JSON.stringify(raw)} → ${location}`).toBe(true);
    expect(new URL(location!, `${origin}/signin`).origin, `${JSON.stringify(raw)} → ${location}`).toBe(origin);
  };
  const query = (raw: string) => `next=${encodeURIComponent(raw)}`;

  test.each(ATTACKS)('GET /signin and GET /register, signed in, stay on the site: %j', async (raw) => {
    for (const path of ['/signin', '/register']) {
      const res = await reader.client.raw(`${path}?${query(raw)}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(303);
      expectOwnPath(res.headers.get('location'), raw);
    }
  });

  test.each(ATTACKS)('POST /signin stays on the site: %j', async (raw) => {
    const res = await new TestClient(app.baseUrl).form('/signin', { email: reader.email, password: GOOD_PASSWORD, next: raw });
    expect(res.status).toBe(303);
    expectOwnPath(res.headers.get('location'), raw);
  });

  test('POST /register and POST /signout stay on the site', async () => {
    for (const raw of ATTACKS.slice(0, 4)) {
      const reg = await new TestClient(app.baseUrl).form('/register', { email: `${Math.random().toString(36).slice(2)}@example.com`, displayName: `Reader ${Math.random().toString(36).slice(2, 8)}`, password: GOOD_PASSWORD, next: raw });
      expect(reg.status).toBe(303);
      expectOwnPath(reg.headers.get('location'), raw);
      const browser = new TestClient(app.baseUrl);
      await browser.form('/signin', { email: reader.email, password: GOOD_PASSWORD });
      const out = await browser.form('/signout', { next: raw });
      expect(out.status).toBe(303);
      expectOwnPath(out.headers.get('location'), raw);
    }
  });

  test('the sign-in form never carries the attack on to its hidden field or links', async () => {
    for (const raw of ATTACKS) {
      const page = await (await new TestClient(app.baseUrl).raw(`/signin?${query(raw)}`, { headers: { accept: 'text/html' } })).text();
      // The header's own sign-in link names this page (encoded): only the form's part is looked at.
      const main = page.slice(page.indexOf('<main'));
      expect(main, raw).not.toMatch(/name="next"/);
      expect(main, raw).not.toMatch(/evil\.example|javascript:/);
    }
  });

  test('a path of the site comes back resolved, and an address on our own public origin keeps its path', async () => {
    const client = reader.client;
    const resolved = await client.raw(`/signin?${query('/articles/a/../b?x=1#comments')}`, { headers: { accept: 'text/html' } });
    expect(resolved.headers.get('location')).toBe('/articles/b?x=1#comments');
    const absolute = await client.raw(`/signin?${query(`${app.config.publicUrl}/articles/b`)}`, { headers: { accept: 'text/html' } });
    expect(absolute.headers.get('location')).toBe('/articles/b');
  });
});
