import { sql, type Kysely } from 'kysely';
import { refType } from '../migration-helpers.ts';

// Conversations that are alive (issue 17 §3).
// - conversation_activity: one row per article that has had a readable comment: a recency-weighted
//   count of its comments kept in the write path as a log-sum-exp "key" (src/conversations/model.ts),
//   and the time of its newest readable comment. "Active now" is an index range over these rows.
// - articles(site_id, comment_count): "Most discussed" reads the count the write path already keeps.
// - article_follows.last_seen_at: when the reader last opened a conversation they follow, so the
//   Following page can say how many replies are new; comments(article_id, created_at) counts them.

/** The decay as it was when this migration was written (a copy: migrations never import features). */
const EPOCH_MS = Date.UTC(2025, 0, 1);
const TAU_MS = (15 * 60_000) / Math.LN2;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversation_activity')
    .addColumn('article_id', refType(db), (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
    .addColumn('site_id', refType(db), (c) => c.notNull())
    .addColumn('activity_key', 'double precision')
    .addColumn('last_comment_at', 'text')
    .execute();
  await db.schema.createIndex('conversation_activity_site_last').on('conversation_activity').columns(['site_id', 'last_comment_at']).execute();
  await db.schema.createIndex('articles_site_comment_count').on('articles').columns(['site_id', 'comment_count', 'id']).execute();
  await db.schema.createIndex('comments_article_created').on('comments').columns(['article_id', 'created_at']).execute();
  await db.schema.alterTable('article_follows').addColumn('last_seen_at', 'text').execute();

  // Comments of the last day are all that still weigh anything (2^-96 of one comment after a day).
  const since = new Date(Date.now() - 24 * 3600_000).toISOString();
  const rows = await sql<{ article_id: number; site_id: number; created_at: string }>`
    select c.article_id, a.site_id, c.created_at from comments c join articles a on a.id = c.article_id
    where c.created_at > ${since} and c.status = 'approved' and c.deleted_at is null`.execute(db);
  const byArticle = new Map<number, { siteId: number; key: number; last: string }>();
  for (const r of rows.rows) {
    const x = (Date.parse(r.created_at) - EPOCH_MS) / TAU_MS;
    const id = Number(r.article_id);
    const seen = byArticle.get(id);
    if (!seen) byArticle.set(id, { siteId: Number(r.site_id), key: x, last: r.created_at });
    else {
      const hi = Math.max(seen.key, x);
      seen.key = hi + Math.log1p(Math.exp(-Math.abs(seen.key - x)));
      if (r.created_at > seen.last) seen.last = r.created_at;
    }
  }
  for (const [articleId, a] of byArticle) {
    await db.insertInto('conversation_activity').values({ article_id: articleId, site_id: a.siteId, activity_key: a.key, last_comment_at: a.last }).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('article_follows').dropColumn('last_seen_at').execute();
  await db.schema.dropIndex('comments_article_created').execute();
  await db.schema.dropIndex('articles_site_comment_count').execute();
  await db.schema.dropTable('conversation_activity').execute();
}
