import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { UsersTable } from '../db/tables/accounts.ts';
import { isRole, type Role } from './model.ts';

export type UserRow = Selectable<UsersTable>;

/** An account as the accounts feature works with it (never leaves the server as is: see presenters). */
export interface Account {
  id: number;
  handle: string;
  displayName: string;
  email: string | null;
  pendingEmail: string | null;
  emailVerified: boolean;
  bio: string;
  role: Role;
  createdAt: string;
  passwordHash: string | null;
  /** The reader's own language; null follows the site and the browser (i18n/negotiate.ts). */
  locale?: string | null;
}

export function toAccount(row: UserRow): Account {
  return {
    id: Number(row.id),
    handle: row.handle,
    displayName: row.display_name,
    email: row.email,
    pendingEmail: row.pending_email,
    emailVerified: row.email_verified_at !== null,
    bio: row.bio,
    role: isRole(row.role) ? row.role : 'reader',
    createdAt: row.created_at,
    passwordHash: row.password_hash,
    locale: row.locale,
  };
}

const live = (db: Kysely<Database>) => db.selectFrom('users').selectAll().where('deleted_at', 'is', null);

export async function findAccountById(db: Kysely<Database>, id: number): Promise<Account | null> {
  const row = await live(db).where('id', '=', id).executeTakeFirst();
  return row ? toAccount(row) : null;
}

export async function findAccountByEmail(db: Kysely<Database>, email: string): Promise<Account | null> {
  const row = await live(db).where('email', '=', email).executeTakeFirst();
  return row ? toAccount(row) : null;
}

/**
 * The accounts a sign-in with this address may be for: the one that owns it, then any that hold it
 * only as pending (a registration with a taken address signs in like any other, so that signing in
 * cannot tell the registrant that the address belongs to someone else).
 */
export async function findSignInCandidates(db: Kysely<Database>, email: string): Promise<Account[]> {
  const rows = await live(db)
    .where((eb) => eb.or([eb('email', '=', email), eb('pending_email', '=', email)]))
    .orderBy('id')
    .limit(5)
    .execute();
  return rows.map(toAccount).sort((a, b) => Number(b.email === email) - Number(a.email === email));
}

/** The address as the account's holder sees it: a pending address on an account without one is simply "not confirmed yet". */
export function visibleAddresses(account: Pick<Account, 'email' | 'pendingEmail'>): { email: string | null; pendingEmail: string | null } {
  return account.email ? { email: account.email, pendingEmail: account.pendingEmail } : { email: account.pendingEmail, pendingEmail: null };
}

export async function findAccountByHandle(db: Kysely<Database>, handle: string): Promise<Account | null> {
  const row = await live(db).where('handle', '=', handle).executeTakeFirst();
  return row ? toAccount(row) : null;
}

export async function displayNameTaken(db: Kysely<Database>, key: string, exceptUserId?: number): Promise<boolean> {
  let query = db.selectFrom('users').select('id').where('display_name_key', '=', key);
  if (exceptUserId !== undefined) query = query.where('id', '!=', exceptUserId);
  return (await query.executeTakeFirst()) !== undefined;
}

export const handleHash = (handle: string) => createHash('sha256').update(`handle:${handle}`).digest('hex');

export async function handleAvailable(db: Kysely<Database>, handle: string): Promise<boolean> {
  const [user, retired] = await Promise.all([
    db.selectFrom('users').select('id').where('handle', '=', handle).executeTakeFirst(),
    db.selectFrom('retired_handles').select('handle_hash').where('handle_hash', '=', handleHash(handle)).executeTakeFirst(),
  ]);
  return !user && !retired;
}

export interface SessionInfo {
  id: number;
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  persistent: boolean;
}

export async function listSessions(db: Kysely<Database>, userId: number, now = new Date()): Promise<SessionInfo[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'user_agent', 'created_at', 'last_seen_at', 'expires_at', 'persistent'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now.toISOString())
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    userAgent: r.user_agent,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    persistent: r.persistent === 1,
  }));
}

