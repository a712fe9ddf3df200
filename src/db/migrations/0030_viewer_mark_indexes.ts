import type { Kysely } from 'kysely';

// A signed-in page asks which of its comments the reader reacted to or reported. By the reader and a
// range of comment ids (the page's lowest to highest), one index seek and a short scan answer it,
// where a list of the page's eighty ids took eighty probes of the primary keys. These indexes lead
// with the reader, as the ones they replace did, so reads of all of a reader's rows keep theirs.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('comment_reactions_user_comment').on('comment_reactions').columns(['user_id', 'comment_id']).execute();
  await db.schema.dropIndex('comment_reactions_user').execute();
  await db.schema.createIndex('comment_reports_reporter_comment').on('comment_reports').columns(['reporter_id', 'comment_id']).execute();
  await db.schema.dropIndex('comment_reports_reporter').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('comment_reports_reporter').on('comment_reports').column('reporter_id').execute();
  await db.schema.dropIndex('comment_reports_reporter_comment').execute();
  await db.schema.createIndex('comment_reactions_user').on('comment_reactions').column('user_id').execute();
  await db.schema.dropIndex('comment_reactions_user_comment').execute();
}
