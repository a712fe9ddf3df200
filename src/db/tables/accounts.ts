import type { ColumnType, Generated } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  /** Lower-cased; null once the account is deleted (its personal data goes at once). */
  email: string | null;
  email_verified_at: string | null;
  /** An address awaiting verification (a change of e-mail, or a registration whose address was taken). */
  pending_email: ColumnType<string | null, string | null | undefined, string | null>;
  password_hash: string | null;
  display_name: string;
  /** The display name folded for case-insensitive uniqueness. */
  display_name_key: string | null;
  /** Stable, URL-safe, never reused; survives display-name changes. */
  handle: string;
  bio: string;
  role: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** The reader's language (0027); null follows the site's. */
  locale: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SessionsTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the cookie's token: a stolen database cannot be replayed as cookies. */
  token_hash: string;
  user_agent: string;
  /** "Keep me signed in": a lasting cookie and the long absolute expiry. */
  persistent: number;
  /** The role the session was issued for; a different role on the account rotates the token. */
  role: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface AccountTokensTable {
  id: Generated<number>;
  user_id: number;
  /** 'verify_email' | 'password_reset' */
  kind: string;
  token_hash: string;
  /** For verify_email: the address being verified (a change of e-mail verifies the new one). */
  email: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** SHA-256 of the handles of deleted accounts: never handed out again, never stored in clear. */
export interface RetiredHandlesTable {
  handle_hash: string;
  retired_at: string;
}

export interface AccountTables {
  users: UsersTable;
  sessions: SessionsTable;
  account_tokens: AccountTokensTable;
  retired_handles: RetiredHandlesTable;
}
