import type { Kysely } from 'kysely';
import { addIdColumn } from '../migration-helpers.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('events'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'bigint')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_stream_id').on('events').columns(['stream', 'id']).execute();

  await addIdColumn(db, db.schema.createTable('articles'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('import_key', 'text', (c) => c.notNull().unique())
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('standfirst', 'text')
    .addColumn('authors', 'text', (c) => c.notNull())
    .addColumn('dateline', 'text')
    .addColumn('published_at', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('image', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('source_url', 'text')
    .addColumn('publication_name', 'text')
    .addColumn('comments_open', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sort_at', 'text', (c) => c.notNull())
    .execute();
  // The front page pages by (sort_at, id) descending.
  await db.schema.createIndex('articles_sort').on('articles').columns(['sort_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('articles').execute();
  await db.schema.dropTable('events').execute();
}
