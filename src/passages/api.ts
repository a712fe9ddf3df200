import type { Kysely } from 'kysely';
import type { Article } from '../articles/model.ts';
import type { Database } from '../db/schema.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { HttpError } from '../http/errors.ts';
import { presentThread } from '../comments/presenter.ts';
import { markReactions } from '../comments/store.ts';
import { isPassageCursor, listPassageComments } from './store.ts';

/**
 * `GET /api/v1/articles/:slug/comments?passage=N`: the comments discussing paragraph N, newest first,
 * in the same shape as the article's threads (each with its reply count; its replies come from
 * /api/v1/comments/:id/replies).
 */
export async function passageThreads(db: Kysely<Database>, article: Article, paragraph: number, cursor: string | undefined, limit: number, viewerId: number | null) {
  if (paragraph > article.body.length) throw HttpError.translated(400, 'invalid_passage', 'passages.problem.noParagraph', { paragraph, count: article.body.length });
  const after = decodeCursor(cursor, isPassageCursor);
  const { comments, next } = await listPassageComments(db, Number(article.id), paragraph, { viewerId, after, limit });
  await markReactions(db, viewerId, comments);
  return {
    comments: comments.map((root) => presentThread({ root, replies: [], moreReplies: root.descendantCount > 0 ? { c: root.id, p: '' } : null }, article.slug, viewerId)),
    nextCursor: next ? encodeCursor(next) : null,
  };
}
