// Who may do what to a conversation. Pure functions: the routes ask, the answers explain themselves.
import { atLeast, type Actor } from '../accounts/model.ts';
import { sanctionRefusal, type Sanction } from '../moderation/sanctions.ts';
import type { Settings } from '../settings/model.ts';
import { conversationOpen, isDeleted, withinEditWindow, type Comment, type ConversationArticle } from './model.ts';

export type CommentAction = 'post' | 'edit' | 'delete' | 'react' | 'viewRevisions';
export type ArticleAction = 'close' | 'open';

export type Decision = { allowed: true } | { allowed: false; status: 401 | 403; code: string; message: string };

const ALLOW: Decision = { allowed: true };
const deny = (status: 401 | 403, code: string, message: string): Decision => ({ allowed: false, status, code, message });

export const VERIFY_MESSAGE = 'Please verify your e-mail address first: follow the link we sent you, or ask for a new one on /account.';

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
  if (!actor) return deny(401, 'unauthenticated', 'Sign in or register to join the conversation.');
  const now = context.now ?? new Date();
  const open = conversationOpen(context.article, context.settings, now);
  const own = comment !== null && comment.author.id === actor.userId;

  switch (action) {
    case 'viewRevisions':
      return atLeast(actor, 'moderator') ? ALLOW : deny(403, 'forbidden', 'Only moderators can see earlier versions of a comment.');
    case 'delete':
      // Anyone may take back what they wrote, at any time, even once the conversation has closed.
      if (!own) return deny(403, 'forbidden', 'You can only delete your own comments.');
      if (comment && isDeleted(comment)) return deny(403, 'already_deleted', 'This comment has already been deleted.');
      return ALLOW;
    default:
      break;
  }

  if (!actor.emailVerified) return deny(403, 'email_unverified', VERIFY_MESSAGE);
  if (!open) return deny(403, 'comments_closed', 'This conversation is closed: you can still read it, but no longer post, edit or react.');
  if (comment && isDeleted(comment)) return deny(403, 'comment_deleted', 'This comment has been deleted.');

  if (action === 'post' || action === 'edit') {
    const refused = sanctionRefusal(context.sanction ?? null, now);
    if (refused) return deny(refused.status, refused.code, refused.message);
  }

  switch (action) {
    case 'post':
      return ALLOW;
    case 'edit':
      if (!own) return deny(403, 'forbidden', 'You can only edit your own comments.');
      if (!withinEditWindow(comment!, context.settings, now)) {
        return deny(403, 'edit_window_passed', `Comments can be edited for ${context.settings.editWindowMinutes} minutes after posting; that time has passed. You can still delete it.`);
      }
      return ALLOW;
    case 'react':
      if (own) return deny(403, 'own_comment', 'You cannot react to your own comment.');
      return ALLOW;
  }
}

/** Closing and reopening a conversation by hand is for the newsroom. */
export function canManageArticle(actor: Actor | null, _action: ArticleAction): Decision {
  if (!actor) return deny(401, 'unauthenticated', 'You need to sign in to do that.');
  return atLeast(actor, 'staff') ? ALLOW : deny(403, 'forbidden', 'Only staff, moderators and admins can open or close a conversation.');
}
