import { sql, type Kysely } from 'kysely';
import { prepared } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';
import { ACTIVE_WINDOW_MS, activityAt, keyTerm, NEGLIGIBLE, type ConversationSummary } from './model.ts';

// The activity rows are written in the transaction that changes which comments one can read (a post,
// an approval, a rejection, a deletion), next to articles.comment_count; each change is one atomic
// statement, so concurrent writers on several nodes (PostgreSQL) never lose one another's update.

type Db = Kysely<Database>;

// ln(e^old + e^new) without overflow: the larger term plus ln(1 + e^−|difference|). PostgreSQL's exp()
// raises an error on underflow, so a term 30 e-folds smaller is dropped before exp() sees it.
const addComment = prepared((db, a: { articleId: number; term: number; at: string }) =>
  db
    .insertInto('conversation_activity')
    .columns(['article_id', 'site_id', 'activity_key', 'last_comment_at'])
    .expression((eb) =>
      eb
        .selectFrom('articles')
        .select(['id', 'site_id', sql<number>`cast(${a.term} as double precision)`.as('k'), sql<string>`cast(${a.at} as text)`.as('t')])
        .where('id', '=', a.articleId),
    )
    .onConflict((oc) =>
      oc.column('article_id').doUpdateSet({
        activity_key: sql<number>`case
          when conversation_activity.activity_key is null then excluded.activity_key
          when conversation_activity.activity_key - excluded.activity_key > ${sql.lit(NEGLIGIBLE)} then conversation_activity.activity_key
          when excluded.activity_key - conversation_activity.activity_key > ${sql.lit(NEGLIGIBLE)} then excluded.activity_key
          when conversation_activity.activity_key >= excluded.activity_key
            then conversation_activity.activity_key + ln(1 + exp(excluded.activity_key - conversation_activity.activity_key))
          else excluded.activity_key + ln(1 + exp(conversation_activity.activity_key - excluded.activity_key)) end`,
        last_comment_at: sql<string>`case
          when conversation_activity.last_comment_at is null or conversation_activity.last_comment_at < excluded.last_comment_at
          then excluded.last_comment_at else conversation_activity.last_comment_at end`,
      }),
    ),
);

// ln(e^old − e^term); nothing left (the term was the whole sum) is null. The newest readable comment
// is looked up again: the removed one may have been it. Removals are rare (moderation, deletion).
const removeComment = prepared((db, a: { articleId: number; commentId: number; term: number }) =>
  db
    .updateTable('conversation_activity')
    .set({
      activity_key: sql<number | null>`case
        when activity_key is null then null
        when activity_key - cast(${a.term} as double precision) > ${sql.lit(NEGLIGIBLE)} then activity_key
        when cast(${a.term} as double precision) >= activity_key - 1e-9 then null
        else activity_key + ln(1 - exp(cast(${a.term} as double precision) - activity_key)) end`,
      last_comment_at: (eb) =>
        eb
          .selectFrom('comments')
          .select('created_at')
          .where('article_id', '=', a.articleId)
          .where('id', '!=', a.commentId)
          .where('status', '=', 'approved')
          .where('deleted_at', 'is', null)
          .orderBy('created_at', 'desc')
          .limit(1),
    })
    .where('article_id', '=', a.articleId),
);

/**
 * A comment became readable (+1: posted and approved, or approved later) or stopped being readable (−1:
 * rejected, held again, deleted). It weighs by when it was written, not by when it was decided.
 */
export async function recordCommentActivity(db: Db, change: { articleId: number; commentId: number; createdAt: Date | string; delta: 1 | -1 }): Promise<void> {
  const at = typeof change.createdAt === 'string' ? new Date(change.createdAt) : change.createdAt;
  const term = keyTerm(at);
  if (change.delta > 0) await addComment.run(db, { articleId: change.articleId, term, at: at.toISOString() });
  else await removeComment.run(db, { articleId: change.articleId, commentId: change.commentId, term });
}

/** The same, for a status change of a comment known by id (moderation): its creation time is read here. */
export async function recordStatusActivity(db: Db, articleId: number, commentId: number, delta: 1 | -1): Promise<void> {
  const row = await db.selectFrom('comments').select('created_at').where('id', '=', commentId).executeTakeFirst();
  if (row) await recordCommentActivity(db, { articleId, commentId, createdAt: row.created_at, delta });
}

type SummaryRow = { id: number | string; slug: string; headline: string; comment_count: number | string; activity_key: number | string | null; last_comment_at: string | null };

const toSummary = (now: Date) => (r: SummaryRow): ConversationSummary => ({
  articleId: Number(r.id),
  slug: r.slug,
  headline: r.headline,
  commentCount: Number(r.comment_count),
  activity: activityAt(r.activity_key === null ? null : Number(r.activity_key), now),
  lastCommentAt: r.last_comment_at ? new Date(r.last_comment_at) : null,
});

export interface ListOptions {
  limit: number;
  /** The article being read, which "Also being discussed" leaves out. */
  exceptArticleId?: number;
  now?: Date;
}

/**
 * "Active now": conversations with a readable comment in the last hour, the most active first
 * (comments weighted for recency). An index range on (site, newest comment); the few rows it finds are
 * ordered by their keys.
 */
export async function activeConversations(db: Db, siteId: number, options: ListOptions): Promise<ConversationSummary[]> {
  const now = options.now ?? new Date();
  let query = db
    .selectFrom('conversation_activity as ca')
    .innerJoin('articles as a', 'a.id', 'ca.article_id')
    .select(['a.id', 'a.slug', 'a.headline', 'a.comment_count', 'ca.activity_key', 'ca.last_comment_at'])
    .where('ca.site_id', '=', siteId)
    .where('ca.last_comment_at', '>=', new Date(now.getTime() - ACTIVE_WINDOW_MS).toISOString())
    .where('ca.activity_key', 'is not', null);
  if (options.exceptArticleId !== undefined) query = query.where('ca.article_id', '!=', options.exceptArticleId);
  const rows = await query.orderBy('ca.activity_key', 'desc').orderBy('a.id', 'desc').limit(options.limit).execute();
  return rows.map(toSummary(now));
}

/** "Most discussed": the site's articles with the most readable comments (the count the write path keeps). */
export async function mostDiscussed(db: Db, siteId: number, options: ListOptions): Promise<ConversationSummary[]> {
  const now = options.now ?? new Date();
  let query = db
    .selectFrom('articles as a')
    .leftJoin('conversation_activity as ca', 'ca.article_id', 'a.id')
    .select(['a.id', 'a.slug', 'a.headline', 'a.comment_count', 'ca.activity_key', 'ca.last_comment_at'])
    .where('a.site_id', '=', siteId)
    .where('a.comment_count', '>', 0);
  if (options.exceptArticleId !== undefined) query = query.where('a.id', '!=', options.exceptArticleId);
  const rows = await query.orderBy('a.comment_count', 'desc').orderBy('a.id', 'desc').limit(options.limit).execute();
  return rows.map(toSummary(now));
}
