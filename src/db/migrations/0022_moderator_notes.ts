import type { Kysely } from 'kysely';
import { addIdColumn, refType } from '../migration-helpers.ts';

// Moderator notes on a reader (issue 14): what moderators want each other to know about someone,
// shown only to moderators. Notes are added, never edited; writing one is audited.

export async function up(db: Kysely<any>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('moderator_notes'))
    .addColumn('user_id', refType(db), (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('author_id', refType(db), (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('moderator_notes_user').on('moderator_notes').columns(['user_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('moderator_notes').execute();
}
