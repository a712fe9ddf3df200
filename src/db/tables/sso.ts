import type { Generated } from 'kysely';

// Tables of single sign-on with publishers' accounts (migration 0015, src/sso).

/** An account of a publisher (or an OpenID provider) linked to a Parley account. */
export interface SsoIdentitiesTable {
  id: Generated<number>;
  /** Who vouches for the subject: `site:<site id>` for signed tokens, `oidc:<issuer>` for OpenID Connect. */
  provider: string;
  /** The publisher's id for the reader (`sub`), unique per provider. */
  subject: string;
  user_id: number;
  /** The site the link was made through (its roles mapping applies). */
  site_id: number;
  created_at: string;
  last_used_at: string;
}

/** Ids (`jti`) of signed tokens already used, kept until the token could no longer be accepted anyway. */
export interface SsoUsedTokensTable {
  site_id: number;
  jti: string;
  expires_at: string;
}

/** OpenID Connect sign-ins in progress: what the callback must find again, bound to one browser. */
export interface SsoOidcFlowsTable {
  /** SHA-256 of the random value in the browser's short-lived cookie. */
  browser_hash: string;
  site_id: number;
  state: string;
  nonce: string;
  code_verifier: string;
  /** Where to go once signed in (checked again with safeNextPath when used). */
  next_path: string;
  expires_at: string;
}

export interface SsoTables {
  sso_identities: SsoIdentitiesTable;
  sso_used_tokens: SsoUsedTokensTable;
  sso_oidc_flows: SsoOidcFlowsTable;
}
