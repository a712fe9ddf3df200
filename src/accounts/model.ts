// Who can be asking, and the pure rules about accounts that other features may rely on.

export const ROLES = ['reader', 'staff', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** The signed-in reader behind a request, as every route and policy sees them. */
export interface Actor {
  userId: number;
  handle: string;
  displayName: string;
  role: Role;
  emailVerified: boolean;
  sessionId: number;
  /** The reader's own language (users.locale); null or absent follows the site and the browser. */
  locale?: string | null;
}

/** Staff, moderators and admins rank above readers; a policy asks `atLeast(actor, 'moderator')`. */
export function atLeast(actor: Pick<Actor, 'role'> | null, role: Role): boolean {
  if (!actor) return false;
  return ROLES.indexOf(actor.role) >= ROLES.indexOf(role);
}

export const SESSION_COOKIE = 'parley_session';
/** A session dies after this long without a request… */
export const SESSION_IDLE_MS = 30 * 24 * 60 * 60 * 1000;
/** …and, whatever happens, this long after sign-in ("keep me signed in" gets the longer one). */
export const SESSION_ABSOLUTE_MS = 24 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_PERSISTENT_MS = 90 * 24 * 60 * 60 * 1000;
