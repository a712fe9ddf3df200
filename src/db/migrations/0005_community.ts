import { sql, type Kysely } from 'kysely';
import { addIdColumn, refType } from '../migration-helpers.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ref = refType(db);

  await addIdColumn(db, db.schema.createTable('jobs'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('failed_at', 'text')
    .execute();
  // Claiming reads only open jobs; finished ones pile up for inspection without slowing it down.
  await db.schema
    .createIndex('jobs_open_by_run_at')
    .on('jobs')
    .columns(['run_at', 'id'])
    .where(sql.ref('done_at'), 'is', null)
    .where(sql.ref('failed_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('subscriber_positions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_event_id', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reader_follows')
    .addColumn('follower_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('followee_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reader_follows_pk', ['follower_id', 'followee_id'])
    .execute();
  // Both lists page newest first; the fan-out of a comment reads the author's followers.
  await db.schema.createIndex('reader_follows_followee').on('reader_follows').columns(['followee_id', 'created_at', 'follower_id']).execute();
  await db.schema.createIndex('reader_follows_follower').on('reader_follows').columns(['follower_id', 'created_at', 'followee_id']).execute();

  await db.schema
    .createTable('article_follows')
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('article_id', ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_follows_pk', ['user_id', 'article_id'])
    .execute();
  await db.schema.createIndex('article_follows_article').on('article_follows').columns(['article_id', 'user_id']).execute();

  await db.schema
    .createTable('author_follows')
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('author_key', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('author_follows_pk', ['user_id', 'author_key'])
    .execute();
  await db.schema.createIndex('author_follows_author').on('author_follows').columns(['author_key', 'user_id']).execute();

  await db.schema
    .createTable('reader_mutes')
    .addColumn('muter_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('muted_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reader_mutes_pk', ['muter_id', 'muted_id'])
    .execute();
  // "Who muted this author?" — the fan-out skips them.
  await db.schema.createIndex('reader_mutes_muted').on('reader_mutes').columns(['muted_id', 'muter_id']).execute();

  await db.schema
    .createTable('reader_stats')
    .addColumn('user_id', ref, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('follower_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('following_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('followers_private', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('following_private', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('delivery', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'kind'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['notification_preferences', 'reader_stats', 'reader_mutes', 'author_follows', 'article_follows', 'reader_follows', 'subscriber_positions', 'jobs']) {
    await db.schema.dropTable(table).execute();
  }
}
