import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import csrf from '@fastify/csrf-protection';
import type { AppContext } from '../context.ts';
import { HttpError } from './errors.ts';

export const CSRF_COOKIE = 'parley_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Routes authenticated by a secret they carry, not by a cookie, listed by exact method and route
 * pattern. A forged request cannot know the secret, so CSRF has nothing to forge: the RFC 8058
 * one-click unsubscribe, which mail providers POST without any page or cookie, and the embed's
 * exchanges of a one-time code or a publisher's signed token for a bearer token (the embedded frame
 * has no cookies when the browser blocks third-party cookies).
 */
const TOKEN_AUTHENTICATED_ROUTES = new Set(['POST /unsubscribe/:token', 'POST /api/v1/embed/token', 'POST /api/v1/embed/sso']);

/**
 * Every state-changing request must prove it comes from one of our pages: a form carries the
 * `_csrf` field, a script the `X-CSRF-Token` header (from GET /api/v1/auth/csrf). Requests
 * authenticated by a bearer token are exempt: a browser never attaches one on its own.
 */
export async function installCsrfProtection(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.publicUrl.startsWith('https:') },
    getToken: (request: FastifyRequest) => {
      const header = request.headers[CSRF_HEADER];
      if (typeof header === 'string') return header;
      const body = request.body as Record<string, unknown> | undefined;
      const field = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
      return typeof field === 'string' ? field : '';
    },
  });

  const failed = () =>
    HttpError.translated(403, 'csrf_failed', 'errors.http.csrfFailed');
  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method) || request.authVia === 'bearer') return done();
    if (TOKEN_AUTHENTICATED_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) return done();
    // The plugin answers a missing secret or a bad token with reply.send(itsOwnError) instead of
    // calling back; this reply stand-in turns either into our error, with our code and words. (It
    // reads the secret from request.cookies; the reply is only needed for signed cookies, unused here.)
    const answer = { send: () => done(failed()) } as unknown as FastifyReply;
    app.csrfProtection(request, answer, (error?: Error) => done(error ? failed() : undefined));
  });
}

/** A token for a form or a script; it also sets the secret cookie on first use. */
export function csrfToken(reply: FastifyReply): string {
  // One token per response: without a secret cookie yet, each call would make a new secret, and only
  // the last cookie set would hold, leaving the forms rendered earlier in the page with dead tokens.
  let token = tokens.get(reply);
  if (token === undefined) tokens.set(reply, (token = reply.generateCsrf()));
  return token;
}

const tokens = new WeakMap<FastifyReply, string>();
