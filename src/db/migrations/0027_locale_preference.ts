import type { Kysely } from 'kysely';

// A reader's own language (issue 16): null follows the site's language (setting `locale`), which also
// decides for readers who never chose. Kept as a BCP 47 tag; the application accepts only the
// languages it has catalogs for.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('locale', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('locale').execute();
}
