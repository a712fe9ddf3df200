import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { LIMITS } from '../../src/accounts/limits.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { GOOD_PASSWORD, uniqueEmail, uniqueName } from './helpers.ts';

// Rate limits live in the server's memory, the same for both databases: SQLite is enough here.
describe('rate limits', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp('sqlite');
  });
  afterEach(() => app.close());

  // Sign-in: see signin-throttle.test.ts (per account and source, never a lockout of the owner).

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
