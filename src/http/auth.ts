import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createSession, deleteSession, resolveSession, type NewSession } from '../accounts/sessions.ts';
import { SESSION_COOKIE, type Actor } from '../accounts/model.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in reader, or null for an anonymous visitor. */
    actor: Actor | null;
    /** How the actor was authenticated: bearer tokens (embeds, API clients) need no CSRF token. */
    authVia: 'cookie' | 'bearer' | null;
  }
}

export function sessionCookieOptions(ctx: AppContext, session: Pick<NewSession, 'expiresAt' | 'persistent'>) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.publicUrl.startsWith('https:'),
    // Without "keep me signed in" the cookie ends with the browser; the server-side expiry still holds.
    ...(session.persistent ? { expires: session.expiresAt } : {}),
  };
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, session: NewSession): void {
  reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions(ctx, session));
}

export function clearSessionCookie(ctx: AppContext, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.publicUrl.startsWith('https:') });
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
}

/** Resolves who is asking on every request, from the session cookie or a bearer token. */
export function installAuthentication(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('authVia', null);

  app.addHook('onRequest', async (request, reply) => {
    const bearer = bearerToken(request);
    const cookie = request.cookies[SESSION_COOKIE];
    const token = bearer ?? cookie;
    if (!token) return;
    const resolved = await resolveSession(ctx.db.kysely, token);
    if (!resolved) {
      if (!bearer) clearSessionCookie(ctx, reply);
      return;
    }
    request.actor = resolved.actor;
    request.authVia = bearer ? 'bearer' : 'cookie';
    if (resolved.roleChanged && !bearer) {
      // A change of role gets a fresh token, so a token captured before a promotion is worth nothing after it.
      const fresh = await rotateSession(ctx, resolved.actor, resolved.persistent, request.headers['user-agent'] ?? '');
      setSessionCookie(ctx, reply, fresh);
      request.actor = { ...resolved.actor, sessionId: fresh.sessionId };
    }
  });
}

/** Replaces a session by a new one with a new token (sign-in and role changes). */
export async function rotateSession(ctx: AppContext, actor: Actor, persistent: boolean, userAgent: string): Promise<NewSession> {
  const fresh = await createSession(ctx.db.kysely, { id: actor.userId, role: actor.role }, { persistent, userAgent });
  await deleteSession(ctx.db.kysely, actor.sessionId);
  return fresh;
}

/** The actor, or a 401 that tells the person to sign in. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw HttpError.translated(401, 'unauthenticated', 'errors.auth.signInRequired');
  return request.actor;
}
