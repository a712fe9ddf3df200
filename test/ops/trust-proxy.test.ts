import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THROTTLE } from '../../src/accounts/signin-throttle.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { GOOD_PASSWORD, registerReader } from '../accounts/helpers.ts';

// Behind a reverse proxy every request comes from the proxy's address. Sign-in throttling and rate
// limits count per client address, so with TRUST_PROXY the forwarded address is the client's; without
// it, X-Forwarded-For is anyone's to write and is ignored.

const WRONG = 'not the password at all';

async function guessesThenOwner(app: TestApp): Promise<number> {
  const owner = await registerReader(app);
  const login = (forwardedFor: string, password: string) =>
    new TestClient(app.baseUrl).json('POST', '/api/v1/auth/login', { email: owner.email, password }, { headers: { 'x-forwarded-for': forwardedFor } });
  for (let i = 0; i <= THROTTLE.freeAttempts; i++) await login('198.51.100.7', WRONG);
  return (await login('203.0.113.20', GOOD_PASSWORD)).status;
}

describe('TRUST_PROXY', () => {
  let behindProxy: TestApp;
  let direct: TestApp;
  beforeAll(async () => {
    behindProxy = await startTestApp('sqlite', { TRUST_PROXY: 'loopback' });
    direct = await startTestApp('sqlite');
  });
  afterAll(async () => {
    await behindProxy?.close();
    await direct?.close();
  });

  it('counts the forwarded client address when the proxy is trusted: the owner elsewhere gets in', async () => {
    expect(await guessesThenOwner(behindProxy)).toBe(200);
  });

  it('ignores X-Forwarded-For from an untrusted peer: every request is the peer’s', async () => {
    expect(await guessesThenOwner(direct)).toBe(429);
  });
});
