import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/accounts/model.ts';
import type { Site } from '../../src/sites/model.ts';
import { createSite, defaultSite, updateSite } from '../../src/sites/store.ts';
import { defaultOidcOffer } from '../../src/sso/signin-offer.tsx';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';
import { startTestProvider, type TestAccount, type TestProvider } from './oidc-provider.ts';

// "Sign in with <publisher>" against a real OpenID provider (oidc-provider) on loopback: the whole
// authorization-code flow driven through HTTP, redirects followed by hand with a cookie jar per host.

const PUBLIC_URL = 'http://parley.test';
const callbackFor = (key: string) => `${PUBLIC_URL}/auth/oidc/${key}/callback`;

/** The provider's cookies (the Parley side keeps its own in TestClient). */
class Jar {
  private readonly cookies = new Map<string, string>();
  header = () => [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

describe.each(dialects)('sign in with an OpenID provider on %s', (dialect) => {
  let app: TestApp;
  let provider: TestProvider;
  let impostor: TestProvider;
  let site: Site;

  const html = { accept: 'text/html,application/xhtml+xml' };

  /** Starts at Parley and follows redirects through the provider until it points back at Parley's callback. */
  async function toCallback(parley: TestClient, siteKey: string, next?: string): Promise<URL> {
    const start = await parley.raw(`/auth/oidc/${siteKey}/start${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`, { headers: html });
    expect(start.status).toBe(303);
    return throughProvider(new URL(start.headers.get('location')!), siteKey);
  }

  async function throughProvider(authorization: URL, siteKey: string): Promise<URL> {
    let location = authorization;
    const jar = new Jar();
    for (let hop = 0; hop < 10 && location.href.startsWith(provider.url); hop++) {
      const res = await fetch(location, { redirect: 'manual', headers: { cookie: jar.header(), ...html } });
      jar.keep(res);
      expect([302, 303]).toContain(res.status);
      location = new URL(res.headers.get('location')!, location);
    }
    expect(location.href.startsWith(callbackFor(siteKey))).toBe(true);
    return location;
  }

  /** Hands the provider's answer to Parley as the browser would. */
  const callback = (parley: TestClient, location: URL, headers: Record<string, string> = html) => parley.raw(`${location.pathname}${location.search}`, { headers });

  const account = (overrides: Partial<TestAccount> = {}): TestAccount => ({
    sub: `oidc-${randomUUID()}`,
    email: `${randomUUID().slice(0, 8)}@publisher.example`,
    email_verified: true,
    name: 'Olive Openid',
    ...overrides,
  });

  beforeAll(async () => {
    app = await startTestApp(dialect, { PUBLIC_URL });
    provider = await startTestProvider({ redirectUris: [callbackFor('pub'), callbackFor('roles')] });
    // Listens on 127.0.0.1 but calls itself localhost: its discovery document names another issuer.
    impostor = await startTestProvider({ redirectUris: [callbackFor('impostor')], issuerHost: 'localhost' });
    const oidc = { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, label: 'The Publisher' };
    site = await createSite(app.ctx, { key: 'pub', name: 'The Publisher', origins: ['https://publisher.example'], sso: { oidc } });
    await createSite(app.ctx, { key: 'roles', name: 'Roles Publisher', origins: ['https://roles.example'], sso: { oidc, roles: { claim: 'parley_role', map: { mods: 'moderator' } } } });
    await createSite(app.ctx, {
      key: 'impostor',
      name: 'Impostor',
      origins: ['https://impostor.example'],
      sso: { oidc: { issuer: impostor.url, clientId: impostor.clientId, clientSecret: impostor.clientSecret, label: 'Impostor' } },
    });
    await createSite(app.ctx, { key: 'nossso', name: 'No SSO', origins: ['https://nosso.example'] });
  });
  afterAll(async () => {
    await app?.close();
    await provider?.close();
    await impostor?.close();
  });

  it('signs a reader in through the code flow and links the account by issuer and subject', async () => {
    const reader = account({ name: 'Olive Openid' });
    provider.loginAs = reader;
    const parley = new TestClient(app.baseUrl);
    const start = await parley.raw('/auth/oidc/pub/start?next=%2Farticles%2Fsome-story', { headers: html });
    const authorization = new URL(start.headers.get('location')!);
    expect(authorization.origin).toBe(provider.url);
    expect(Object.fromEntries(authorization.searchParams)).toMatchObject({ client_id: provider.clientId, response_type: 'code', code_challenge_method: 'S256', redirect_uri: callbackFor('pub') });
    for (const param of ['state', 'nonce', 'code_challenge']) expect(authorization.searchParams.get(param)!.length).toBeGreaterThan(20);
    const flowCookie = start.headers.getSetCookie().find((c) => c.startsWith('parley_oidc='))!;
    expect(flowCookie).toMatch(/HttpOnly/i);
    expect(flowCookie).toMatch(/Path=\/auth\/oidc\//);
    expect(flowCookie).toMatch(/SameSite=Lax/i);

    const back = await throughProvider(authorization, 'pub');
    expect(back.searchParams.get('state')).toBe(authorization.searchParams.get('state'));
    // Signed in with the same browser's cookie: the start above set the flow cookie.
    const done = await callback(parley, back);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/articles/some-story');
    expect(parley.cookies.get(SESSION_COOKIE)).toBeTruthy();
    expect(parley.cookies.has('parley_oidc')).toBe(false);

    const me = await parley.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ displayName: 'Olive Openid', email: reader.email, emailVerified: true, role: 'reader' });

    const links = await app.ctx.db.kysely.selectFrom('sso_identities').selectAll().where('subject', '=', reader.sub).execute();
    expect(links.map((l) => [l.provider, Number(l.site_id)])).toEqual([[`oidc:${provider.issuer}`, site.id]]);

    // Signing in again (another browser) finds the same account.
    const again = new TestClient(app.baseUrl);
    await callback(again, await toCallback(again, 'pub'));
    expect((await again.get('/api/v1/me')).body.user.handle).toBe(me.body.user.handle);
    // The flow was spent: its answer does not sign anyone in twice.
    const replay = await callback(new TestClient(app.baseUrl), back);
    expect(replay.status).toBe(400);
  });

  it('marks the address verified only when the provider says so, and never takes over an address owner', async () => {
    provider.loginAs = account({ email_verified: false, name: 'Unverified Person' });
    const parley = new TestClient(app.baseUrl);
    await callback(parley, await toCallback(parley, 'pub'));
    expect((await parley.get('/api/v1/me')).body.user).toMatchObject({ email: provider.loginAs.email, emailVerified: false });

    const owner = await createTestUser(app.ctx, { displayName: 'Address Owner' });
    provider.loginAs = account({ email: owner.email, name: 'Address Claimant' });
    const claimant = new TestClient(app.baseUrl);
    await callback(claimant, await toCallback(claimant, 'pub'));
    const user = (await claimant.get('/api/v1/me')).body.user;
    expect(user.handle).not.toBe(owner.handle);
    expect(user.email).toBeNull();
  });

  it('replaces the session the browser had, and sends an unsafe next to the front page', async () => {
    const someone = await createTestUser(app.ctx);
    const parley = await signedInClient(app.ctx, app.baseUrl, someone);
    const before = parley.cookies.get(SESSION_COOKIE)!;
    provider.loginAs = account({ name: 'Session Rotator' });
    const done = await callback(parley, await toCallback(parley, 'pub', '//evil.example/path'));
    expect(done.headers.get('location')).toBe('/');
    expect(parley.cookies.get(SESSION_COOKIE)).not.toBe(before);
    expect((await parley.get('/api/v1/me')).body.user.displayName).toBe('Session Rotator');
    const stale = await fetch(`${app.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${before}` } });
    expect(stale.status).toBe(401);
  });

  it('takes roles from the provider where the site maps them', async () => {
    provider.loginAs = account({ name: 'Mod From Publisher', parley_role: 'mods' });
    const parley = new TestClient(app.baseUrl);
    await callback(parley, await toCallback(parley, 'roles'));
    expect((await parley.get('/api/v1/me')).body.user.role).toBe('moderator');
    // The same claim through a site without a mapping gives nothing.
    provider.loginAs = account({ name: 'Unmapped Mod', parley_role: 'mods' });
    const plain = new TestClient(app.baseUrl);
    await callback(plain, await toCallback(plain, 'pub'));
    expect((await plain.get('/api/v1/me')).body.user.role).toBe('reader');
  });

  it('refuses an answer whose ID token carries another nonce', async () => {
    provider.loginAs = account({ name: 'Nonce Victim' });
    const parley = new TestClient(app.baseUrl);
    const back = await toCallback(parley, 'pub');
    // The nonce we keep for this flow no longer matches the one the provider put in the ID token.
    await app.ctx.db.kysely.updateTable('sso_oidc_flows').set({ nonce: 'a-nonce-this-flow-never-sent' }).where('state', '=', back.searchParams.get('state')!).execute();
    const res = await callback(parley, back);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('did not pass Parley');
    expect(parley.cookies.has(SESSION_COOKIE)).toBe(false);
    expect((await parley.get('/api/v1/me')).status).toBe(401);
  });

  it('refuses a tampered state, an answer for another browser and a refusal by the reader, on pages', async () => {
    provider.loginAs = account({ name: 'State Victim' });
    const parley = new TestClient(app.baseUrl);
    const back = await toCallback(parley, 'pub');
    const tampered = new URL(back);
    tampered.searchParams.set('state', 'forged-state-value');
    const forged = await callback(parley, tampered);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('does not belong to the sign-in this browser started');

    // Another browser (no flow cookie) brings the provider's answer: it is refused.
    const stranger = await callback(new TestClient(app.baseUrl), await toCallback(new TestClient(app.baseUrl), 'pub'));
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain('started in another browser');

    provider.loginAs = null;
    const denied = new TestClient(app.baseUrl);
    const res = await callback(denied, await toCallback(denied, 'pub'));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('You did not finish signing in with The Publisher');
    const json = await callback(denied, new URL(`${callbackFor('pub')}?error=access_denied`), { accept: 'application/json' });
    expect(json.status).toBe(400);
    expect(((await json.json()) as any).error.code).toBe('oidc_flow_unknown');
  });

  it('refuses a provider that presents itself as another issuer', async () => {
    const parley = new TestClient(app.baseUrl);
    const res = await parley.raw('/auth/oidc/impostor/start', { headers: html });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('does not present itself as the issuer');
  });

  it('ends on a page, not a 500, when the provider cannot be reached', async () => {
    await createSite(app.ctx, { key: 'gone', name: 'Gone', origins: ['https://gone.example'], sso: { oidc: { issuer: 'http://127.0.0.1:9', clientId: 'x', label: 'Gone Accounts' } } });
    const res = await new TestClient(app.baseUrl).raw('/auth/oidc/gone/start', { headers: html });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('could not reach the sign-in service of Gone Accounts');
  });

  it('answers sites without OpenID and unknown sites with a 404 page, and the sign-in page still works', async () => {
    const parley = new TestClient(app.baseUrl);
    const none = await parley.raw('/auth/oidc/nossso/start', { headers: html });
    expect(none.status).toBe(404);
    expect(await none.text()).toContain('does not offer signing in through an OpenID provider');
    expect((await parley.raw('/auth/oidc/missing/start', { headers: html })).status).toBe(404);
    expect((await parley.raw('/signin', { headers: html })).status).toBe(200);
  });
  it('offers the default site’s provider for Parley’s own sign-in, and only when it has one', async () => {
    expect(await defaultOidcOffer(app.ctx.db.kysely, '/')).toBeNull();
    const home = await defaultSite(app.ctx.db.kysely);
    await updateSite(app.ctx, home.id, { sso: { oidc: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, label: 'Publisher Accounts' } } });
    const offer = await defaultOidcOffer(app.ctx.db.kysely, '/articles/a-story');
    expect(offer).toEqual({ label: 'Publisher Accounts', href: '/auth/oidc/default/start?next=%2Farticles%2Fa-story' });
    const start = await new TestClient(app.baseUrl).raw(offer!.href, { headers: html });
    expect(start.status).toBe(303);
    expect(new URL(start.headers.get('location')!).origin).toBe(provider.url);
  });
});
