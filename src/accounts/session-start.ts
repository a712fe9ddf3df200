import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { clearSessionCookie, setSessionCookie } from '../http/auth.ts';
import { rememberDevice } from './known-devices.ts';
import { createSession, deleteSession } from './sessions.ts';
import type { Account } from './store.ts';

/**
 * Signs the account in on this browser with a brand-new token. Any session the request came with
 * ends first, so a token planted before sign-in (session fixation) is worth nothing after it. The
 * browser becomes a known device of the account (see known-devices.ts).
 */
export async function startSession(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, account: Account, persistent: boolean): Promise<void> {
  if (request.actor) await deleteSession(ctx.db.kysely, request.actor.sessionId);
  const session = await createSession(ctx.db.kysely, { id: account.id, role: account.role }, { persistent, userAgent: request.headers['user-agent'] ?? '' });
  setSessionCookie(ctx, reply, session);
  await rememberDevice(ctx, request, reply, account.id);
  request.actor = {
    userId: account.id,
    handle: account.handle,
    displayName: account.displayName,
    role: account.role,
    emailVerified: account.emailVerified,
    sessionId: session.sessionId,
    locale: account.locale ?? null,
  };
  request.authVia = 'cookie';
}

/** Signs this browser out. */
export async function endSession(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.actor) await deleteSession(ctx.db.kysely, request.actor.sessionId);
  clearSessionCookie(ctx, reply);
  request.actor = null;
  request.authVia = null;
}
