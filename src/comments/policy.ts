// Who may do what to a conversation. Pure functions: the routes ask, the answers explain themselves.
import { atLeast, type Actor } from '../accounts/model.ts';
import { sanctionRefusal, WARNING_PAGE, type Sanction } from '../moderation/sanctions.ts';
import { t, type MessageKey, type MessageValues, type Translator } from '../i18n/index.ts';
import type { Settings } from '../settings/model.ts';
import { conversationOpen, isDeleted, withinEditWindow, type Comment, type ConversationArticle } from './model.ts';

export type CommentAction = 'post' | 'edit' | 'delete' | 'react' | 'viewRevisions';
export type ArticleAction = 'close' | 'open';

/** A refusal explains itself in the catalog's words: `message` is the English (logs), `key` the reader's. */
export type Decision = { allowed: true } | { allowed: false; status: 401 | 403; code: string; message: string; key: MessageKey | null; values?: MessageValues };

const ALLOW: Decision = { allowed: true };
// The English message is formatted when something reads it (a log line), not with each refusal: a
// signed-in page asks the rules some three hundred times for its eighty comments (actions.ts), and
// most answers are refusals nobody reads ("not your comment" to edit).
const deny = (status: 401 | 403, code: string, key: MessageKey, values?: MessageValues): Decision => ({
  allowed: false,
  status,
  code,
  get message() {
    return t('en', key, values);
  },
  key,
  values,
});

/** Why the decision refuses, in the reader's language. */
export const decisionMessage = (decision: Extract<Decision, { allowed: false }>, i18n: Translator): string => (decision.key ? i18n.t(decision.key, decision.values) : decision.message);

/**
 * A sanction's refusal (moderation/sanctions.ts decides whether there is one) in the catalog's words:
 * the codes are moderation's, the sentences the conversation's.
 */
function sanctionDenial(sanction: Sanction | null, now: Date): Decision | null {
  const refused = sanctionRefusal(sanction, now);
  if (!refused) return null;
  switch (refused.code) {
    case 'warning_unacknowledged':
      return deny(refused.status, refused.code, 'comments.refused.warned', { reason: sanction?.reason ?? '', page: WARNING_PAGE });
    case 'author_banned':
      return deny(refused.status, refused.code, 'comments.refused.banned');
    case 'author_suspended':
      return sanction?.until ? deny(refused.status, refused.code, 'comments.refused.suspendedUntil', { until: sanction.until }) : deny(refused.status, refused.code, 'comments.refused.suspended');
    default:
      // A sanction moderation adds later reads in its English words until it has some here.
      return { allowed: false, status: refused.status, code: refused.code, message: refused.message, key: null };
  }
}

export interface PolicyContext {
  article: ConversationArticle;
  settings: Pick<Settings, 'editWindowMinutes' | 'autoCloseDays'>;
  now?: Date;
  /** The actor's current sanction, when known (pages show why there is no composer). */
  sanction?: Sanction | null;
}

/** What the rules read of a comment (a whole Comment, or the facts kept beside shared HTML: actions.ts). */
export type PolicyComment = Pick<Comment, 'createdAt' | 'deletedAt'> & { author: { id: number } };

/** May the actor do this to the conversation (post) or to this comment (everything else)? */
export function can(actor: Actor | null, action: CommentAction, comment: PolicyComment | null, context: PolicyContext): Decision {
  if (!actor) return deny(401, 'unauthenticated', 'comments.refused.unauthenticated');
  const now = context.now ?? new Date();
  const open = conversationOpen(context.article, context.settings, now);
  const own = comment !== null && comment.author.id === actor.userId;

  switch (action) {
    case 'viewRevisions':
      return atLeast(actor, 'moderator') ? ALLOW : deny(403, 'forbidden', 'comments.refused.viewRevisions');
    case 'delete':
      // Anyone may take back what they wrote, at any time, even once the conversation has closed.
      if (!own) return deny(403, 'forbidden', 'comments.refused.deleteOthers');
      if (comment && isDeleted(comment)) return deny(403, 'already_deleted', 'comments.refused.alreadyDeleted');
      return ALLOW;
    default:
      break;
  }

  if (!actor.emailVerified) return deny(403, 'email_unverified', 'comments.refused.verify');
  if (!open) return deny(403, 'comments_closed', 'comments.refused.closed');
  if (comment && isDeleted(comment)) return deny(403, 'comment_deleted', 'comments.refused.deleted');

  if (action === 'post' || action === 'edit') {
    const refused = sanctionDenial(context.sanction ?? null, now);
    if (refused) return refused;
  }

  switch (action) {
    case 'post':
      return ALLOW;
    case 'edit':
      if (!own) return deny(403, 'forbidden', 'comments.refused.editOthers');
      if (!withinEditWindow(comment!, context.settings, now)) {
        return deny(403, 'edit_window_passed', 'comments.refused.editWindow', { minutes: String(context.settings.editWindowMinutes) });
      }
      return ALLOW;
    case 'react':
      if (own) return deny(403, 'own_comment', 'comments.refused.ownComment');
      return ALLOW;
  }
}

/** The actions a page's links are drawn for (actions.ts). */
export type LinkAction = Extract<CommentAction, 'post' | 'edit' | 'delete' | 'react'>;

/**
 * Whether `can` allows each of these actions, for one viewer and one conversation and any number of
 * its comments: what does not depend on the comment (the address confirmed, the conversation open,
 * the sanction) is decided once. A signed-in page asks this four times for each of its eighty
 * comments; `can` builds a refusal for most of those answers. The same rules as `can`, which
 * policy.test.ts checks case by case.
 */
export function linkPermissions(actor: Actor | null, context: PolicyContext): (action: LinkAction, comment: PolicyComment) => boolean {
  if (!actor) return () => false;
  const now = context.now ?? new Date();
  const writable = actor.emailVerified && conversationOpen(context.article, context.settings, now);
  const unsanctioned = sanctionRefusal(context.sanction ?? null, now) === null;
  return (action, comment) => {
    const own = comment.author.id === actor.userId;
    const live = !isDeleted(comment);
    switch (action) {
      case 'delete':
        return own && live;
      case 'react':
        return writable && live && !own;
      case 'post':
        return writable && live && unsanctioned;
      case 'edit':
        return writable && live && unsanctioned && own && withinEditWindow(comment, context.settings, now);
    }
  };
}

/** Closing and reopening a conversation by hand is for the newsroom. */
export function canManageArticle(actor: Actor | null, _action: ArticleAction): Decision {
  if (!actor) return deny(401, 'unauthenticated', 'comments.refused.signInFirst');
  return atLeast(actor, 'staff') ? ALLOW : deny(403, 'forbidden', 'comments.refused.manage');
}
