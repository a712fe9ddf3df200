import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from './sessions.ts';
import type { MessageKey } from '../i18n/index.ts';

// Single-use tokens sent by e-mail. Only their SHA-256 is stored; a token is spent by one
// conditional update, so two clicks racing each other cannot both succeed.

export type TokenKind = 'verify_email' | 'password_reset';

export const TOKEN_LIFETIME_MS: Record<TokenKind, number> = {
  verify_email: 48 * 60 * 60 * 1000,
  password_reset: 30 * 60 * 1000,
};

/** Issues a token; earlier unspent tokens of the same kind stop working, so only the newest mail counts. */
export async function issueToken(
  db: Kysely<Database>,
  userId: number,
  kind: TokenKind,
  options: { email?: string | null; now?: Date } = {},
): Promise<string> {
  const now = options.now ?? new Date();
  const token = newToken();
  await db.deleteFrom('account_tokens').where('user_id', '=', userId).where('kind', '=', kind).where('used_at', 'is', null).execute();
  await db
    .insertInto('account_tokens')
    .values({
      user_id: userId,
      kind,
      token_hash: hashToken(token),
      email: options.email ?? null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + TOKEN_LIFETIME_MS[kind]).toISOString(),
      used_at: null,
    })
    .execute();
  return token;
}

export type SpendResult = { ok: true; userId: number; email: string | null } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** Whether a token would be accepted now, without spending it (a reset form checks it before showing). */
export async function checkToken(db: Kysely<Database>, token: string, kind: TokenKind, now = new Date()): Promise<SpendResult & { id?: number }> {
  if (!token || token.length > 100) return { ok: false, reason: 'unknown' };
  const row = await db
    .selectFrom('account_tokens')
    .select(['id', 'user_id', 'email', 'expires_at', 'used_at'])
    .where('token_hash', '=', hashToken(token))
    .where('kind', '=', kind)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.used_at) return { ok: false, reason: 'used' };
  if (now.getTime() >= new Date(row.expires_at).getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, id: Number(row.id), userId: Number(row.user_id), email: row.email };
}

/** Spends a token: it works once, before its expiry, for its own kind only. */
export async function spendToken(db: Kysely<Database>, token: string, kind: TokenKind, now = new Date()): Promise<SpendResult> {
  const found = await checkToken(db, token, kind, now);
  if (!found.ok) return found;
  const spent = await db
    .updateTable('account_tokens')
    .set({ used_at: now.toISOString() })
    .where('id', '=', found.id!)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) return { ok: false, reason: 'used' };
  return { ok: true, userId: found.userId, email: found.email };
}

export const TOKEN_PROBLEM_KEY = {
  unknown: 'accounts.problem.linkUnknown',
  used: 'accounts.problem.linkUsed',
  expired: 'accounts.problem.linkExpired',
} as const satisfies Record<Exclude<SpendResult, { ok: true }>['reason'], MessageKey>;
