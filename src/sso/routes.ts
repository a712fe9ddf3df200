import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AccountJson } from '../accounts/presenter.ts';
import { startSession } from '../accounts/session-start.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import { findSiteByKey } from '../sites/store.ts';
import type { ChromeFactory } from '../ui/chrome.ts';
import { finishOidcSignIn, OIDC_FLOW_COOKIE, OIDC_FLOW_COOKIE_PATH, OIDC_FLOW_SECONDS, startOidcSignIn } from './oidc.ts';
import { signInWithSiteToken } from './site-signin.ts';

// Single sign-on with publishers' accounts: the embed exchanges a publisher's signed token for a
// bearer token (no cookie: the frame may have none), and "Sign in with <publisher>" runs the OpenID
// Connect code flow to a first-party cookie session.

export interface SsoRouteDeps {
  ctx: AppContext;
  chrome: ChromeFactory;
}

const SiteKey = Type.String({ minLength: 1, maxLength: 40, description: 'The site’s key (the embed’s `data-site`).' });

// Every page view of a signed-in reader on the publisher's site may exchange a token, so the limit
// per address is generous; it stops floods, not readers.
const SSO_RATE_LIMIT = { max: 120, timeWindow: '1 minute' };
const OIDC_RATE_LIMIT = { max: 30, timeWindow: '1 minute' };

async function siteOr404(ctx: AppContext, key: string) {
  const site = await findSiteByKey(ctx.db.kysely, key);
  if (!site) throw HttpError.translated(404, 'site_not_found', 'errors.sso.noSuchSite', { key });
  return site;
}

export async function ssoRoutes(app: FastifyInstance, { ctx }: SsoRouteDeps) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const secure = ctx.config.publicUrl.startsWith('https:');

  api.post(
    '/api/v1/embed/sso',
    {
      config: { rateLimit: SSO_RATE_LIMIT },
      schema: {
        summary: 'Sign a publisher’s reader in with a token signed by the publisher',
        description:
          'The publisher’s server signs a short-lived JWT (HS256 with the site’s secret, or RS256/ES256 with a key from its JWKS address) naming the reader: `sub`, `email`, `name`, and `exp` or `iat`, optionally `jti` (used once) and `aud` (the site key). The reader’s Parley account is linked to the site and `sub`, created on first use. Answers a bearer token for `Authorization: Bearer`. No CSRF token is needed: the signed token is the proof.',
        tags: ['embed'],
        body: Type.Object({ site: SiteKey, token: Type.String({ minLength: 1, maxLength: 8192, description: 'The publisher’s signed JWT.' }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ token: Type.String({ description: 'Bearer token of a new 90-day session.' }), expiresAt: Type.String({ format: 'date-time' }), user: AccountJson }),
          400: ErrorJson,
          401: ErrorJson,
          403: ErrorJson,
          404: ErrorJson,
          429: ErrorJson,
          502: ErrorJson,
        },
      },
    },
    async (request, reply) => {
      const site = await siteOr404(ctx, request.body.site);
      const signedIn = await signInWithSiteToken(ctx, site, request.body.token, request.headers['user-agent'] ?? '', { log: request.log });
      return reply.header('cache-control', 'no-store').send({ token: signedIn.token, expiresAt: signedIn.expiresAt.toISOString(), user: signedIn.user });
    },
  );

  api.get(
    '/auth/oidc/:site/start',
    {
      config: { rateLimit: OIDC_RATE_LIMIT },
      schema: {
        summary: 'Start “Sign in with <publisher>” (OpenID Connect)',
        description: 'Redirects to the site’s OpenID provider (authorization code with PKCE). `next` is a path on this Parley to come back to.',
        tags: ['sso'],
        params: Type.Object({ site: SiteKey }),
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 1000 })) }),
        response: { 303: Type.Null(), 400: ErrorJson, 404: ErrorJson, 429: ErrorJson, 502: ErrorJson },
      },
    },
    async (request, reply) => {
      const site = await siteOr404(ctx, request.params.site);
      const { authorizationUrl, browserToken } = await startOidcSignIn(ctx, site, request.query.next, { log: request.log });
      reply.setCookie(OIDC_FLOW_COOKIE, browserToken, { path: OIDC_FLOW_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure, maxAge: OIDC_FLOW_SECONDS });
      return reply.header('cache-control', 'no-store').redirect(authorizationUrl.href, 303);
    },
  );

  api.get(
    '/auth/oidc/:site/callback',
    {
      config: { rateLimit: OIDC_RATE_LIMIT },
      schema: {
        summary: 'Where the OpenID provider sends the reader back',
        description: 'Checks the answer against the sign-in this browser started, signs the reader in with a session cookie and redirects to `next`.',
        tags: ['sso'],
        params: Type.Object({ site: SiteKey }),
        querystring: Type.Object({}, { additionalProperties: Type.String({ maxLength: 4096 }) }),
        response: { 303: Type.Null(), 400: ErrorJson, 401: ErrorJson, 404: ErrorJson, 429: ErrorJson, 502: ErrorJson },
      },
    },
    async (request, reply) => {
      const site = await siteOr404(ctx, request.params.site);
      reply.clearCookie(OIDC_FLOW_COOKIE, { path: OIDC_FLOW_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure });
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const { account, next } = await finishOidcSignIn(ctx, site, request.cookies[OIDC_FLOW_COOKIE], query, { log: request.log });
      // A new session token replaces whatever this browser had (session-start.ts).
      await startSession(ctx, request, reply, account, true);
      return reply.header('cache-control', 'no-store').redirect(next, 303);
    },
  );
}
