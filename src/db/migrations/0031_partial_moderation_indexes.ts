import { sql, type Kysely } from 'kysely';

// The moderation queues look for the few comments that are not approved, or that have open reports.
// Indexed whole, every comment took an entry in both indexes (nearly all of them approved with no
// report), which each comment's insert and commit paid for: two of its eight index writes. Partial
// indexes hold only the rows the queues look for. A query uses them when its conditions include the
// index's own, written the same way (NOT_APPROVED and HAS_OPEN_REPORTS in src/moderation/queues.ts).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('comments_unapproved').on('comments').columns(['status', 'id']).where(sql.ref('status'), '<>', sql.lit('approved')).execute();
  await db.schema.dropIndex('comments_status').execute();
  await db.schema.createIndex('comments_reported').on('comments').column('id').where(sql.ref('open_reports'), '>', sql.lit(0)).execute();
  await db.schema.dropIndex('comments_open_reports').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('comments_open_reports').on('comments').columns(['open_reports', 'id']).execute();
  await db.schema.dropIndex('comments_reported').execute();
  await db.schema.createIndex('comments_status').on('comments').columns(['status', 'id']).execute();
  await db.schema.dropIndex('comments_unapproved').execute();
}
