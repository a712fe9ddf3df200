import type { Kysely } from 'kysely';

// A site's own language (issue 16): the language its pages, embeds and e-mails speak to readers who
// chose none and whose browser asks for none Parley speaks. Null follows the service's language
// (settings `locale`). A BCP 47 tag; the application accepts only languages it has catalogs for.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sites').addColumn('locale', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sites').dropColumn('locale').execute();
}
