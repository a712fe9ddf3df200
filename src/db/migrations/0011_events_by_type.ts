import type { Kysely } from 'kysely';

// Durable subscribers read "events of my types after my position". Their position moves over events
// of other types only now and then (a write per commit would cost an fsync each on SQLite), so that
// read must find its types without walking past everything else.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('events_by_type').on('events').columns(['type', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_by_type').execute();
}
