import { Type, type Static } from 'typebox';
import { encodeCursor } from '../http/cursor.ts';
import { isDeleted, visibleTo, type Comment, type Thread } from './model.ts';
import { PassageJson, presentPassage } from '../passages/presenter.ts';

// What the API shows of a comment. A deleted comment keeps its place (id, parent, replies) and loses
// its text and author.

const Author = Type.Object({ handle: Type.String(), displayName: Type.String() }, { additionalProperties: false });

const commentFields = {
  id: Type.Integer(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  rootId: Type.Union([Type.Integer(), Type.Null()]),
  depth: Type.Integer(),
  author: Type.Union([Author, Type.Null()]),
  bodyHtml: Type.String({ description: 'Sanitised HTML rendered from the Markdown source; empty when deleted' }),
  createdAt: Type.String({ format: 'date-time' }),
  editedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  deleted: Type.Boolean(),
  reactionCount: Type.Integer(),
  replyCount: Type.Integer({ description: 'Every reply below this comment, at any depth' }),
  reacted: Type.Optional(Type.Boolean({ description: 'Whether the signed-in reader has reacted' })),
  url: Type.String({ description: 'The permalink page' }),
  featured: Type.Optional(Type.Boolean({ description: 'Chosen by the moderators' })),
  passage: Type.Union([PassageJson, Type.Null()], { description: 'The passage of the article this comment discusses (a W3C TextQuoteSelector and its paragraph), or null' }),
  moderation: Type.Optional(
    Type.Object(
      {
        status: Type.Union([Type.Literal('held'), Type.Literal('rejected')]),
        reason: Type.Optional(Type.String({ description: 'Why a moderator rejected it; only its author sees this' })),
      },
      { additionalProperties: false, description: 'Only for comments that are not published: their author sees the text, everyone else only the place' },
    ),
  ),
};

export const CommentJson = Type.Object(commentFields, { additionalProperties: false });
export type CommentJson = Static<typeof CommentJson>;

export const MoreRepliesJson = Type.Union([
  Type.Object({ count: Type.Integer(), cursor: Type.String() }, { additionalProperties: false }),
  Type.Null(),
]);

// Replies nest under their parents; the schema is recursive in spirit but kept one level generic.
export const ThreadCommentJson = Type.Object(
  { ...commentFields, replies: Type.Array(Type.Any()), moreReplies: MoreRepliesJson },
  { additionalProperties: false },
);

export function commentUrl(articleSlug: string, comment: Pick<Comment, 'id'>): string {
  return `/articles/${encodeURIComponent(articleSlug)}/comments/${comment.id}`;
}

/**
 * A comment's short address, leading to commentUrl (short-link.ts): what its time links to in a
 * conversation's HTML, sixty times a first page, without the article's slug.
 */
export const commentShortUrl = (id: number): string => `/comments/${id}`;

export function presentComment(comment: Comment, articleSlug: string, viewerId: number | null = null): CommentJson {
  // A held or rejected comment shown to anyone but its author is only a place in the thread.
  const own = comment.author.id === viewerId;
  const deleted = isDeleted(comment) || !visibleTo(comment, viewerId);
  return {
    id: comment.id,
    parentId: comment.parentId,
    rootId: comment.rootId,
    depth: comment.depth,
    author: deleted ? null : { handle: comment.author.handle, displayName: comment.author.displayName },
    bodyHtml: deleted ? '' : comment.bodyHtml,
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt ? comment.editedAt.toISOString() : null,
    deleted,
    reactionCount: comment.reactionCount,
    replyCount: comment.descendantCount,
    ...(comment.reacted !== undefined ? { reacted: comment.reacted } : {}),
    url: commentUrl(articleSlug, comment),
    passage: deleted ? null : presentPassage(comment.passage),
    ...(comment.featured && comment.status === 'approved' ? { featured: true } : {}),
    ...(comment.status !== 'approved'
      ? { moderation: { status: comment.status, ...(own && comment.status === 'rejected' && comment.rejectionReason ? { reason: comment.rejectionReason } : {}) } }
      : {}),
  };
}

type Nested = CommentJson & { replies: Nested[]; moreReplies: Static<typeof MoreRepliesJson> };

/** A thread as nested JSON: each reply under its parent, the thread's "more replies" on its first comment. */
export function presentThread(thread: Thread, articleSlug: string, viewerId: number | null = null): Nested {
  const root: Nested = { ...presentComment(thread.root, articleSlug, viewerId), replies: [], moreReplies: null };
  const byId = new Map<number, Nested>([[thread.root.id, root]]);
  for (const reply of thread.replies) {
    const node: Nested = { ...presentComment(reply, articleSlug, viewerId), replies: [], moreReplies: null };
    byId.set(reply.id, node);
    // Depth-first order puts every parent before its replies.
    (byId.get(reply.parentId!) ?? root).replies.push(node);
  }
  if (thread.moreReplies) {
    root.moreReplies = { count: thread.root.descendantCount - thread.replies.length, cursor: encodeCursor(thread.moreReplies) };
  }
  return root;
}
