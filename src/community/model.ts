// The community graph's types and pure rules: who may follow whom, list privacy, notification
// preferences and how author names are keyed. No database here.
import { CommandRefused } from '../events/command.ts';

export const NOTIFICATION_KINDS = [
  'reply',
  'mention',
  'followed_reader_comment',
  'reaction',
  'new_follower',
  'followed_article_comment',
  'followed_author_article',
  'comment_approved',
  'comment_rejected',
  'comment_featured',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const DELIVERIES = ['immediate', 'digest', 'off'] as const;
export type Delivery = (typeof DELIVERIES)[number];

export type NotificationSettings = Record<NotificationKind, Delivery>;

/** Replies and mentions by mail at once; the rest is opt-in (issue 5). */
export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  reply: 'immediate',
  mention: 'immediate',
  followed_reader_comment: 'off',
  reaction: 'off',
  new_follower: 'off',
  followed_article_comment: 'off',
  followed_author_article: 'off',
  // A rejection tells the author why at once; approvals and features are good news that can wait.
  comment_approved: 'off',
  comment_rejected: 'immediate',
  comment_featured: 'off',
};

export const isNotificationKind = (v: string): v is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(v);
export const isDelivery = (v: string): v is Delivery => (DELIVERIES as readonly string[]).includes(v);

/** Stored rows over the defaults; unknown kinds or values (an older or newer version wrote them) are ignored. */
export function mergeNotificationSettings(rows: { kind: string; delivery: string }[]): NotificationSettings {
  const settings = { ...DEFAULT_NOTIFICATION_SETTINGS };
  for (const row of rows) if (isNotificationKind(row.kind) && isDelivery(row.delivery)) settings[row.kind] = row.delivery;
  return settings;
}

/** Every community event goes on the stream of the reader who acted: private to them, never the other side's. */
export const readerStream = (userId: number) => `reader:${userId}`;

/**
 * New notifications, announced for the live bell: one event per chunk of recipients (payload
 * `recipients`), so a comment to 10,000 followers adds 20 events, not 10,000. Each reader's SSE
 * connection picks out the events naming them.
 */
export const NOTIFICATIONS_STREAM = 'notifications';

export const COMMUNITY_EVENTS = [
  'reader.followed',
  'reader.unfollowed',
  'reader.muted',
  'reader.unmuted',
  'article.followed',
  'article.unfollowed',
  'author.followed',
  'author.unfollowed',
  'reader.list_privacy_changed',
  'reader.notification_settings_changed',
] as const;
export type CommunityEventType = (typeof COMMUNITY_EVENTS)[number];

/** A change the rules refuse (http/errors.ts answers with its status and words). */
export class CommunityRefused extends CommandRefused {
  override readonly name = 'CommunityRefused';
}

/**
 * Whether `followerId` may follow `followeeId`. A reader the followee has muted cannot follow them
 * (issue 5); the answer does not say so, so that muting stays invisible to the muted.
 */
export function followProblem(input: { followerId: number; followeeId: number; mutedByFollowee: boolean }): CommunityRefused | null {
  if (input.followerId === input.followeeId) return CommunityRefused.keyed(400, 'cannot_follow_self', 'errors.community.followSelf');
  if (input.mutedByFollowee) return CommunityRefused.keyed(403, 'follow_refused', 'errors.community.followRefused');
  return null;
}

export function muteProblem(input: { muterId: number; mutedId: number }): CommunityRefused | null {
  if (input.muterId === input.mutedId) return CommunityRefused.keyed(400, 'cannot_mute_self', 'errors.community.muteSelf');
  return null;
}

export type FollowList = 'followers' | 'following';

export const MAX_AUTHOR_NAME = 200;

/**
 * Authors are names in articles.authors, written by hand by publishers: "José García", "JOSE GARCIA"
 * and "By José  García" are one person to a reader. The key folds case, accents, spacing and a
 * leading "By"; the name as followed is kept for display.
 */
export function authorKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .replace(/^by\s+/, '')
    .replace(/[.,;:]+$/, '')
    .trim();
}

export function authorNameProblem(name: string): CommunityRefused | null {
  const trimmed = name.trim();
  if (trimmed.length > MAX_AUTHOR_NAME) return CommunityRefused.keyed(400, 'invalid_author', 'errors.community.authorTooLong', { max: MAX_AUTHOR_NAME });
  if (authorKey(trimmed) === '') return CommunityRefused.keyed(400, 'invalid_author', 'errors.community.authorMissing');
  return null;
}

/** Lists page newest first by (followedAt, user id). */
export interface FollowCursor {
  t: string;
  id: number;
}

/**
 * A follow's time as the lists hand it out (`toISOString()`), and nothing more: `Date.parse` also
 * accepts text around a date ("…Z\u0000"), which PostgreSQL cannot even compare (a 500).
 */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export const isFollowCursor = (v: unknown): v is FollowCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as FollowCursor).t === 'string' &&
  ISO_TIME.test((v as FollowCursor).t) &&
  !Number.isNaN(Date.parse((v as FollowCursor).t)) &&
  Number.isSafeInteger((v as FollowCursor).id) &&
  (v as FollowCursor).id > 0;

export const LIST_PAGE_SIZE = 50;

/**
 * "@handle" in a comment's text: not inside a word or an address (a@b.c), handles as accounts makes
 * them (lower-case letters, digits, inner hyphens). Shared by the Markdown rule that links them and
 * the fan-out that notifies them, so both always agree on what a mention is.
 */
export const MENTION = /(^|[^\p{L}\p{N}_@./-])@([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)(?![\p{L}\p{N}_-])/giu;

/** The distinct handles a text mentions, lower-cased, at most `limit` (a list of 500 names notifies nobody extra). */
export function mentionedHandles(text: string, limit = 20): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    found.add(match[2]!.toLowerCase());
    if (found.size >= limit) break;
  }
  return [...found];
}
