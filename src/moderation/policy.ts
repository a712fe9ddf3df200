// Who may moderate, sanction, report, import articles and administer: pure functions, one place, so that the
// authorization table test (test/moderation/authorization.test.ts) can hold every route to them.
import { atLeast, ROLES, type Actor, type Role } from '../accounts/model.ts';
import { moderatesSite } from '../sites/model.ts';
import { t, type MessageKey, type MessageValues } from '../i18n/index.ts';
import type { AuthorStatus } from './model.ts';

/** A refusal carries its English `message` and the catalog key and values that say it in the reader's language. */
export type Verdict = { allowed: true } | { allowed: false; status: 401 | 403; code: string; message: string; key: MessageKey; values?: MessageValues };

const ALLOW: Verdict = { allowed: true };
const deny = (status: 401 | 403, code: string, key: MessageKey, values?: MessageValues): Verdict => ({ allowed: false, status, code, message: t('en', key, values), key, values });
const SIGN_IN = deny(401, 'unauthenticated', 'errors.auth.signInRequired');

/** The queues, decisions, article modes and the moderation stream. */
export function canModerate(actor: Actor | null): Verdict {
  if (!actor) return SIGN_IN;
  return atLeast(actor, 'moderator') ? ALLOW : deny(403, 'forbidden', 'moderation.refused.moderatorsOnly');
}

/**
 * A moderator limited to some sites (`moderatorSites`, empty: every site) acts on those sites'
 * articles only; admins act everywhere.
 */
export function canModerateSite(actor: Actor | null, moderatorSites: readonly number[], siteId: number): Verdict {
  const base = canModerate(actor);
  if (!base.allowed) return base;
  if (actor!.role === 'admin' || moderatesSite(moderatorSites, siteId)) return ALLOW;
  return deny(403, 'other_site', 'moderation.refused.otherSite');
}

/**
 * Moderators sanction readers and staff; only an admin sanctions a moderator; nobody sanctions an admin.
 * Sanctions hold on every site, so a moderator limited to some sites gives none.
 */
export function canSanction(actor: Actor | null, target: { id: number; role: Role }, moderatorSites: readonly number[] = []): Verdict {
  const base = canModerate(actor);
  if (!base.allowed) return base;
  if (actor!.role === 'moderator' && moderatorSites.length > 0) {
    return deny(403, 'site_moderator', 'moderation.refused.siteModerator');
  }
  if (target.id === actor!.userId) return deny(403, 'own_account', 'moderation.refused.sanctionSelf');
  if (ROLES.indexOf(target.role) >= ROLES.indexOf(actor!.role)) return deny(403, 'forbidden', 'moderation.refused.sanctionRank', { role: actor!.role, target: target.role });
  return ALLOW;
}

/** Importing and updating articles: the newsroom's staff and up. */
export function canImportArticles(actor: Actor | null): Verdict {
  if (!actor) return SIGN_IN;
  return atLeast(actor, 'staff') ? ALLOW : deny(403, 'forbidden', 'moderation.refused.importStaffOnly');
}

/** Settings, roles and the audit log. */
export function canAdminister(actor: Actor | null): Verdict {
  if (!actor) return SIGN_IN;
  return atLeast(actor, 'admin') ? ALLOW : deny(403, 'forbidden', 'moderation.refused.adminsOnly');
}

/** Any signed-in reader with a verified address who is allowed to take part may report a comment. */
export function canReport(actor: Actor | null, status: AuthorStatus): Verdict {
  if (!actor) return deny(401, 'unauthenticated', 'moderation.refused.signInToReport');
  if (!actor.emailVerified) return deny(403, 'email_unverified', 'moderation.refused.verifyToReport');
  if (status === 'banned' || status === 'suspended') return deny(403, `author_${status}`, 'moderation.refused.sanctionedReport', { status });
  return ALLOW;
}

/** Reading and acknowledging one's own warning. */
export function canAcknowledge(actor: Actor | null): Verdict {
  return actor ? ALLOW : SIGN_IN;
}
