import type { Kysely } from 'kysely';
import { addIdColumn, refType } from '../migration-helpers.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ref = refType(db);
  await addIdColumn(db, db.schema.createTable('notifications'))
    .addColumn('recipient_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', ref, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('article_id', ref, (c) => c.references('articles.id').onDelete('cascade'))
    .addColumn('comment_id', ref, (c) => c.references('comments.id').onDelete('cascade'))
    // The event that caused it: one notification per reader per event, however often it is handled.
    .addColumn('event_id', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addUniqueConstraint('notifications_once', ['recipient_id', 'event_id'])
    .execute();
  // The list pages by id, newest first; the bell counts the unread.
  await db.schema.createIndex('notifications_recipient').on('notifications').columns(['recipient_id', 'id']).execute();
  await db.schema.createIndex('notifications_unread').on('notifications').columns(['recipient_id', 'read_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
}
