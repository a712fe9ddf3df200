import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite } from '../../src/sites/store.ts';
import type { Site } from '../../src/sites/model.ts';
import { signInWithSiteToken } from '../../src/sso/site-signin.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { createTestUser } from '../helpers/users.ts';

// The embed's single sign-on through real HTTP: a publisher's signed token becomes a bearer session,
// and every way a token can be wrong is refused with its own code.

const SECRET = 'the-daily-example-sso-secret-0123456789';
const OTHER_SECRET = 'another-publication-sso-secret-9876543210';
const encode = (value: string) => new TextEncoder().encode(value);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Date.now() / 1000;

interface Claims extends JWTPayload {
  email?: unknown;
  name?: unknown;
  [claim: string]: unknown;
}

/** A fresh, valid reader token; `claims` overrides (undefined removes a claim). */
function readerClaims(claims: Claims = {}): Claims {
  const base: Claims = { sub: `reader-${randomUUID()}`, email: `${randomUUID().slice(0, 8)}@readers.example`, name: 'Alex Reader', iat: Math.floor(nowSeconds()), exp: Math.floor(nowSeconds()) + 300, jti: randomUUID() };
  const merged: Claims = { ...base, ...claims };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

const hs256 = (claims: Claims, secret = SECRET, alg = 'HS256') => new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(encode(secret));

describe.each(dialects)('single sign-on with a signed token on %s', (dialect) => {
  let app: TestApp;
  let site: Site;
  let otherSite: Site;
  let unconfigured: Site;
  let rolesSite: Site;
  let keysSite: Site;
  let jwksServer: http.Server;
  let rsaKey: CryptoKey;
  let ecKey: CryptoKey;
  let strangerRsaKey: CryptoKey;

  const exchange = async (siteKey: string, token: string) => {
    const res = await fetch(`${app.baseUrl}/api/v1/embed/sso`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'vitest embed' }, body: JSON.stringify({ site: siteKey, token }) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const me = async (bearer: string) => {
    const res = await fetch(`${app.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${bearer}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const refusedWith = async (siteKey: string, token: string, status: number, code: string) => {
    const { status: got, body } = await exchange(siteKey, token);
    expect({ status: got, code: body.error?.code }).toEqual({ status, code });
    expect(body.error.message.length).toBeGreaterThan(20);
  };

  beforeAll(async () => {
    app = await startTestApp(dialect);
    const rsa = await generateKeyPair('RS256');
    rsaKey = rsa.privateKey;
    const ec = await generateKeyPair('ES256');
    ecKey = ec.privateKey;
    strangerRsaKey = (await generateKeyPair('RS256')).privateKey;
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    jwksServer = http.createServer((req, res) => {
      if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;

    site = await createSite(app.ctx, { key: 'daily', name: 'The Daily Example', origins: ['https://daily.example'], sso: { jwt: { secret: SECRET } } });
    otherSite = await createSite(app.ctx, { key: 'weekly', name: 'The Weekly Example', origins: ['https://weekly.example'], sso: { jwt: { secret: OTHER_SECRET } } });
    unconfigured = await createSite(app.ctx, { key: 'plain', name: 'No SSO Here', origins: ['https://plain.example'] });
    rolesSite = await createSite(app.ctx, {
      key: 'roles',
      name: 'The Roles Example',
      origins: ['https://roles.example'],
      sso: { jwt: { secret: SECRET }, roles: { claim: 'parley_role', map: { editor: 'staff', moderator: 'moderator' } } },
    });
    keysSite = await createSite(app.ctx, { key: 'keys', name: 'The Keyed Example', origins: ['https://keys.example'], sso: { jwt: { jwksUrl } } });
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  it('signs a reader in, creating the linked account once and finding it again', async () => {
    const claims = readerClaims({ name: 'Morgan Publisher-Reader' });
    const first = await exchange(site.key, await hs256(claims));
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ displayName: 'Morgan Publisher-Reader', email: claims.email, emailVerified: true, role: 'reader' });
    expect(typeof first.body.token).toBe('string');
    expect(new Date(first.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 80 * 24 * 3600 * 1000);

    const asReader = await me(first.body.token);
    expect(asReader.status).toBe(200);
    expect(asReader.body.user).toEqual(first.body.user);

    // A later token for the same reader (new jti) reaches the same account.
    const again = await exchange(site.key, await hs256({ ...claims, jti: randomUUID() }));
    expect(again.status).toBe(200);
    expect(again.body.user.handle).toBe(first.body.user.handle);
    expect(again.body.token).not.toBe(first.body.token);
    const links = await app.ctx.db.kysely.selectFrom('sso_identities').selectAll().where('subject', '=', String(claims.sub)).execute();
    expect(links.map((l) => l.provider)).toEqual([`site:${site.id}`]);
    const accounts = await app.ctx.db.kysely.selectFrom('users').select('id').where('email', '=', String(claims.email)).execute();
    expect(accounts).toHaveLength(1);

    // The same subject at another site is another reader (links are per site).
    const elsewhere = await exchange(otherSite.key, await hs256({ ...claims, jti: randomUUID() }, OTHER_SECRET));
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.user.handle).not.toBe(first.body.user.handle);
  });

  it('accepts a token without jti or exp while it is fresh (iat within 10 minutes)', async () => {
    const fresh = await exchange(site.key, await hs256(readerClaims({ jti: undefined, exp: undefined, iat: nowSeconds() - 590 })));
    expect(fresh.status).toBe(200);
  });

  it('refuses an unknown site with 404 and a site without single sign-on with 403', async () => {
    await refusedWith('no-such-site', await hs256(readerClaims()), 404, 'site_not_found');
    await refusedWith(unconfigured.key, await hs256(readerClaims()), 403, 'sso_not_configured');
  });

  it('refuses tokens that are not signed, not JWTs, or signed with an algorithm the site does not use', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(readerClaims())}.`;
    await refusedWith(site.key, unsigned, 401, 'sso_token_unsigned');
    await refusedWith(site.key, 'not-a-token', 400, 'sso_token_malformed');
    await refusedWith(site.key, `${b64({ alg: 'HS256' })}.not json.x`, 400, 'sso_token_malformed');
    await refusedWith(site.key, await hs256(readerClaims(), SECRET, 'HS384'), 401, 'sso_algorithm_refused');
    const rs256 = await new SignJWT(readerClaims()).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsaKey);
    await refusedWith(site.key, rs256, 401, 'sso_algorithm_refused');
    // And a key-set site does not take a shared-secret token.
    await refusedWith(keysSite.key, await hs256(readerClaims()), 401, 'sso_algorithm_refused');
  });

  it('refuses a wrong signature and a token of another site', async () => {
    await refusedWith(site.key, await hs256(readerClaims(), 'a-secret-nobody-configured-anywhere-000'), 401, 'sso_bad_signature');
    await refusedWith(site.key, await hs256(readerClaims(), OTHER_SECRET), 401, 'sso_bad_signature');
    const tampered = (await hs256(readerClaims())).split('.');
    tampered[1] = b64({ ...readerClaims(), name: 'Someone Else' });
    await refusedWith(site.key, tampered.join('.'), 401, 'sso_bad_signature');
    // Right secret, but made for another site's key.
    await refusedWith(site.key, await hs256(readerClaims({ aud: otherSite.key })), 403, 'sso_token_for_another_site');
    expect((await exchange(site.key, await hs256(readerClaims({ aud: [site.key, 'elsewhere'] })))).status).toBe(200);
  });

  it('refuses expired tokens, and tokens from the future beyond 120 seconds of skew', async () => {
    const now = nowSeconds();
    await refusedWith(site.key, await hs256(readerClaims({ iat: now - 900, exp: now - 200 })), 401, 'sso_token_expired');
    await refusedWith(site.key, await hs256(readerClaims({ iat: now + 121, exp: now + 600 })), 401, 'sso_token_from_the_future');
    expect((await exchange(site.key, await hs256(readerClaims({ iat: nowSeconds() + 119, exp: nowSeconds() + 600 })))).status).toBe(200);
    await refusedWith(site.key, await hs256(readerClaims({ nbf: nowSeconds() + 121 })), 401, 'sso_token_not_yet_valid');
    expect((await exchange(site.key, await hs256(readerClaims({ nbf: nowSeconds() + 119 })))).status).toBe(200);
    await refusedWith(site.key, await hs256(readerClaims({ iat: undefined, exp: undefined })), 400, 'sso_token_no_lifetime');
    await refusedWith(site.key, await hs256(readerClaims({ iat: nowSeconds() - 601, exp: undefined })), 401, 'sso_token_too_old');
  });

  it('refuses a replayed token id, and a refused sign-in does not spend it', async () => {
    const token = await hs256(readerClaims());
    expect((await exchange(site.key, token)).status).toBe(200);
    await refusedWith(site.key, token, 401, 'sso_token_replayed');
    const spent = await app.ctx.db.kysely.selectFrom('sso_used_tokens').select(['jti', 'expires_at']).where('site_id', '=', site.id).execute();
    expect(spent.length).toBeGreaterThan(0);
    // Ids are per site: the same jti at another site is another token.
    const jti = randomUUID();
    expect((await exchange(otherSite.key, await hs256(readerClaims({ jti }), OTHER_SECRET))).status).toBe(200);
    expect((await exchange(site.key, await hs256(readerClaims({ jti })))).status).toBe(200);
    // A token refused for its claims leaves its jti unspent.
    const jti2 = randomUUID();
    await refusedWith(site.key, await hs256(readerClaims({ jti: jti2, name: undefined })), 400, 'sso_missing_name');
    expect((await exchange(site.key, await hs256(readerClaims({ jti: jti2 })))).status).toBe(200);
  });

  it('refuses tokens that do not say who the reader is', async () => {
    await refusedWith(site.key, await hs256(readerClaims({ sub: undefined })), 400, 'sso_missing_subject');
    await refusedWith(site.key, await hs256(readerClaims({ sub: '  ' })), 400, 'sso_missing_subject');
    await refusedWith(site.key, await hs256(readerClaims({ email: undefined })), 400, 'sso_missing_email');
    await refusedWith(site.key, await hs256(readerClaims({ email: 'not an address' })), 400, 'sso_invalid_email');
    await refusedWith(site.key, await hs256(readerClaims({ email: 42 })), 400, 'sso_invalid_email');
    await refusedWith(site.key, await hs256(readerClaims({ name: undefined })), 400, 'sso_missing_name');
    await refusedWith(site.key, await hs256(readerClaims({ name: '\u200b\u200b\u200b' })), 400, 'sso_invalid_name');
    await refusedWith(site.key, await hs256(readerClaims({ name: ['Alex'] })), 400, 'sso_invalid_claim');
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${app.baseUrl}/api/v1/openapi.json`)).json()) as any;
    const route = doc.paths['/api/v1/embed/sso'].post;
    expect(Object.keys(route.requestBody.content['application/json'].schema.properties)).toEqual(['site', 'token']);
    expect(Object.keys(route.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '429']));
    expect(doc.paths['/auth/oidc/{site}/start'].get).toBeDefined();
  });

  it('rejects a malformed body with our error shape', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/embed/sso`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: site.key }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe('invalid_request');
  });

  it('logs the reason with the site key, never the token or the address', async () => {
    const entries: unknown[] = [];
    const log = { warn: (...args: unknown[]) => void entries.push(args), info: (...args: unknown[]) => void entries.push(args) } as never;
    const claims = readerClaims();
    const token = await hs256(claims, OTHER_SECRET);
    await expect(signInWithSiteToken(app.ctx, site, token, 'vitest', { log })).rejects.toMatchObject({ code: 'sso_bad_signature' });
    expect(entries).toHaveLength(1);
    const logged = JSON.stringify(entries);
    expect(logged).toContain('"site":"daily"');
    expect(logged).toContain('sso_bad_signature');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(token.split('.')[2]!);
    expect(logged).not.toContain(String(claims.email));
  });

  it('makes display names unique and follows the publisher’s renames', async () => {
    const first = await exchange(site.key, await hs256(readerClaims({ name: 'Sam Same' })));
    const second = readerClaims({ name: 'Sam Same' });
    const made = await exchange(site.key, await hs256(second));
    expect([first.body.user.displayName, made.body.user.displayName]).toEqual(['Sam Same', 'Sam Same 2']);
    // The same name again: the number stays (no churn on every page view).
    const again = await exchange(site.key, await hs256({ ...second, jti: randomUUID() }));
    expect(again.body.user.displayName).toBe('Sam Same 2');
    // A new name from the publisher is taken up, and kept unique.
    const renamed = await exchange(site.key, await hs256({ ...second, jti: randomUUID(), name: 'Samira Same' }));
    expect(renamed.body.user).toMatchObject({ handle: made.body.user.handle, displayName: 'Samira Same' });
    const clash = await exchange(site.key, await hs256({ ...second, jti: randomUUID(), name: 'sam same' }));
    expect(clash.body.user.displayName).toBe('sam same 2');
    // A name longer than Parley allows is shortened, not refused.
    const long = await exchange(site.key, await hs256(readerClaims({ name: 'Maximilian Alexander von Hohenzollern-Sigmaringen' })));
    expect(long.status).toBe(200);
    expect([...long.body.user.displayName].length).toBe(40);
  });

  it('never attaches to an existing Parley account because the address matches', async () => {
    const existing = await createTestUser(app.ctx, { displayName: 'Existing Reader' });
    const res = await exchange(site.key, await hs256(readerClaims({ email: existing.email.toUpperCase(), name: 'Impostor Or Not' })));
    expect(res.status).toBe(200);
    expect(res.body.user.handle).not.toBe(existing.handle);
    expect(res.body.user).toMatchObject({ email: null, pendingEmail: null, emailVerified: false });
    const owner = await app.ctx.db.kysely.selectFrom('users').select(['email', 'display_name']).where('id', '=', existing.id).executeTakeFirstOrThrow();
    expect(owner).toEqual({ email: existing.email, display_name: 'Existing Reader' });
    const logged: unknown[] = [];
    const log = { warn: (...a: unknown[]) => void logged.push(a), info: (...a: unknown[]) => void logged.push(a) } as never;
    await signInWithSiteToken(app.ctx, site, await hs256(readerClaims({ email: existing.email })), 'vitest', { log });
    expect(JSON.stringify(logged)).toContain('address belongs to another account');
    expect(JSON.stringify(logged)).not.toContain(existing.email);
  });

  it('gives roles from the publisher only where the site maps them, and never lowers an admin', async () => {
    const claims = readerClaims({ parley_role: 'moderator' });
    const made = await exchange(rolesSite.key, await hs256(claims));
    expect(made.body.user.role).toBe('moderator');
    expect((await me(made.body.token)).body.user.role).toBe('moderator');
    const highest = await exchange(rolesSite.key, await hs256({ ...claims, jti: randomUUID(), parley_role: ['editor', 'moderator', 'ignored'] }));
    expect(highest.body.user.role).toBe('moderator');
    const editor = await exchange(rolesSite.key, await hs256({ ...claims, jti: randomUUID(), parley_role: 'editor' }));
    expect(editor.body.user.role).toBe('staff');
    const dropped = await exchange(rolesSite.key, await hs256({ ...claims, jti: randomUUID(), parley_role: undefined }));
    expect(dropped.body.user.role).toBe('reader');

    // An admin made on Parley stays an admin whatever the publisher says.
    const userId = Number((await app.ctx.db.kysely.selectFrom('users').select('id').where('handle', '=', made.body.user.handle).executeTakeFirstOrThrow()).id);
    await app.ctx.db.kysely.updateTable('users').set({ role: 'admin' }).where('id', '=', userId).execute();
    const admin = await exchange(rolesSite.key, await hs256({ ...claims, jti: randomUUID(), parley_role: 'editor' }));
    expect(admin.body.user.role).toBe('admin');

    // Without a mapping the claim means nothing.
    const unmapped = await exchange(site.key, await hs256(readerClaims({ parley_role: 'moderator' })));
    expect(unmapped.body.user.role).toBe('reader');
  });

  it('checks RS256 and ES256 tokens against the publisher’s key set', async () => {
    const rs = await exchange(keysSite.key, await new SignJWT(readerClaims({ name: 'Rsa Reader' })).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsaKey));
    expect(rs.status).toBe(200);
    expect(rs.body.user.displayName).toBe('Rsa Reader');
    const es = await exchange(keysSite.key, await new SignJWT(readerClaims({ name: 'Ec Reader' })).setProtectedHeader({ alg: 'ES256', kid: 'ec-1' }).sign(ecKey));
    expect(es.status).toBe(200);
    await refusedWith(keysSite.key, await new SignJWT(readerClaims()).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(strangerRsaKey), 401, 'sso_bad_signature');
    await refusedWith(keysSite.key, await new SignJWT(readerClaims()).setProtectedHeader({ alg: 'RS256', kid: 'not-published' }).sign(strangerRsaKey), 401, 'sso_unknown_key');
  });
  it('lists the link in "Download my data" and forgets it with the account', async () => {
    const claims = readerClaims({ name: 'Leaving Reader' });
    const made = await exchange(site.key, await hs256(claims));
    const auth = { authorization: `Bearer ${made.body.token}` };
    const exported = (await (await fetch(`${app.baseUrl}/api/v1/me/export`, { headers: auth })).json()) as any;
    expect(exported.singleSignOn).toEqual([expect.objectContaining({ site: { key: 'daily', name: 'The Daily Example' }, via: 'signed token', publisherAccountId: claims.sub })]);
    const gone = await fetch(`${app.baseUrl}/api/v1/me`, { method: 'DELETE', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
    expect(gone.status).toBe(204);
    expect(await app.ctx.db.kysely.selectFrom('sso_identities').select('id').where('subject', '=', String(claims.sub)).execute()).toEqual([]);
    // The publisher's reader comes back: a new account, not the deleted one.
    const back = await exchange(site.key, await hs256({ ...claims, jti: randomUUID() }));
    expect(back.status).toBe(200);
    expect(back.body.user.handle).not.toBe(made.body.user.handle);
  });

  // Last: it uses up this address's allowance on the route.
  it('limits how often one address may exchange tokens', async () => {
    let status = 0;
    for (let i = 0; i < 130 && status !== 429; i++) status = (await exchange('no-such-site', 'x.y.z')).status;
    expect(status).toBe(429);
    const limited = await exchange(site.key, await hs256(readerClaims()));
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
  });
});
