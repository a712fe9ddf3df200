import type { Kysely } from 'kysely';
import { addIdColumn, refType } from '../migration-helpers.ts';

// Moderation: a status on every comment (existing comments were all visible, so they start approved),
// a mode on every article, reader reports, reader sanctions and the append-only audit log.
export async function up(db: Kysely<any>): Promise<void> {
  const ref = refType(db);
  const columns: [string, string, (c: any) => any][] = [
    ['status', 'text', (c) => c.notNull().defaultTo('approved')],
    ['moderation_code', 'text', (c) => c],
    ['moderation_detail', 'text', (c) => c],
    ['moderation_phase', 'text', (c) => c],
    ['moderation_tags', 'text', (c) => c.notNull().defaultTo('[]')],
    ['spam_score', 'real', (c) => c],
    ['rejection_reason', 'text', (c) => c],
    ['featured', 'integer', (c) => c.notNull().defaultTo(0)],
    ['report_count', 'integer', (c) => c.notNull().defaultTo(0)],
    ['open_reports', 'integer', (c) => c.notNull().defaultTo(0)],
    ['seen', 'integer', (c) => c.notNull().defaultTo(0)],
    ['moderated_at', 'text', (c) => c],
    ['moderated_by', ref, (c) => c],
  ];
  // SQLite adds one column per ALTER TABLE.
  for (const [name, type, build] of columns) await db.schema.alterTable('comments').addColumn(name, type as any, build).execute();
  await db.schema.createIndex('comments_status').on('comments').columns(['status', 'id']).execute();
  await db.schema.createIndex('comments_open_reports').on('comments').columns(['open_reports', 'id']).execute();
  await db.schema.alterTable('articles').addColumn('moderation_mode', 'text', (c) => c.notNull().defaultTo('post')).execute();

  await db.schema
    .createTable('comment_reports')
    .addColumn('comment_id', ref, (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('reporter_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_reports_pk', ['comment_id', 'reporter_id'])
    .execute();
  await db.schema.createIndex('comment_reports_reporter').on('comment_reports').column('reporter_id').execute();

  await db.schema
    .createTable('reader_sanctions')
    .addColumn('user_id', ref, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('until', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('created_by', ref)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await addIdColumn(db, db.schema.createTable('audit_log'))
    .addColumn('actor_id', ref)
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('reader_sanctions').execute();
  await db.schema.dropTable('comment_reports').execute();
}
