import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEVICE_COOKIE } from '../../src/accounts/known-devices.ts';
import { LIMITS } from '../../src/accounts/limits.ts';
import { THROTTLE, throttleKey } from '../../src/accounts/signin-throttle.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { ClientAt, cookieLine, GOOD_PASSWORD, registerReader, uniqueEmail } from './helpers.ts';

// Issue 18: nobody who knows a reader's address can keep them out. Guesses are slowed per account
// and source; the owner gets in from another address, and from a browser that signed in before even
// at the attacker's own address. The counts are in the database, so both dialects run this.

const WRONG = 'not the password at all';

describe.each(dialects)('sign-in throttling (%s)', (dialect) => {
  let app: TestApp;
  const clients: ClientAt[] = [];
  let nextAddress = 10;
  /** A browser on an address of its own. */
  const stranger = () => {
    const client = new ClientAt(app.baseUrl, `127.0.0.${nextAddress++}`);
    clients.push(client);
    return client;
  };
  const login = (client: TestClient, email: string, password: string) => client.post('/api/v1/auth/login', { email, password });

  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await app.close();
  });

  /** Lets the current wait of one account and source pass, as time would. */
  const letWaitPass = (email: string, source: string) =>
    app.ctx.db.kysely
      .updateTable('signin_throttle')
      .set({ blocked_until: new Date(Date.now() - 1000).toISOString() })
      .where('key', '=', throttleKey(email, source))
      .execute();

  test("an attacker at one address is slowed with 429 and Retry-After; the owner still signs in from another address and from a known device at the attacker's own", async () => {
    const owner = await registerReader(app);
    const device = owner.client.cookies.get(DEVICE_COOKIE);
    expect(device, 'registering makes the browser a known device').toBeTruthy();

    const attacker = stranger();
    const statuses: number[] = [];
    // More guesses than any lockout would allow: the owner must still get in afterwards.
    const guesses = 20;
    for (let i = 0; i < guesses; i++) statuses.push((await login(attacker, owner.email, WRONG)).status);
    expect(statuses).toEqual([...Array(THROTTLE.freeAttempts).fill(401), ...Array(guesses - THROTTLE.freeAttempts).fill(429)]);
    const slowed = await login(attacker, owner.email, GOOD_PASSWORD);
    expect(slowed.status, 'while waiting, even the right password is not tried').toBe(429);
    expect(slowed.body.error.code).toBe('rate_limited');
    expect(slowed.body.error.message).toMatch(/Too many attempts\. Please wait \d+ seconds/);
    expect(Number(slowed.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // The owner, somewhere else, with no history on that browser.
    const elsewhere = stranger();
    const fromElsewhere = await login(elsewhere, owner.email, GOOD_PASSWORD);
    expect(fromElsewhere.status).toBe(200);
    expect(fromElsewhere.body.user.handle).toBe(owner.user.handle);

    // The owner's own browser on the attacker's network (the same address): it signed in before.
    const known = new ClientAt(app.baseUrl, attacker.address);
    clients.push(known);
    known.cookies.set(DEVICE_COOKIE, device!);
    const fromKnown = await login(known, owner.email, GOOD_PASSWORD);
    expect(fromKnown.status).toBe(200);
    // Signing in gives the browser a fresh device token; the old one is spent.
    expect(known.cookies.get(DEVICE_COOKIE)).not.toBe(device);
    expect(cookieLine(fromKnown.res, DEVICE_COOKIE)).toMatch(/HttpOnly; SameSite=Lax/);

    // The attacker is still waiting.
    expect((await login(attacker, owner.email, WRONG)).status).toBe(429);
  });

  test('the waits grow with every further failure, and a success clears only its own source', async () => {
    const { email } = await registerReader(app);
    const client = stranger();
    const source = `ip:${client.address}`;
    for (let i = 0; i < THROTTLE.freeAttempts; i++) expect((await login(client, email, WRONG)).status).toBe(401);
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      const limited = await login(client, email, WRONG);
      expect(limited.status).toBe(429);
      waits.push(Number(limited.res.headers.get('retry-after')));
      await letWaitPass(email, source);
      expect((await login(client, email, WRONG)).status).toBe(401);
    }
    expect(waits).toEqual([2, 4, 8]);
    // Once the wait is over, the right password gets in and the count starts again from nothing.
    await letWaitPass(email, source);
    expect((await login(client, email, GOOD_PASSWORD)).status).toBe(200);
    for (let i = 0; i < THROTTLE.freeAttempts; i++) expect((await login(client, email, WRONG)).status).toBe(401);
  });

  test('guesses sent all at once get no more tries than guesses sent one by one', async () => {
    const { email } = await registerReader(app);
    const client = stranger();
    const statuses = (await Promise.all(Array.from({ length: 20 }, () => login(client, email, WRONG)))).map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(THROTTLE.freeAttempts);
  });

  test('an address without an account is throttled exactly like one with an account', async () => {
    const { email } = await registerReader(app);
    const nobody = uniqueEmail('nobody');
    const client = stranger();
    const statuses: Record<string, number[]> = { [email]: [], [nobody]: [] };
    for (let i = 0; i <= THROTTLE.freeAttempts; i++) for (const address of [email, nobody]) statuses[address]!.push((await login(client, address, WRONG)).status);
    expect(statuses[email]).toEqual(statuses[nobody]);
    expect(statuses[email]).toEqual([...Array(THROTTLE.freeAttempts).fill(401), 429]);
    const bodies = [await login(client, email, WRONG), await login(client, nobody, WRONG)].map((r) => r.body.error.code);
    expect(bodies).toEqual(['rate_limited', 'rate_limited']);
  });

  test('guessing from many addresses is capped per account; the owner\'s known browser still gets in, a planted device cookie does not', async () => {
    const owner = await registerReader(app);
    const attacker = await registerReader(app);
    const attackerDevice = attacker.client.cookies.get(DEVICE_COOKIE)!;
    // The attacker plants their own (known) device token in the owner's browser before the owner signs in.
    const ownerBrowser = stranger();
    ownerBrowser.cookies.set(DEVICE_COOKIE, attackerDevice);
    expect((await login(ownerBrowser, owner.email, GOOD_PASSWORD)).status).toBe(200);
    expect(ownerBrowser.cookies.get(DEVICE_COOKIE)).not.toBe(attackerDevice);

    // A botnet has spent all but one of the hour's failures on the account…
    await app.ctx.db.kysely
      .insertInto('signin_throttle')
      .values({ key: throttleKey(owner.email, '*'), failures: THROTTLE.accountMaxFailures - 1, blocked_until: null, expires_at: new Date(Date.now() + THROTTLE.accountWindowMs).toISOString() })
      .execute();
    expect((await login(stranger(), owner.email, WRONG)).status).toBe(401);
    // …now strangers wait for the hour to end, told how else to get in, even with the right password.
    const capped = await login(stranger(), owner.email, GOOD_PASSWORD);
    expect(capped.status).toBe(429);
    expect(capped.body.error.message).toMatch(/from new devices.*device you have used before.*Forgot your password/);
    expect(Number(capped.res.headers.get('retry-after'))).toBeGreaterThan(3000);
    // The token the attacker planted was replaced at sign-in: with it, they are a stranger too.
    const planted = stranger();
    planted.cookies.set(DEVICE_COOKIE, attackerDevice);
    expect((await login(planted, owner.email, GOOD_PASSWORD)).status).toBe(429);
    // The owner's browser signed in before: it gets in.
    expect((await login(ownerBrowser, owner.email, GOOD_PASSWORD)).status).toBe(200);
    // And so does their original browser, the one they registered with.
    expect((await login(owner.client, owner.email, GOOD_PASSWORD)).status).toBe(200);
  });

  test('the per-address limit across accounts stays, except for a browser that signed in to the account before', async () => {
    const owner = await registerReader(app);
    const client = stranger();
    for (let i = 0; i < LIMITS.signIn.perIp.max; i++) expect((await login(client, uniqueEmail('spray'), WRONG)).status).toBe(401);
    expect((await login(client, owner.email, GOOD_PASSWORD)).status).toBe(429);
    const known = new ClientAt(app.baseUrl, client.address);
    clients.push(known);
    known.cookies.set(DEVICE_COOKIE, owner.client.cookies.get(DEVICE_COOKIE)!);
    expect((await login(known, owner.email, GOOD_PASSWORD)).status).toBe(200);
  });

  test('the sign-in page answers 429 with Retry-After, keeps the address and says what to do', async () => {
    const { email } = await registerReader(app);
    const client = stranger();
    for (let i = 0; i < THROTTLE.freeAttempts; i++) expect((await client.form('/signin', { email, password: WRONG })).status).toBe(401);
    const page = await client.form('/signin', { email, password: GOOD_PASSWORD });
    expect(page.status).toBe(429);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    const html = await page.text();
    expect(html).toMatch(/Too many attempts/);
    expect(html).toMatch(/Forgot your password/);
    expect(html).toContain(`value="${email}"`);
  });

  test('deleting the account forgets its browsers', async () => {
    const owner = await registerReader(app);
    const user = await app.ctx.db.kysely.selectFrom('users').select('id').where('handle', '=', owner.user.handle).executeTakeFirstOrThrow();
    const count = async () => Number((await app.ctx.db.kysely.selectFrom('known_devices').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', user.id).executeTakeFirstOrThrow()).n);
    expect(await count()).toBe(1);
    const exported = await owner.client.get('/api/v1/me/export');
    expect(exported.body.knownDevices).toHaveLength(1);
    expect(JSON.stringify(exported.body.knownDevices)).not.toContain(owner.client.cookies.get(DEVICE_COOKIE));
    expect((await owner.client.json('DELETE', '/api/v1/me', { password: GOOD_PASSWORD })).status).toBe(204);
    expect(await count()).toBe(0);
  });
});
