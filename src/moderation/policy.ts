// Who may moderate, sanction, report, import articles and administer: pure functions, one place, so that the
// authorization table test (test/moderation/authorization.test.ts) can hold every route to them.
import { atLeast, ROLES, type Actor, type Role } from '../accounts/model.ts';
import { moderatesSite } from '../sites/model.ts';
import type { AuthorStatus } from './model.ts';

export type Verdict = { allowed: true } | { allowed: false; status: 401 | 403; code: string; message: string };

const ALLOW: Verdict = { allowed: true };
const deny = (status: 401 | 403, code: string, message: string): Verdict => ({ allowed: false, status, code, message });
const SIGN_IN = deny(401, 'unauthenticated', 'You need to sign in to do that.');

/** The queues, decisions, article modes and the moderation stream. */
export function canModerate(actor: Actor | null): Verdict {
  if (!actor) return SIGN_IN;
  return atLeast(actor, 'moderator') ? ALLOW : deny(403, 'forbidden', 'Only moderators and admins can moderate.');
}

/**
 * A moderator limited to some sites (`moderatorSites`, empty: every site) acts on those sites'
 * articles only; admins act everywhere.
 */
export function canModerateSite(actor: Actor | null, moderatorSites: readonly number[], siteId: number): Verdict {
  const base = canModerate(actor);
  if (!base.allowed) return base;
  if (actor!.role === 'admin' || moderatesSite(moderatorSites, siteId)) return ALLOW;
  return deny(403, 'other_site', 'This belongs to a site you do not moderate: ask a moderator of that site or an admin.');
}

/**
 * Moderators sanction readers and staff; only an admin sanctions a moderator; nobody sanctions an admin.
 * Sanctions hold on every site, so a moderator limited to some sites gives none.
 */
export function canSanction(actor: Actor | null, target: { id: number; role: Role }, moderatorSites: readonly number[] = []): Verdict {
  const base = canModerate(actor);
  if (!base.allowed) return base;
  if (actor!.role === 'moderator' && moderatorSites.length > 0) {
    return deny(403, 'site_moderator', 'Warnings, suspensions and bans hold on every site: only moderators of every site and admins can give or lift them.');
  }
  if (target.id === actor!.userId) return deny(403, 'own_account', 'You cannot sanction yourself.');
  if (ROLES.indexOf(target.role) >= ROLES.indexOf(actor!.role)) return deny(403, 'forbidden', `A ${actor!.role} cannot sanction a ${target.role}.`);
  return ALLOW;
}

/** Importing and updating articles: the newsroom's staff and up. */
export function canImportArticles(actor: Actor | null): Verdict {
  if (!actor) return SIGN_IN;
  return atLeast(actor, 'staff') ? ALLOW : deny(403, 'forbidden', 'Only newsroom staff, moderators and admins can import articles.');
}

/** Settings, roles and the audit log. */
export function canAdminister(actor: Actor | null): Verdict {
  if (!actor) return SIGN_IN;
  return atLeast(actor, 'admin') ? ALLOW : deny(403, 'forbidden', 'Only admins can do that.');
}

/** Any signed-in reader with a verified address who is allowed to take part may report a comment. */
export function canReport(actor: Actor | null, status: AuthorStatus): Verdict {
  if (!actor) return deny(401, 'unauthenticated', 'Sign in to report a comment.');
  if (!actor.emailVerified) return deny(403, 'email_unverified', 'Please verify your e-mail address before reporting comments.');
  if (status === 'banned' || status === 'suspended') return deny(403, `author_${status}`, `You are ${status}, and cannot report comments.`);
  return ALLOW;
}

/** Reading and acknowledging one's own warning. */
export function canAcknowledge(actor: Actor | null): Verdict {
  return actor ? ALLOW : SIGN_IN;
}
