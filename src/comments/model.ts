// Comments as Parley understands them, and the pure rules about them: threading paths, sort orders,
// cursors, lengths, the edit window and when a conversation is open.
import type { Settings } from '../settings/model.ts';
import type { Passage } from '../passages/model.ts';

export interface CommentAuthor {
  id: number;
  handle: string;
  displayName: string;
  /** For the newsroom badge: staff, moderators and admins. */
  role?: string;
}

/** Moderation's verdict (src/moderation): only approved comments are shown to everyone. */
export type CommentStatus = 'approved' | 'held' | 'rejected';

export interface Comment {
  id: number;
  articleId: number;
  author: CommentAuthor;
  parentId: number | null;
  rootId: number | null;
  depth: number;
  path: string;
  body: string;
  bodyHtml: string;
  descendantCount: number;
  reactionCount: number;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  deletedReason: string | null;
  status: CommentStatus;
  featured: boolean;
  /** Why a moderator rejected it, for its author. */
  rejectionReason: string | null;
  /** Filled in for one reader: has the reader reacted to it? */
  reacted?: boolean;
  /** For a reply deeper than the page indents: the name of the comment it answers. */
  parentAuthor?: Pick<CommentAuthor, 'handle' | 'displayName'> | null;
  /** The passage of the article this comment discusses (src/passages), when it quotes one. */
  passage?: Passage | null;
}

/** A thread on a page: its first comment and the first slice of its replies, depth first. */
export interface Thread {
  root: Comment;
  replies: Comment[];
  /** Where the next slice of replies starts, when there is one. */
  moreReplies: ReplyCursor | null;
}

// --- Threading -------------------------------------------------------------------------------------

const SEGMENT = 8;
/** Deep enough for any real conversation, shallow enough that a path fits in a PostgreSQL index entry. */
export const MAX_DEPTH = 250;

/** One id as a fixed-width, sortable path segment. */
export function pathSegment(id: number): string {
  return id.toString(36).padStart(SEGMENT, '0');
}

/** The path of a new reply with this id under a parent whose path is parentPath ('' for a thread's first comment). */
export function childPath(parentPath: string, id: number): string {
  return parentPath + pathSegment(id);
}

/** The ids of the replies on a path, from the thread's first reply down to the comment itself. */
export function idsOnPath(path: string): number[] {
  const ids: number[] = [];
  for (let i = 0; i < path.length; i += SEGMENT) ids.push(parseInt(path.slice(i, i + SEGMENT), 36));
  return ids;
}

/** Every comment above a reply: the thread's first comment and the replies on the path, without the reply itself. */
export function ancestorIds(comment: Pick<Comment, 'rootId' | 'path'>): number[] {
  if (comment.rootId === null) return [];
  return [comment.rootId, ...idsOnPath(comment.path).slice(0, -1)];
}

/** The smallest string greater than every path below `path`: a subtree is the range [path, pathEnd). */
export const subtreeEnd = (path: string) => `${path}~`;

// --- Ordering and cursors ------------------------------------------------------------------------------

export const SORTS = ['newest', 'oldest', 'replies', 'reactions'] as const;
export type Sort = (typeof SORTS)[number];
export const DEFAULT_SORT: Sort = 'newest';

export const isSort = (value: unknown): value is Sort => typeof value === 'string' && (SORTS as readonly string[]).includes(value);
export const sortOrDefault = (value: unknown): Sort => (isSort(value) ? value : DEFAULT_SORT);

/** After which thread the next page starts. `n` is the count the sort orders by (newest/oldest: none). */
export interface ThreadCursor {
  s: Sort;
  id: number;
  n?: number;
}

/**
 * The largest count a cursor may carry: `descendant_count` and `reaction_count` are 32-bit integer
 * columns, and PostgreSQL refuses a larger parameter compared with one (a 500, not an empty page).
 */
export const MAX_CURSOR_COUNT = 2 ** 31 - 1;

export function isThreadCursor(value: unknown): value is ThreadCursor {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as ThreadCursor;
  if (!isSort(c.s) || !Number.isSafeInteger(c.id) || c.id < 0) return false;
  const counted = c.s === 'replies' || c.s === 'reactions';
  return counted ? Number.isSafeInteger(c.n) && c.n! >= 0 && c.n! <= MAX_CURSOR_COUNT : c.n === undefined;
}

export function threadCursorAfter(sort: Sort, last: Comment): ThreadCursor {
  if (sort === 'replies') return { s: sort, id: last.id, n: last.descendantCount };
  if (sort === 'reactions') return { s: sort, id: last.id, n: last.reactionCount };
  return { s: sort, id: last.id };
}

/** Replies are paged within one thread (or one comment's subtree) by path. */
export interface ReplyCursor {
  /** The comment whose replies these are. */
  c: number;
  /** The path of the last reply already shown. */
  p: string;
}

export function isReplyCursor(value: unknown): value is ReplyCursor {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as ReplyCursor;
  return Number.isSafeInteger(c.c) && c.c > 0 && typeof c.p === 'string' && c.p.length % SEGMENT === 0 && /^[0-9a-z]*$/.test(c.p) && c.p.length <= SEGMENT * (MAX_DEPTH + 1);
}

/**
 * Comparator of the thread orders, the same as the SQL ordering; used by tests and by anything that
 * merges threads in memory.
 */
export function compareThreads(sort: Sort, a: Comment, b: Comment): number {
  switch (sort) {
    case 'oldest':
      return a.id - b.id;
    case 'replies':
      return b.descendantCount - a.descendantCount || b.id - a.id;
    case 'reactions':
      return b.reactionCount - a.reactionCount || b.id - a.id;
    default:
      return b.id - a.id;
  }
}

// --- Rules -----------------------------------------------------------------------------------------

/** Why a text cannot be posted, as a catalog message (the reader's language is the route's to pick). */
export interface BodyProblem {
  key: 'comments.refused.empty' | 'comments.refused.tooLong';
  values?: { length: number; max: number };
}

/** A reason the text cannot be posted, or null when it can. Length counts characters, not UTF-16 units. */
export function bodyProblem(body: string, settings: Pick<Settings, 'commentMaxLength'>): BodyProblem | null {
  const text = body.trim();
  if (text.length === 0) return { key: 'comments.refused.empty' };
  const length = [...text].length;
  if (length > settings.commentMaxLength) {
    return { key: 'comments.refused.tooLong', values: { length, max: settings.commentMaxLength } };
  }
  return null;
}

/** The stored form of a body: trimmed, with Windows line ends made plain. */
export const normaliseBody = (body: string) => body.replace(/\r\n?/g, '\n').trim();

export function editDeadline(comment: Pick<Comment, 'createdAt'>, settings: Pick<Settings, 'editWindowMinutes'>): Date {
  return new Date(comment.createdAt.getTime() + settings.editWindowMinutes * 60_000);
}

export function withinEditWindow(comment: Pick<Comment, 'createdAt'>, settings: Pick<Settings, 'editWindowMinutes'>, now = new Date()): boolean {
  return now.getTime() < editDeadline(comment, settings).getTime();
}

export interface ConversationArticle {
  commentsOpen: boolean;
  publishedAt: Date | null;
  createdAt: Date;
}

/** Closed by hand, or automatically a set number of days after publication. */
export function conversationOpen(article: ConversationArticle, settings: Pick<Settings, 'autoCloseDays'>, now = new Date()): boolean {
  if (!article.commentsOpen) return false;
  if (settings.autoCloseDays === null) return true;
  const since = (article.publishedAt ?? article.createdAt).getTime();
  return now.getTime() < since + settings.autoCloseDays * 86_400_000;
}

/** Seconds until this author may post again, or 0. */
export function secondsUntilNextPost(lastPostedAt: Date | null, settings: Pick<Settings, 'commentIntervalSeconds'>, now = new Date()): number {
  if (!lastPostedAt || settings.commentIntervalSeconds <= 0) return 0;
  const wait = lastPostedAt.getTime() + settings.commentIntervalSeconds * 1000 - now.getTime();
  return wait > 0 ? Math.ceil(wait / 1000) : 0;
}

export const isDeleted = (comment: Pick<Comment, 'deletedAt'>) => comment.deletedAt !== null;

/** Held and rejected comments are for their author (and moderators); everyone else sees at most their place. */
export const visibleTo = (comment: Pick<Comment, 'status' | 'author'>, viewerId: number | null) => comment.status === 'approved' || comment.author.id === viewerId;
