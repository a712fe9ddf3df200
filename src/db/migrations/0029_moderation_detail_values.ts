import type { Kysely } from 'kysely';

// The moderation pipeline's reason details as a code and its values (issue 16), so that a moderator
// reads "Contains the suspect term …" or « Contient le terme suspect … » in their own language.
// A JSON text object: { "key": "<catalog key under moderation.detail.>", "values": { … } }. Null for
// rows written before this migration (and for approvals): they keep their English `moderation_detail`,
// which the views show as written. Plain text on both dialects, like moderation_tags.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('comments').addColumn('moderation_detail_values', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('comments').dropColumn('moderation_detail_values').execute();
}
