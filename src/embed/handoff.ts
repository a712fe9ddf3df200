import type { Kysely } from 'kysely';
import { createSession, hashToken, newToken, type NewSession } from '../accounts/sessions.ts';
import type { Database } from '../db/schema.ts';

// Signing in from an embedded frame: the frame opens Parley's sign-in in a first-party window (where
// cookies work), and that window hands back a one-time code by postMessage, which the frame exchanges
// for a bearer token. The code is bound to the frame's random `state` (it is stored as the hash of
// both), works once, and lives for two minutes: a code seen by anyone else is useless to them.

const KIND = 'embed_handoff';
const LIFETIME_MS = 2 * 60 * 1000;

const handoffHash = (code: string, state: string) => hashToken(`${code}:${state}`);

export const STATE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export async function issueHandoffCode(db: Kysely<Database>, userId: number, state: string, now = new Date()): Promise<string> {
  const code = newToken();
  await db
    .insertInto('account_tokens')
    .values({ user_id: userId, kind: KIND, token_hash: handoffHash(code, state), email: null, created_at: now.toISOString(), expires_at: new Date(now.getTime() + LIFETIME_MS).toISOString(), used_at: null })
    .execute();
  return code;
}

/** Spends the code (one conditional update, so two racing exchanges cannot both succeed) and opens a session. */
export async function redeemHandoffCode(db: Kysely<Database>, code: string, state: string, userAgent: string, now = new Date()): Promise<NewSession | null> {
  if (!code || code.length > 100 || !STATE_PATTERN.test(state)) return null;
  const spent = await db
    .updateTable('account_tokens')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', handoffHash(code, state))
    .where('kind', '=', KIND)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .returning('user_id')
    .executeTakeFirst();
  if (!spent) return null;
  const user = await db.selectFrom('users').select(['id', 'role']).where('id', '=', spent.user_id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!user) return null;
  return createSession(db, { id: Number(user.id), role: user.role }, { persistent: true, userAgent: `Embedded conversation · ${userAgent}` });
}
