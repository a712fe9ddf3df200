import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { LIMITS } from '../../src/accounts/limits.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { GOOD_PASSWORD, registerReader, uniqueEmail, uniqueName } from './helpers.ts';

// Rate limits live in the server's memory, the same for both databases: SQLite is enough here.
describe('rate limits', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp('sqlite');
  });
  afterEach(() => app.close());

  test('sign-in is limited per account, for known and unknown addresses alike, with Retry-After', async () => {
    const { email } = await registerReader(app);
    const unknown = uniqueEmail('nobody');
    const client = new TestClient(app.baseUrl);
    const statuses: Record<string, number[]> = { [email]: [], [unknown]: [] };
    for (let i = 0; i <= LIMITS.signIn.perAccount.max; i++) {
      for (const address of [email, unknown]) statuses[address]!.push((await client.post('/api/v1/auth/login', { email: address, password: 'wrong password here' })).status);
    }
    const expected = [...Array(LIMITS.signIn.perAccount.max).fill(401), 429];
    expect(statuses[email]).toEqual(expected);
    expect(statuses[unknown]).toEqual(expected);
    const limited = await client.post('/api/v1/auth/login', { email: email.toUpperCase(), password: GOOD_PASSWORD });
    expect(limited.status).toBe(429);
    expect(Number(limited.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.body.error.message).toMatch(/Too many attempts/);
    // Another account from the same address is not locked out by it.
    const other = await registerReader(app);
    expect((await client.post('/api/v1/auth/login', { email: other.email, password: GOOD_PASSWORD })).status).toBe(200);
  });

  test('the sign-in page shares the counters and keeps what was typed', async () => {
    const email = uniqueEmail();
    const client = new TestClient(app.baseUrl);
    for (let i = 0; i < LIMITS.signIn.perAccount.max; i++) await client.post('/api/v1/auth/login', { email, password: 'wrong password here' });
    const page = await client.form('/signin', { email, password: 'wrong password here' });
    expect(page.status).toBe(429);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    const html = await page.text();
    expect(html).toMatch(/Too many attempts/);
    expect(html).toContain(`value="${email}"`);
  });

  test('password reset is limited per account', async () => {
    const email = uniqueEmail();
    const client = new TestClient(app.baseUrl);
    const statuses: number[] = [];
    for (let i = 0; i <= LIMITS.passwordReset.perAccount.max; i++) statuses.push((await client.post('/api/v1/auth/password-reset', { email })).status);
    expect(statuses).toEqual([...Array(LIMITS.passwordReset.perAccount.max).fill(202), 429]);
  });

  test('registration is limited per IP address', async () => {
    const client = new TestClient(app.baseUrl);
    const statuses: number[] = [];
    // Invalid attempts count too (they cost no hashing, so they are cheap to send).
    for (let i = 0; i <= LIMITS.register.perIp.max; i++) {
      statuses.push((await client.post('/api/v1/auth/register', { email: 'bad', password: GOOD_PASSWORD, displayName: uniqueName() })).status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
