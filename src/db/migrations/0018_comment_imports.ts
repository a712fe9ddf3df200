import type { Kysely } from 'kysely';
import { addIdColumn, refType } from '../migration-helpers.ts';

// Comments moved in from another system (src/migrate-comments): who wrote them there, and which of our
// comments each source comment became, so a second run of the same file changes nothing.

export async function up(db: Kysely<any>): Promise<void> {
  const ref = refType(db);
  // An author in the source system, shown through a placeholder account (no address, no password).
  await addIdColumn(db, db.schema.createTable('imported_profiles'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id'))
    // SHA-256 of the lower-cased address the source gave, never the address itself: it only serves
    // to find the profile when a reader verifies the same address.
    .addColumn('email_hash', 'text')
    .addColumn('claimed_by', ref, (c) => c.references('users.id'))
    .addColumn('claimed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('imported_profiles_source_key', ['source', 'source_id'])
    .execute();
  await db.schema.createIndex('imported_profiles_email').on('imported_profiles').columns(['email_hash', 'claimed_by']).execute();
  await db.schema.createIndex('imported_profiles_user').on('imported_profiles').column('user_id').execute();

  await db.schema
    .createTable('imported_comments')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('comment_id', ref, (c) => c.notNull().references('comments.id').onDelete('cascade'))
    // Likes the source counted without saying who gave them; the comment's reaction count includes them.
    .addColumn('source_reactions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('imported_comments_pk', ['source', 'source_id'])
    .execute();
  await db.schema.createIndex('imported_comments_comment').on('imported_comments').column('comment_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('imported_comments').execute();
  await db.schema.dropTable('imported_profiles').execute();
}
