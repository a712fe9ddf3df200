import type { Kysely } from 'kysely';
import { addIdColumn, refType } from '../migration-helpers.ts';

// Who's quoted (issue 17 §2): the people a site's articles quote, each quote with its paragraph, and
// the editors' corrections, kept apart from the extracted rows so that a re-import, which extracts
// again, can apply them once more.

export async function up(db: Kysely<any>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('quote_people'))
    .addColumn('site_id', refType(db), (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('quote_people_site_slug', ['site_id', 'slug'])
    .execute();

  await addIdColumn(db, db.schema.createTable('quotes'))
    .addColumn('article_id', refType(db), (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('person_id', refType(db), (c) => c.notNull().references('quote_people.id').onDelete('cascade'))
    .addColumn('paragraph', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('corrected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('quotes_article').on('quotes').columns(['article_id', 'position']).execute();
  await db.schema.createIndex('quotes_person').on('quotes').columns(['person_id', 'article_id']).execute();

  await addIdColumn(db, db.schema.createTable('quote_corrections'))
    .addColumn('article_id', refType(db), (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('quote_key', 'text', (c) => c.notNull())
    .addColumn('paragraph', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('speaker', 'text')
    .addColumn('actor_id', refType(db), (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('quote_corrections_article_key', ['article_id', 'quote_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quote_corrections').execute();
  await db.schema.dropTable('quotes').execute();
  await db.schema.dropTable('quote_people').execute();
}
