import type { CompiledQuery, Kysely, QueryResult } from 'kysely';

// On SQLite a statement is a synchronous call into the same process. Through Kysely each one also
// passes its connection lock (a chain of promises), its executor and the database guard's connection
// wrapper: a dozen microtasks and several objects for a read that takes SQLite 5 µs. The prepared
// queries of the hot paths (db/prepared.ts) and the group committer's savepoints take this lane
// instead, and run the statement at once, while nothing they could observe differs:
// - SQLite has one connection. A query outside a transaction may run now only if no transaction is
//   open on it: otherwise it would read (or write into) someone else's uncommitted work, so it goes
//   through Kysely and waits for that transaction's end, as before.
// - A query of a transaction runs now only while a transaction is open (it is that one: there can be
//   no other). A transaction that has ended, or that SQLite rolled back itself (a full disk), goes
//   through Kysely, which answers as it always did.
// The lane is made by the database guard (ops/database-guard.ts), so it keeps the guard's duties:
// errors mapped to 503s, query latency for /metrics, successful writes noted.

export interface DirectLane {
  /** The query's result, or null when it must go through Kysely (see above). Throws the guard's errors. */
  execute<R>(db: Kysely<any>, compiled: Pick<CompiledQuery, 'sql' | 'parameters'>): QueryResult<R> | null;
}

const lanes = new WeakMap<object, DirectLane>();

/** Registers the lane of a Kysely instance (and of its transactions), known by their shared adapter. */
export function registerDirectLane(adapter: object, lane: DirectLane): void {
  lanes.set(adapter, lane);
}

/** The direct lane of this database, if it has one (SQLite). */
export const directLaneOf = (db: Kysely<any>): DirectLane | undefined => lanes.get(db.getExecutor().adapter);

/** Runs a compiled query by the direct lane when it may, through Kysely otherwise. */
export async function executeCompiled<R>(db: Kysely<any>, compiled: CompiledQuery<R>): Promise<QueryResult<R>> {
  return directLaneOf(db)?.execute<R>(db, compiled) ?? db.executeQuery<R>(compiled);
}
