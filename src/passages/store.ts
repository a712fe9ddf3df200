import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { prepared } from '../db/prepared.ts';
import type { BodyBlock } from '../articles/model.ts';
import { findComments } from '../comments/store.ts';
import type { Comment } from '../comments/model.ts';
import { reanchored, type Passage } from './model.ts';

// Passages are written in the transaction of the comment that quotes them; the margin's counts
// (passage_counts) move in the transaction of every change to which comments one can read — a post,
// an approval or rejection, a deletion — by one atomic statement each, so concurrent writers on
// several nodes never lose one another's update, and a page reads them with one index range.

type Db = Kysely<Database>;

/** The text of each block, in order: paragraph N of the page is paragraphTexts(body)[N - 1]. */
export const paragraphTexts = (body: readonly BodyBlock[]) => body.map((b) => b.text);

const bump = prepared((db, a: { articleId: number; paragraph: number; delta: number }) =>
  db
    .insertInto('passage_counts')
    .values({ article_id: a.articleId, paragraph: a.paragraph, comment_count: a.delta })
    .onConflict((oc) => oc.columns(['article_id', 'paragraph']).doUpdateSet({ comment_count: sql<number>`passage_counts.comment_count + excluded.comment_count` })),
);

/** Stores the passage a new comment quotes; `counted` when the comment is readable at once. */
export async function savePassage(db: Db, input: { commentId: number; articleId: number; passage: Passage; createdAt: string; counted: boolean }): Promise<void> {
  const { passage } = input;
  await db
    .insertInto('comment_passages')
    .values({ comment_id: input.commentId, article_id: input.articleId, paragraph: passage.paragraph, exact: passage.exact, prefix: passage.prefix, suffix: passage.suffix, changed: passage.changed ? 1 : 0, created_at: input.createdAt })
    .execute();
  if (input.counted && !passage.changed) await bump.run(db, { articleId: input.articleId, paragraph: passage.paragraph, delta: 1 });
}

/**
 * Comments became readable (+1: approved) or stopped being readable (−1: rejected, held again,
 * deleted): the paragraphs they discuss follow. One read by primary key; nothing for comments that
 * quote no passage.
 */
export async function countPassageChange(db: Db, commentIds: readonly number[], delta: 1 | -1): Promise<void> {
  if (commentIds.length === 0) return;
  for (let i = 0; i < commentIds.length; i += 500) {
    const rows = await db
      .selectFrom('comment_passages')
      .select(['article_id', 'paragraph'])
      .where('comment_id', 'in', commentIds.slice(i, i + 500))
      .where('changed', '=', 0)
      .execute();
    for (const row of rows) await bump.run(db, { articleId: Number(row.article_id), paragraph: Number(row.paragraph), delta });
  }
}

const countsOf = prepared((db, a: { articleId: number }) =>
  db.selectFrom('passage_counts').select(['paragraph', 'comment_count']).where('article_id', '=', a.articleId).where('comment_count', '>', 0),
);

/** How many readable comments discuss each paragraph (by its number); paragraphs with none are absent. */
export async function passageCounts(db: Db, articleId: number): Promise<Map<number, number>> {
  const rows = await countsOf.all(db, { articleId });
  return new Map(rows.map((r) => [Number(r.paragraph), Number(r.comment_count)]));
}

export interface PassageCursor {
  /** The last comment id of the page (newest first). */
  id: number;
}

/**
 * The comments that discuss one paragraph, newest first: readable ones, and the viewer's own held ones.
 * Passages marked changed belong to no paragraph any more.
 */
export async function listPassageComments(
  db: Db,
  articleId: number,
  paragraph: number,
  options: { viewerId: number | null; after: PassageCursor | null; limit: number },
): Promise<{ comments: Comment[]; next: PassageCursor | null }> {
  let query = db
    .selectFrom('comment_passages as cp')
    .innerJoin('comments as c', 'c.id', 'cp.comment_id')
    .select('cp.comment_id')
    .where('cp.article_id', '=', articleId)
    .where('cp.paragraph', '=', paragraph)
    .where('cp.changed', '=', 0)
    .where('c.deleted_at', 'is', null)
    .where((eb) => (options.viewerId === null ? eb('c.status', '=', 'approved') : eb.or([eb('c.status', '=', 'approved'), eb('c.author_id', '=', options.viewerId)])));
  if (options.after) query = query.where('cp.comment_id', '<', options.after.id);
  const rows = await query.orderBy('cp.comment_id', 'desc').limit(options.limit + 1).execute();
  const ids = rows.slice(0, options.limit).map((r) => Number(r.comment_id));
  const found = new Map((await findComments(db, ids)).map((c) => [c.id, c]));
  const comments = ids.map((id) => found.get(id)).filter((c): c is Comment => c !== undefined);
  const last = ids[ids.length - 1];
  return { comments, next: rows.length > options.limit && last !== undefined ? { id: last } : null };
}

export const isPassageCursor = (v: unknown): v is PassageCursor => typeof v === 'object' && v !== null && Number.isSafeInteger((v as PassageCursor).id);

/**
 * After a re-import: every passage of the article is found again in the new text (it may move to
 * another paragraph) or marked changed, and the margin's counts are counted again from the rows. A
 * write-time cost, once per import, proportional to the article's passages.
 */
export async function reanchorArticlePassages(db: Db, articleId: number, body: readonly BodyBlock[]): Promise<{ kept: number; changed: number }> {
  const rows = await db.selectFrom('comment_passages').select(['comment_id', 'paragraph', 'exact', 'prefix', 'suffix', 'changed']).where('article_id', '=', articleId).execute();
  if (rows.length === 0) return { kept: 0, changed: 0 };
  const texts = paragraphTexts(body);
  let changed = 0;
  for (const row of rows) {
    const before: Passage = { exact: row.exact, prefix: row.prefix, suffix: row.suffix, paragraph: Number(row.paragraph), changed: Number(row.changed) === 1 };
    const after = reanchored(texts, before);
    if (after.changed) changed++;
    if (after.paragraph !== before.paragraph || after.changed !== before.changed) {
      await db.updateTable('comment_passages').set({ paragraph: after.paragraph, changed: after.changed ? 1 : 0 }).where('comment_id', '=', row.comment_id).execute();
    }
  }
  await db.deleteFrom('passage_counts').where('article_id', '=', articleId).execute();
  await db
    .insertInto('passage_counts')
    .columns(['article_id', 'paragraph', 'comment_count'])
    .expression((eb) =>
      eb
        .selectFrom('comment_passages as cp')
        .innerJoin('comments as c', 'c.id', 'cp.comment_id')
        .select(['cp.article_id', 'cp.paragraph', (e) => e.fn.countAll<number>().as('n')])
        .where('cp.article_id', '=', articleId)
        .where('cp.changed', '=', 0)
        .where('c.status', '=', 'approved')
        .where('c.deleted_at', 'is', null)
        .groupBy(['cp.article_id', 'cp.paragraph']),
    )
    .execute();
  return { kept: rows.length - changed, changed };
}
