import { sql, type Kysely } from 'kysely';
import { addIdColumn, isPostgres, refType } from '../migration-helpers.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ref = refType(db);
  // Paths are compared byte by byte: a locale's collation could order digits and letters otherwise.
  const pathType = isPostgres(db) ? sql`text collate "C"` : sql`text`;

  await addIdColumn(db, db.schema.createTable('comments'))
    .addColumn('article_id', ref, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('author_id', ref, (c) => c.notNull().references('users.id'))
    .addColumn('parent_id', ref, (c) => c.references('comments.id'))
    .addColumn('root_id', ref, (c) => c.references('comments.id'))
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('path', pathType, (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('descendant_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reaction_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_reason', 'text')
    .execute();
  // One index per thread ordering, so every page is an index range scan whatever the article's size.
  await db.schema.createIndex('comments_threads_by_id').on('comments').columns(['article_id', 'depth', 'id']).execute();
  await db.schema.createIndex('comments_threads_by_replies').on('comments').columns(['article_id', 'depth', 'descendant_count', 'id']).execute();
  await db.schema.createIndex('comments_threads_by_reactions').on('comments').columns(['article_id', 'depth', 'reaction_count', 'id']).execute();
  await db.schema.createIndex('comments_thread_path').on('comments').columns(['root_id', 'path']).execute();
  // The rate limit and duplicate check read the author's latest comment; "my data" lists them all.
  await db.schema.createIndex('comments_author').on('comments').columns(['author_id', 'id']).execute();

  await addIdColumn(db, db.schema.createTable('comment_revisions'))
    .addColumn('comment_id', ref, (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('written_at', 'text', (c) => c.notNull())
    .addColumn('replaced_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comment_revisions_comment').on('comment_revisions').columns(['comment_id', 'id']).execute();

  await db.schema
    .createTable('comment_reactions')
    .addColumn('comment_id', ref, (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_reactions_pk', ['comment_id', 'user_id'])
    .execute();
  await db.schema.createIndex('comment_reactions_user').on('comment_reactions').column('user_id').execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('settings').execute();
  await db.schema.dropTable('comment_reactions').execute();
  await db.schema.dropTable('comment_revisions').execute();
  await db.schema.dropTable('comments').execute();
}
