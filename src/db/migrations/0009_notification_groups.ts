import type { Kysely } from 'kysely';

// Grouped reaction notifications ("12 people respected your comment") and the signing key of the
// one-click unsubscribe links in notification mails.

export async function up(db: Kysely<any>): Promise<void> {
  // How many readers a grouped notification stands for; 1 for every ungrouped kind.
  await db.schema.alterTable('notifications').addColumn('actor_count', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  // Looking up the open reaction group of a comment for its author.
  await db.schema.createIndex('notifications_by_comment').on('notifications').columns(['comment_id', 'kind', 'recipient_id']).execute();
  // Keys made once per installation (first use wins, so several processes agree).
  await db.schema
    .createTable('site_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('site_secrets').execute();
  await db.schema.dropIndex('notifications_by_comment').execute();
  await db.schema.alterTable('notifications').dropColumn('actor_count').execute();
}
