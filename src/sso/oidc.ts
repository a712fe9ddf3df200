import { createHash, randomBytes } from 'node:crypto';
import type * as Client from 'openid-client';
import { lazyModule } from '../lazy-module.ts';
import { emailProblem, normaliseEmail, safeNextPath } from '../accounts/rules.ts';
import type { Account } from '../accounts/store.ts';
import type { AppContext } from '../context.ts';
import type { MessageKey, MessageValues } from '../i18n/index.ts';
import type { Site } from '../sites/model.ts';
import { linkExternalAccount, oidcProvider } from './link.ts';
import { appLog, SsoRefused, type SsoLog } from './refusal.ts';
import { publisherDisplayName } from './site-token.ts';

// "Sign in with <publisher>" through the publisher's OpenID provider: authorization code with PKCE
// (S256), state and nonce. openid-client does the protocol and every check of the ID token (issuer,
// audience, nonce, signature, times); what the callback needs again is kept server-side, found through
// a random value in a short-lived HttpOnly cookie, so the flow is bound to the browser that started it.

export const OIDC_FLOW_COOKIE = 'parley_oidc';
export const OIDC_FLOW_COOKIE_PATH = '/auth/oidc/';
export const OIDC_FLOW_SECONDS = 10 * 60;
const SCOPE = 'openid email profile';
// openid-client (with oauth4webapi and jose, about 2 MB of heap) loads with the first sign-in through a
// provider, not with the server.
const openid = lazyModule<typeof Client>('openid-client');
// Discovery documents change rarely; a failed discovery is never kept.
const DISCOVERY_TTL_MS = 10 * 60 * 1000;

const configurations = new Map<string, { at: number; configuration: Promise<Client.Configuration> }>();

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Plain http is allowed for a provider on this machine only (tests, local development). */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export const oidcCallbackUrl = (ctx: AppContext, site: Pick<Site, 'key'>) => `${ctx.config.publicUrl}/auth/oidc/${encodeURIComponent(site.key)}/callback`;
export const oidcStartPath = (siteKey: string, next?: string) =>
  `/auth/oidc/${encodeURIComponent(siteKey)}/start${next ? `?next=${encodeURIComponent(next)}` : ''}`;

/** A refusal in the catalogs' words: English in `message`, the reader's language on the page. */
const refused = (status: number, code: string, key: MessageKey, values?: MessageValues) => SsoRefused.translated(status, code, key, values);

function providerConfiguration(site: Site): Promise<Client.Configuration> {
  const oidc = site.sso.oidc;
  if (!oidc) throw refused(404, 'oidc_not_configured', 'errors.sso.oidcNotConfigured', { site: site.name });
  const cacheKey = JSON.stringify([oidc.issuer, oidc.clientId, oidc.clientSecret ?? null]);
  const hit = configurations.get(cacheKey);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.configuration;
  const issuer = new URL(oidc.issuer);
  const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
  const authentication = oidc.clientSecret ? openid().ClientSecretBasic(oidc.clientSecret) : openid().None();
  const configuration = openid().discovery(issuer, oidc.clientId, oidc.clientSecret ?? undefined, authentication, {
    timeout: 10,
    ...(insecure ? { execute: [openid().allowInsecureRequests] } : {}),
  });
  configurations.set(cacheKey, { at: Date.now(), configuration });
  configuration.catch(() => configurations.delete(cacheKey));
  return configuration;
}

/** openid-client words its errors generally and keeps the specific one as the cause. */
function detailOf(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.message === 'string') parts.push(e.message);
  }
  return parts.join(': ');
}

/** What went wrong with the provider, in words for the reader; the details go to the log. */
function providerRefusal(site: Site, error: unknown): SsoRefused {
  if (error instanceof SsoRefused) return error;
  const label = site.sso.oidc?.label ?? site.name;
  if (error instanceof openid().AuthorizationResponseError) {
    if (error.error === 'access_denied') return refused(401, 'oidc_denied', 'errors.sso.oidcDenied', { label });
    return refused(401, 'oidc_refused', 'errors.sso.oidcRefused', { label, error: error.error });
  }
  if (error instanceof openid().ResponseBodyError) return refused(401, 'oidc_code_refused', 'errors.sso.oidcCodeRefused', { label });
  const code = (error as { code?: string })?.code;
  const message = detailOf(error);
  if (code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' && /issuer/.test(message)) {
    return refused(502, 'oidc_wrong_issuer', 'errors.sso.oidcWrongIssuer', { label });
  }
  if (code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' || code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED' || code === 'OAUTH_KEY_SELECTION_FAILED' || /signature/i.test(message)) {
    return refused(401, 'oidc_id_token_refused', 'errors.sso.oidcIdTokenRefused', { label });
  }
  if (code === 'OAUTH_INVALID_RESPONSE' && /state/.test(message)) {
    return refused(400, 'oidc_state_mismatch', 'errors.sso.oidcStateMismatch');
  }
  if (code?.startsWith('OAUTH_')) return refused(502, 'oidc_provider_error', 'errors.sso.oidcProviderError', { label });
  return refused(502, 'oidc_provider_unreachable', 'errors.sso.oidcUnreachable', { label });
}

async function withProvider<T>(log: SsoLog, site: Site, step: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const refusal = providerRefusal(site, error);
    log.warn({ site: site.key, step, code: refusal.code, cause: (error as { code?: string })?.code ?? (error as Error)?.name, detail: detailOf(error) }, 'OpenID sign-in refused');
    throw refusal;
  }
}

/**
 * Starts a sign-in at the site's OpenID provider: returns the address to send the browser to and the
 * random value for its flow cookie.
 */
export async function startOidcSignIn(
  ctx: AppContext,
  site: Site,
  next: unknown,
  { now = new Date(), log = appLog(ctx) }: { now?: Date; log?: SsoLog } = {},
): Promise<{ authorizationUrl: URL; browserToken: string }> {
  return withProvider(log, site, 'start', async () => {
    const configuration = await providerConfiguration(site);
    const codeVerifier = openid().randomPKCECodeVerifier();
    const state = openid().randomState();
    const nonce = openid().randomNonce();
    const browserToken = randomBytes(32).toString('base64url');
    const db = ctx.db.kysely;
    await db.deleteFrom('sso_oidc_flows').where('expires_at', '<', now.toISOString()).execute();
    await db
      .insertInto('sso_oidc_flows')
      .values({
        browser_hash: sha256(browserToken),
        site_id: site.id,
        state,
        nonce,
        code_verifier: codeVerifier,
        next_path: safeNextPath(next, '/'),
        expires_at: new Date(now.getTime() + OIDC_FLOW_SECONDS * 1000).toISOString(),
      })
      .execute();
    const authorizationUrl = openid().buildAuthorizationUrl(configuration, {
      redirect_uri: oidcCallbackUrl(ctx, site),
      scope: SCOPE,
      code_challenge: await openid().calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { authorizationUrl, browserToken };
  });
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

function nameFrom(claims: Record<string, unknown>): string {
  const full = text(claims.name) ?? ([text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ') || null);
  for (const candidate of [full, text(claims.nickname), text(claims.preferred_username)]) {
    if (!candidate) continue;
    try {
      return publisherDisplayName(candidate);
    } catch {
      // Try the next thing the provider calls the reader.
    }
  }
  return 'Reader';
}

/**
 * Finishes a sign-in at the callback: the flow this browser started (used once), the code exchanged
 * for tokens, the ID token checked, and the reader's account linked by issuer and subject.
 */
export async function finishOidcSignIn(
  ctx: AppContext,
  site: Site,
  browserToken: string | undefined,
  query: string,
  { now = new Date(), log = appLog(ctx) }: { now?: Date; log?: SsoLog } = {},
): Promise<{ account: Account; next: string }> {
  const flow = browserToken
    ? await ctx.db.kysely.selectFrom('sso_oidc_flows').selectAll().where('browser_hash', '=', sha256(browserToken)).executeTakeFirst()
    : undefined;
  if (flow) await ctx.db.kysely.deleteFrom('sso_oidc_flows').where('browser_hash', '=', flow.browser_hash).execute();
  if (!flow || Number(flow.site_id) !== site.id || flow.expires_at < now.toISOString()) {
    log.warn({ site: site.key, step: 'callback', code: 'oidc_flow_unknown' }, 'OpenID sign-in refused');
    throw refused(400, 'oidc_flow_unknown', 'errors.sso.oidcFlowUnknown');
  }
  return withProvider(log, site, 'callback', async () => {
    const configuration = await providerConfiguration(site);
    const currentUrl = new URL(oidcCallbackUrl(ctx, site));
    currentUrl.search = query;
    const tokens = await openid().authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: flow.code_verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims()!;
    let claims: Record<string, unknown> = { ...idToken };
    // Providers often keep the profile out of the ID token and give it at the userinfo endpoint.
    if ((!text(claims.email) || !text(claims.name)) && tokens.access_token && configuration.serverMetadata().userinfo_endpoint) {
      const userInfo = await openid().fetchUserInfo(configuration, tokens.access_token, idToken.sub);
      claims = { ...userInfo, ...idToken };
    }
    const rawEmail = text(claims.email);
    const email = rawEmail && !emailProblem(normaliseEmail(rawEmail)) ? normaliseEmail(rawEmail) : null;
    const { account } = await linkExternalAccount(
      ctx,
      {
        site,
        provider: oidcProvider(idToken.iss),
        subject: idToken.sub,
        email,
        emailVerified: claims.email_verified === true,
        name: nameFrom(claims),
        claims,
      },
      { now, log },
    );
    return { account, next: safeNextPath(flow.next_path, '/') };
  });
}
