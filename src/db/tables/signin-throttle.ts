// Tables of sign-in throttling (migration 0016, accounts/signin-throttle.ts).

export interface SigninThrottleTable {
  /** SHA-256 of the normalised address and the source (`ip:…`, `device:…`, or `*` for the account as a whole). */
  key: string;
  /** Attempts counted against this key (an attempt counts when it starts; a success deletes the row). */
  failures: number;
  /** No attempt from this key before this instant. */
  blocked_until: string | null;
  /** The row means nothing after this instant and is swept away. */
  expires_at: string;
}

/** Browsers that signed in to an account before: their correct password is never throttled with strangers'. */
export interface KnownDevicesTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  last_used_at: string;
}

export interface SigninThrottleTables {
  signin_throttle: SigninThrottleTable;
  known_devices: KnownDevicesTable;
}
