import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from './sessions.ts';

// A browser that has signed in to an account before carries a device cookie (OWASP "device cookies"):
// a random token, stored only as its SHA-256, listed for each account it signed in to. Its owner's
// correct password is throttled on its own, never together with strangers' guesses at the account.

export const DEVICE_COOKIE = 'parley_device';
/** A device unseen for this long is a stranger again (and its cookie has expired). */
export const DEVICE_TTL_MS = 365 * 24 * 3600 * 1000;

/** The hash of the request's device token when that browser has signed in to the account at this address before. */
export async function knownDeviceFor(db: Kysely<Database>, request: FastifyRequest, email: string, now = new Date()): Promise<string | null> {
  const token = request.cookies[DEVICE_COOKIE];
  if (!token || token.length > 100 || !email) return null;
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('known_devices')
    .innerJoin('users', 'users.id', 'known_devices.user_id')
    .select('known_devices.token_hash')
    .where('known_devices.token_hash', '=', tokenHash)
    .where('users.email', '=', email)
    .where('users.deleted_at', 'is', null)
    .where('known_devices.last_used_at', '>', new Date(now.getTime() - DEVICE_TTL_MS).toISOString())
    .executeTakeFirst();
  return row ? tokenHash : null;
}

/**
 * Marks this browser as known to the account after a successful sign-in. The token is new every time
 * and the browser's other accounts move to it, so a token planted in the browser by someone else
 * (device fixation) is never the one that becomes known.
 */
export async function rememberDevice(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, userId: number, now = new Date()): Promise<void> {
  const db = ctx.db.kysely;
  const token = newToken();
  const tokenHash = hashToken(token);
  const at = now.toISOString();
  const old = request.cookies[DEVICE_COOKIE];
  await db.transaction().execute(async (trx) => {
    if (old && old.length <= 100) await trx.updateTable('known_devices').set({ token_hash: tokenHash }).where('token_hash', '=', hashToken(old)).execute();
    await trx.deleteFrom('known_devices').where('user_id', '=', userId).where('last_used_at', '<=', new Date(now.getTime() - DEVICE_TTL_MS).toISOString()).execute();
    await trx
      .insertInto('known_devices')
      .values({ token_hash: tokenHash, user_id: userId, created_at: at, last_used_at: at })
      .onConflict((oc) => oc.columns(['token_hash', 'user_id']).doUpdateSet({ last_used_at: at }))
      .execute();
  });
  reply.setCookie(DEVICE_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https:'),
    maxAge: Math.floor(DEVICE_TTL_MS / 1000),
  });
}

/** Forgets every browser of an account (account deletion). */
export async function forgetDevices(db: Kysely<Database>, userId: number): Promise<void> {
  await db.deleteFrom('known_devices').where('user_id', '=', userId).execute();
}

/** For "Download my data": when each browser first and last signed in (never its token). */
export async function listDevices(db: Kysely<Database>, userId: number): Promise<{ firstSignIn: string; lastSignIn: string }[]> {
  const rows = await db.selectFrom('known_devices').select(['created_at', 'last_used_at']).where('user_id', '=', userId).orderBy('created_at').execute();
  return rows.map((r) => ({ firstSignIn: r.created_at, lastSignIn: r.last_used_at }));
}
