import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

// Migrations are written once for both dialects; these helpers hide the few places they differ.

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An auto-incrementing integer primary key named `id`. */
export function addIdColumn<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return isPostgres(db)
    ? table.addColumn('id', 'bigserial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** An integer column that references another table's id (bigint on PostgreSQL to match bigserial). */
export const refType = (db: Kysely<any>) => (isPostgres(db) ? 'bigint' : 'integer');
