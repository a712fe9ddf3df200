import { createQueryId, type CompiledQuery, type Compilable, type InsertQueryBuilder, type InsertResult, type Kysely } from 'kysely';
import { directLaneOf } from './direct-lane.ts';
import { isPostgres } from './migration-helpers.ts';
import type { Database } from './schema.ts';

// Kysely builds and compiles every query anew: an immutable tree, then a walk over it to print SQL.
// For a select of twenty columns that is ~30 µs, more than SQLite takes to run it. The few queries
// on the hottest paths (every request's session, every comment post) are built once per dialect
// here, with placeholders for their parameters, and afterwards only their parameters change. On
// SQLite they run by the direct lane when they may (db/direct-lane.ts).

const PLACEHOLDER = Symbol('prepared query parameter');

interface Placeholder {
  readonly [PLACEHOLDER]: string;
}

const isPlaceholder = (value: unknown): value is Placeholder => typeof value === 'object' && value !== null && PLACEHOLDER in value;

export interface PreparedQuery<A, R> {
  /** Every row. */
  all(db: Kysely<Database>, args: A): Promise<R[]>;
  /** The first row, or undefined. */
  first(db: Kysely<Database>, args: A): Promise<R | undefined>;
  /** For writes: the rows changed (and the returned rows, if the query returns any). */
  run(db: Kysely<Database>, args: A): Promise<{ rows: R[]; changed: number; insertId: number | null }>;
}

/**
 * A query whose shape never changes, only its values. `build` receives placeholders in place of the
 * arguments and must use them only as values (in where, values, set, limit): it runs once per
 * dialect, so a branch on an argument would be taken once, for every later call. A limit is better
 * a variant (preparedVariants) than an argument: SQLite plans a statement whose limit is bound again
 * at every run (db/sqlite-compiler.ts).
 */
export function prepared<A extends Record<string, unknown>, R>(build: (db: Kysely<Database>, args: A) => Compilable<R>): PreparedQuery<A, R> {
  const byAdapter = new Map<unknown, { compiled: CompiledQuery<R>; names: (string | null)[] }>();

  function compile(db: Kysely<Database>) {
    const adapter = db.getExecutor().adapter.constructor;
    let entry = byAdapter.get(adapter);
    if (!entry) {
      const args = new Proxy({} as A, { get: (_target, name) => ({ [PLACEHOLDER]: String(name) }) });
      const compiled = build(db, args).compile();
      // Anything that is not a placeholder is a constant of the query itself (e.g. a literal limit).
      entry = { compiled, names: compiled.parameters.map((p) => (isPlaceholder(p) ? p[PLACEHOLDER] : null)) };
      byAdapter.set(adapter, entry);
    }
    return entry;
  }

  async function execute(db: Kysely<Database>, args: A) {
    const { compiled, names } = compile(db);
    const parameters = names.map((name, i) => {
      if (name === null) return compiled.parameters[i];
      if (!(name in args)) throw new Error(`prepared query: missing argument "${name}"`);
      return args[name];
    });
    return directLaneOf(db)?.execute<R>(db, { sql: compiled.sql, parameters }) ?? db.executeQuery<R>({ ...compiled, parameters, queryId: createQueryId() });
  }

  return {
    async all(db, args) {
      return (await execute(db, args)).rows;
    },
    async first(db, args) {
      return (await execute(db, args)).rows[0];
    },
    async run(db, args) {
      const result = await execute(db, args);
      return { rows: result.rows, changed: Number(result.numAffectedRows ?? 0n), insertId: result.insertId === undefined ? null : Number(result.insertId) };
    },
  };
}

/**
 * A query with a few shapes (an order, an optional cursor, a list of n items): one prepared query per
 * shape, made on first use. `variant` must be a small, finite set of values, since each is kept.
 */
export function preparedVariants<V extends string | number, A extends Record<string, unknown>, R>(
  build: (db: Kysely<Database>, args: A, variant: V) => Compilable<R>,
): (variant: V) => PreparedQuery<A, R> {
  const variants = new Map<V, PreparedQuery<A, R>>();
  return (variant) => {
    let query = variants.get(variant);
    if (!query) variants.set(variant, (query = prepared<A, R>((db, args) => build(db, args, variant))));
    return query;
  };
}


/**
 * An insert of one row that answers the new row's id. SQLite knows the id of the row it inserted
 * last, so there the statement has no RETURNING clause, which doubled the cost of the comment insert
 * (14 against 7 µs a row); PostgreSQL returns the id.
 */
export function preparedInsert<A extends Record<string, unknown>, T extends keyof Database & string>(build: (db: Kysely<Database>, args: A) => InsertQueryBuilder<Database, T, InsertResult>) {
  const query = prepared<A, { id: number | string }>((db, args) => {
    const insert = build(db, args);
    return isPostgres(db) ? (insert.returning('id' as never) as unknown as Compilable<{ id: number | string }>) : insert;
  });
  return {
    async id(db: Kysely<Database>, args: A): Promise<number> {
      const { rows, insertId } = await query.run(db, args);
      const id = rows[0]?.id ?? insertId;
      if (id === null || id === undefined) throw new Error('prepared insert: the database reported no id');
      return Number(id);
    },
  };
}
