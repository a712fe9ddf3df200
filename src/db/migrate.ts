import { Migrator, sql } from 'kysely';
import type { Db } from './connection.ts';
import { migrations } from './migrations.ts';
import { sqliteStartupRefusal, StartupRefusal } from '../ops/startup.ts';

export interface MigrateOptions {
  /** Add Parley's tables to a PostgreSQL schema that already holds tables of another application. */
  adopt?: boolean;
}

/** Brings the schema up to date. */
export async function migrateToLatest(db: Db, options: MigrateOptions = {}): Promise<string[]> {
  if (db.dialect === 'postgres' && !options.adopt) await refuseForeignSchema(db);
  // Kysely looks for its bookkeeping tables in every schema unless told which one is ours: the one
  // given, or on PostgreSQL the first of the search path (DATABASE_URL may set it with options=-c search_path=…).
  const schema = db.pgSchema ?? (db.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s : undefined);
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely's migrator reads the catalog of every schema before it starts; a table that another
  // application (or another test's schema) drops at that moment makes the read fail with "relation …
  // does not exist". Nothing was applied then, so trying again is safe.
  for (let attempt = 1; error && !results?.length && db.dialect === 'postgres' && /does not exist/.test(String((error as Error).message)) && attempt <= 3; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error) {
    // A full disk or a damaged file met while migrating is a start-up refusal, not a stack trace.
    const original = (error as { original?: unknown }).original ?? error;
    const refusal = db.dialect === 'sqlite' ? sqliteStartupRefusal(original, db.sqliteFile ?? 'the database') : null;
    if (refusal) throw refusal;
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Migrations known to this code that the database has not run, and ones it ran that this code does not know (a newer node). */
export async function migrationStatus(db: Db): Promise<{ pending: string[]; unknown: string[] }> {
  const schema = db.pgSchema ? sql`${sql.id(db.pgSchema)}.` : sql``;
  const { rows } = await sql<{ name: string }>`select name from ${schema}${sql.id('kysely_migration')}`.execute(db.kysely);
  const ran = new Set(rows.map((r) => r.name));
  return { pending: Object.keys(migrations).filter((name) => !ran.has(name)), unknown: [...ran].filter((name) => !(name in migrations)) };
}

/**
 * A PostgreSQL schema that holds tables but no record of Parley's migrations belongs to another
 * application: adding Parley's tables to it would mix two applications' data. `--adopt` says it is meant.
 */
async function refuseForeignSchema(db: Db): Promise<void> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = coalesce(${db.pgSchema}::text, current_schema()) and table_type = 'BASE TABLE'
    order by table_name`.execute(db.kysely);
  const names = rows.map((r) => r.table_name);
  if (names.length === 0 || names.includes('kysely_migration')) return;
  throw new StartupRefusal({ key: 'cli.startup.foreignSchema', values: { tables: names.slice(0, 5).join(', '), more: Math.max(0, names.length - 5) } });
}
