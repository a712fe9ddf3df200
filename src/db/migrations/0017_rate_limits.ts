import type { Kysely } from 'kysely';

// Rate-limit counters shared by every node on one PostgreSQL (src/ops/rate-limit-store.ts): N nodes
// must not allow N times the limit. SQLite runs one server per file and keeps them in memory; the
// table exists there too, so both dialects have one schema.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    // Milliseconds since the epoch when the window ends; a bigint fits any date.
    .addColumn('window_ends_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_window_ends_at').on('rate_limits').column('window_ends_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
