import { hash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { prepared } from '../db/prepared.ts';
import {
  isRole,
  SESSION_ABSOLUTE_MS,
  SESSION_ABSOLUTE_PERSISTENT_MS,
  SESSION_IDLE_MS,
  type Actor,
} from './model.ts';

/** 256 bits from the OS's CSPRNG, URL-safe. */
export const newToken = () => randomBytes(32).toString('base64url');
/**
 * Tokens are stored as their SHA-256: they are random, so no salt or slow hash is needed. Every
 * signed-in request hashes its token; the one-shot hash costs a third of a Hash object's three calls.
 */
export const hashToken = (token: string) => hash('sha256', token, 'hex');

// last_seen_at is written at most this often, so reading a page is not a write per request.
const TOUCH_EVERY_MS = 60 * 1000;

export interface NewSession {
  token: string;
  sessionId: number;
  expiresAt: Date;
  persistent: boolean;
}

export async function createSession(
  db: Kysely<Database>,
  user: { id: number; role: string },
  options: { persistent: boolean; userAgent: string; now?: Date },
): Promise<NewSession> {
  const now = options.now ?? new Date();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + (options.persistent ? SESSION_ABSOLUTE_PERSISTENT_MS : SESSION_ABSOLUTE_MS));
  const row = await db
    .insertInto('sessions')
    .values({
      user_id: user.id,
      token_hash: hashToken(token),
      user_agent: options.userAgent.slice(0, 300),
      persistent: options.persistent ? 1 : 0,
      role: user.role,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, sessionId: Number(row.id), expiresAt, persistent: options.persistent };
}

export interface ResolvedSession {
  actor: Actor;
  persistent: boolean;
  /** The account's role changed since the session was issued: the caller must rotate the token. */
  roleChanged: boolean;
}

// Every signed-in request starts here: built once (src/db/prepared.ts).
const sessionByToken = prepared((db, a: { tokenHash: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.persistent',
      'sessions.role as session_role',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.id as user_id',
      'users.handle',
      'users.display_name',
      'users.role',
      'users.email_verified_at',
      'users.deleted_at',
      'users.locale',
    ])
    .where('sessions.token_hash', '=', a.tokenHash),
);

/** The reader behind a session token, or null when it is unknown, expired or idle too long. */
export async function resolveSession(db: Kysely<Database>, token: string, now = new Date()): Promise<ResolvedSession | null> {
  if (!token || token.length > 100) return null;
  const row = await sessionByToken.first(db, { tokenHash: hashToken(token) });
  if (!row || row.deleted_at) return null;
  const idleDeadline = new Date(row.last_seen_at).getTime() + SESSION_IDLE_MS;
  if (now.getTime() >= new Date(row.expires_at).getTime() || now.getTime() >= idleDeadline) {
    await db.deleteFrom('sessions').where('id', '=', row.session_id).execute();
    return null;
  }
  if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', row.session_id).execute();
  }
  const role = isRole(row.role) ? row.role : 'reader';
  return {
    actor: {
      userId: Number(row.user_id),
      handle: row.handle,
      displayName: row.display_name,
      role,
      emailVerified: row.email_verified_at !== null,
      sessionId: Number(row.session_id),
      locale: row.locale,
    },
    persistent: row.persistent === 1,
    roleChanged: row.session_role !== row.role,
  };
}

export async function deleteSession(db: Kysely<Database>, sessionId: number): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Signs a reader out everywhere, optionally keeping the session making the request. */
export async function deleteUserSessions(db: Kysely<Database>, userId: number, exceptSessionId?: number): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSessionId !== undefined) query = query.where('id', '!=', exceptSessionId);
  await query.execute();
}
