import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from './schema.ts';
import { DatabaseGuard, guardedDialect } from '../ops/database-guard.ts';
import { ParleySqliteDialect } from './sqlite-compiler.ts';
import { isPlainRead, ReadBatches } from './read-batches.ts';
import { checkDataDir, corrupt, postgresStartupRefusal, sqliteStartupRefusal } from '../ops/startup.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** For PostgreSQL: the pool, so the event bus can hold a LISTEN connection. */
  pgPool: pg.Pool | null;
  /** For PostgreSQL: the schema in use when it is not the default (tests give each run its own). */
  pgSchema: string | null;
  /** For SQLite: the file's path (null in memory), for backups and the single-process lock. */
  sqliteFile: string | null;
  /** Knows whether the database can be reached and turns its outages into 503s (ops/database-guard.ts). */
  guard: DatabaseGuard;
  close(): Promise<void>;
}

type WarnLog = { warn(obj: unknown, msg?: string): void };

export interface DbOptions {
  dataDir: string;
  databaseUrl: string | null;
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  /** How many prepared SQLite statements are kept (SQLITE_STATEMENT_CACHE). */
  sqliteStatementCache?: number;
  /** PostgreSQL schema to work in (tests give each run its own). */
  pgSchema?: string;
  /** SQLite file name inside dataDir; ':memory:' for throwaway databases. */
  sqliteFile?: string;
  /** Run SQLite's quick_check before use (serve and migrate do; a damaged file must not take writes). */
  checkIntegrity?: boolean;
  /** Where a dropped idle PostgreSQL connection is reported. */
  log?: WarnLog;
}

// int8 (count(*), bigserial) arrives as a string by default; our ids and counts fit in a double.
const pgTypes = (types: typeof pg.types) => ({
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === types.builtins.INT8) return (value: string) => Number(value);
    return types.getTypeParser(oid, format as 'text');
  },
});

export async function openDatabase(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.pgSchema, options.log);
  return openSqlite(options);
}

function openSqlite(options: DbOptions): Db {
  const file = options.sqliteFile ?? 'parley.db';
  let location = file;
  if (file !== ':memory:') {
    checkDataDir(options.dataDir);
    location = path.join(options.dataDir, file);
  }
  let sqlite: SqliteDatabase.Database | null = null;
  try {
    sqlite = new SqliteDatabase(location);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
    sqlite.pragma('foreign_keys = ON');
    // A batch of the group committer (events/group-commit.ts) gives each command a savepoint, whose
    // journal of the pages it changes went to a temporary file past 64 KB: an open, writes and an
    // unlink for most busy batches (two system calls more per POST). In memory it is a few hundred KB
    // at most (one batch's pages). Temporary tables and sorts stay in memory too, as the importer's
    // connection already had them (migrate-comments/sqlite-checkpoints.ts).
    sqlite.pragma('temp_store = MEMORY');
    // Another process (the CLI importing while the server runs) may hold the write lock briefly.
    sqlite.pragma('busy_timeout = 5000');
    if (options.checkIntegrity) {
      const problems = (sqlite.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
      if (problems.length > 0) throw corrupt(location, problems.join('; '));
    }
  } catch (error) {
    sqlite?.close();
    throw sqliteStartupRefusal(error, location) ?? error;
  }
  const guard = new DatabaseGuard();
  const statements = withStatementCache(sqlite, options.sqliteStatementCache);
  const kysely = new Kysely<Database>({ dialect: guardedDialect(new ParleySqliteDialect({ database: statements }), guard, statements) });
  return {
    kysely,
    dialect: 'sqlite',
    pgPool: null,
    pgSchema: null,
    sqliteFile: file === ':memory:' ? null : location,
    guard,
    async close() {
      await kysely.destroy();
    },
  };
}

/**
 * Kysely prepares every statement anew for each query; compiling SQL costs more than running most of
 * ours. The app issues a few hundred distinct statements, so keep them prepared (better-sqlite3
 * statements are reusable, and SQLite re-prepares one itself after a schema change). Each holds its
 * compiled program in SQLite's memory, and some shapes vary with the data (a list of n ids, a batch
 * of n events), so the cache keeps the `max` most recently used (SQLITE_STATEMENT_CACHE).
 */
export function withStatementCache(sqlite: SqliteDatabase.Database, max = 500) {
  const statements = new Map<string, CachedStatement>();
  const reads = new ReadBatches(sqlite);
  return {
    close: () => {
      reads.end();
      sqlite.close();
    },
    /** Statements held now (for tests). */
    get size() {
      return statements.size;
    },
    /** Whether a transaction is open: a writer's, not the turn's shared read transaction (read-batches.ts). */
    get inTransaction() {
      return reads.otherTransaction;
    },
    prepare(sql: string) {
      // Every transaction Parley opens writes. Begun DEFERRED (Kysely's "begin"), one in another
      // process (a command beside the server) reads first and then, if the server committed
      // meanwhile, cannot write: SQLITE_BUSY_SNAPSHOT, which busy_timeout does not wait out. Begun
      // IMMEDIATE, it takes the write lock first, waiting for it as busy_timeout allows.
      if (sql === 'begin') sql = 'begin immediate';
      let statement = statements.get(sql);
      if (statement) {
        // Least recently used goes first: a hit moves the statement to the end of the map's order.
        statements.delete(sql);
      } else {
        if (statements.size >= max) statements.delete(statements.keys().next().value!);
        statement = inReadBatches(sqlite.prepare(sql), reads);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

type CachedStatement = Pick<SqliteDatabase.Statement, 'reader' | 'all' | 'run' | 'iterate'>;

/** A statement that joins the turn's read transaction when it is a plain read, and ends it before running otherwise. */
function inReadBatches(statement: SqliteDatabase.Statement, reads: ReadBatches): CachedStatement {
  const plainRead = isPlainRead(statement);
  const rows = statement.reader ? rowsAsObjects(statement) : null;
  return {
    reader: statement.reader,
    all(...params: unknown[]) {
      if (plainRead) reads.join();
      else reads.end();
      return rows ? rows.all(params) : statement.all(...params);
    },
    run(...params: unknown[]) {
      reads.end();
      return statement.run(...params);
    },
    // A streamed read may outlive the turn, and SQLite cannot end a transaction while it is open.
    *iterate(...params: unknown[]) {
      reads.end();
      if (rows) yield* rows.iterate(params);
      else yield* statement.iterate(...params);
    },
  } as CachedStatement;
}

/**
 * better-sqlite3 builds each row object in C++, property by property: for our twenty-column comment
 * rows that is twice the cost of fetching the values. Rows are fetched as arrays instead and turned
 * into objects by a function made once per statement from its column names (JSON-quoted, so any
 * name is safe), which V8 runs as plain object literals.
 */
function rowsAsObjects(statement: SqliteDatabase.Statement) {
  statement.raw(true);
  let width = -1;
  let toObject: (values: unknown[]) => unknown = () => ({});
  const row = (values: unknown[]) => {
    // A schema change (migrations in tests) can change a statement's columns: look again when the width does.
    if (values.length !== width) {
      const names = statement.columns().map((c) => c.name);
      width = names.length;
      toObject = new Function('v', `return {${names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ')}};`) as (values: unknown[]) => unknown;
    }
    return toObject(values);
  };
  return {
    all: (params: unknown[]) => (statement.all(...params) as unknown[][]).map(row),
    *iterate(params: unknown[]) {
      for (const values of statement.iterate(...params) as IterableIterator<unknown[]>) yield row(values);
    },
  };
}

async function openPostgres(url: string, schema: string | undefined, log: WarnLog = console): Promise<Db> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  // The PostgreSQL client (about 3 MB of heap) loads only for a PostgreSQL database.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: pgTypes(pg.types),
    // Named, so an operator sees Parley's sessions in pg_stat_activity (an application_name in the
    // URL wins); bounded, so a request never waits long for a database that does not answer.
    application_name: 'parley',
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A connection the server drops (a restart, a failover, an idle timeout, pg_terminate_backend)
  // emits 'error'; unheard, that ends the process. Idle ones are dropped from the pool, which makes
  // new ones; a checked-out one fails its query, which answers 503.
  pool.on('error', (error) => log.warn({ err: error }, 'PostgreSQL dropped an idle connection; the pool opens another when needed'));
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw postgresStartupRefusal(error, url) ?? error;
  }
  const guard = new DatabaseGuard(async () => void (await pool.query('select 1')));
  const kysely = new Kysely<Database>({ dialect: guardedDialect(new PostgresDialect({ pool }), guard) });
  return {
    kysely,
    dialect: 'postgres',
    pgPool: pool,
    pgSchema: schema ?? null,
    sqliteFile: null,
    guard,
    async close() {
      guard.close();
      await kysely.destroy();
    },
  };
}
