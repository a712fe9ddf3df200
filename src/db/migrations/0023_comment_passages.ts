import type { Kysely } from 'kysely';
import { refType } from '../migration-helpers.ts';

// Discuss a passage (issue 17 §1).
// - comment_passages: the passage a thread's first comment discusses, as a W3C Web Annotation
//   TextQuoteSelector (exact, prefix, suffix) and the paragraph it was found in (its #p-N number).
//   `changed` is 1 once a re-import no longer contains the passage: the quote stays, unanchored.
// - passage_counts: per article and paragraph, the readable comments discussing it, kept in the
//   transaction of every change (like articles.comment_count), so the margin costs one range read.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('comment_passages')
    .addColumn('comment_id', refType(db), (c) => c.primaryKey().references('comments.id').onDelete('cascade'))
    .addColumn('article_id', refType(db), (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('paragraph', 'integer', (c) => c.notNull())
    .addColumn('exact', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('suffix', 'text', (c) => c.notNull())
    .addColumn('changed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comment_passages_article_paragraph').on('comment_passages').columns(['article_id', 'paragraph', 'comment_id']).execute();

  await db.schema
    .createTable('passage_counts')
    .addColumn('article_id', refType(db), (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('paragraph', 'integer', (c) => c.notNull())
    .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('passage_counts_pk', ['article_id', 'paragraph'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('passage_counts').execute();
  await db.schema.dropTable('comment_passages').execute();
}
