import type { DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings, CompiledQuery, QueryCompiler } from 'kysely';
import { HttpError } from '../http/errors.ts';
import { registerDirectLane, type DirectLane } from '../db/direct-lane.ts';

// Every query passes through here on its way to the database driver, for three reasons:
// - A database that is away (PostgreSQL restarting, a failover, a dropped connection) or a disk that
//   cannot take a write (SQLITE_FULL, an I/O error) is not a bug in the request: it becomes a 503 with
//   Retry-After and words a person understands, never a generic 500.
// - While PostgreSQL cannot be reached at all, requests are refused at once instead of each waiting
//   for its own connection attempt to time out; one probe at a time finds out when it is back.
// - The latency of every query, for /metrics.

/** The database cannot be reached (or dropped the connection mid-query); try again shortly. */
export class DatabaseUnavailable extends HttpError {
  constructor(readonly original: unknown, retryAfterSeconds = 5) {
    super(503, 'database_unavailable', 'The site cannot reach its database right now. Please try again in a moment.', { 'retry-after': String(retryAfterSeconds) });
  }
}

/** The database refuses writes: the disk is full, read-only or failing. */
export class StorageUnavailable extends HttpError {
  constructor(readonly original: unknown, retryAfterSeconds = 30) {
    super(503, 'storage_unavailable', 'The site cannot store anything right now. Please try again later.', { 'retry-after': String(retryAfterSeconds) });
  }
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections, and the
// connection_exception class (08xxx).
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);
// PostgreSQL: disk_full, insufficient_resources, read_only_sql_transaction (a standby after failover).
const PG_STORAGE = new Set(['53100', '53000', '25006']);
const SQLITE_STORAGE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|NOMEM)/;

export type Unavailability = 'connection' | 'storage' | null;

/** What kind of unavailability an error from a driver stands for, if any. */
export function classifyDatabaseError(error: unknown): Unavailability {
  if (error instanceof DatabaseUnavailable) return 'connection';
  if (error instanceof StorageUnavailable) return 'storage';
  if (!error || typeof error !== 'object') return null;
  const code = String((error as { code?: unknown }).code ?? '');
  if (SQLITE_STORAGE.test(code)) return 'storage';
  if (PG_STORAGE.has(code)) return 'storage';
  if (CONNECTION_CODES.has(code) || PG_UNAVAILABLE.has(code) || /^08/.test(code)) return 'connection';
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed/i.test(message)) return 'connection';
  return null;
}

export function asUnavailable(error: unknown): unknown {
  switch (classifyDatabaseError(error)) {
    case 'connection':
      return error instanceof DatabaseUnavailable ? error : new DatabaseUnavailable(error);
    case 'storage':
      return error instanceof StorageUnavailable ? error : new StorageUnavailable(error);
    default:
      return error;
  }
}

export interface GuardObserver {
  /** Each statement's time on the database; `ok` false when it failed. */
  query?(seconds: number, ok: boolean): void;
  /** Each transaction's commit (on SQLite with synchronous=FULL, mostly the fsync). */
  commit?(seconds: number, ok: boolean): void;
  /** A storage failure (disk full) or a connection failure was seen. */
  unavailable?(kind: 'connection' | 'storage', error: unknown): void;
  /** A statement succeeded after an unavailability. */
  recovered?(): void;
}

/**
 * Whether the database can be reached. Opened (refusing fast) when a new connection cannot be made;
 * a probe closes it again. Not opened by one broken connection: the pool simply makes another.
 */
export class DatabaseGuard {
  observer: GuardObserver = {};
  private down: { since: number; error: unknown } | null = null;
  private lastStorageFailure = 0;
  private lastWrite = 0;
  private probing = false;
  private probeTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly probe: (() => Promise<void>) | null = null) {}

  get unreachable(): boolean {
    return this.down !== null;
  }

  get unreachableSince(): number | null {
    return this.down?.since ?? null;
  }

  /** The last storage failure is newer than the last successful write. */
  get storageFailing(): boolean {
    return this.lastStorageFailure > this.lastWrite;
  }

  /** Throws at once while the database is known to be unreachable. */
  checkReachable(): void {
    if (this.down) throw new DatabaseUnavailable(this.down.error);
  }

  failed(error: unknown, duringConnect: boolean): unknown {
    const kind = classifyDatabaseError(error);
    if (kind === 'storage') {
      this.lastStorageFailure = Date.now();
      this.observer.unavailable?.('storage', error);
    } else if (kind === 'connection') {
      this.observer.unavailable?.('connection', error);
      if (duringConnect && this.probe && !this.down) {
        this.down = { since: Date.now(), error };
        this.scheduleProbe(250);
      }
    }
    return asUnavailable(error);
  }

  succeeded(write: boolean): void {
    if (write) {
      const wasFailing = this.storageFailing;
      this.lastWrite = Date.now();
      if (wasFailing) this.observer.recovered?.();
    }
  }

  private scheduleProbe(delayMs: number): void {
    if (this.closed || this.probing || this.probeTimer) return;
    this.probeTimer = setTimeout(async () => {
      this.probeTimer = null;
      this.probing = true;
      try {
        await this.probe!();
        this.down = null;
        this.observer.recovered?.();
      } catch (error) {
        if (this.down) this.down.error = error;
      } finally {
        this.probing = false;
      }
      if (this.down) this.scheduleProbe(Math.min(5000, delayMs * 2));
    }, delayMs);
    this.probeTimer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
  }
}

const WRITE_STATEMENT = /^\s*(insert|update|delete|replace|create|alter|drop)\b/i;
/** Every statement passes here: the reads (most of them) are told by their first letter, without the expression. */
const isWrite = (sql: string) => (sql.charCodeAt(0) | 0x20) !== 0x73 /* s: select */ && WRITE_STATEMENT.test(sql);

/** SQLite's statements as the direct lane needs them (db/connection.ts withStatementCache). */
export interface DirectStatements {
  prepare(sql: string): { reader: boolean; all(parameters: readonly unknown[]): unknown[]; run(parameters: readonly unknown[]): { changes: number; lastInsertRowid: number | bigint } };
  /** Whether a transaction is open on the connection, as SQLite itself says. */
  readonly inTransaction: boolean;
}

/**
 * The dialect with every connection and statement passing through the guard. Given SQLite's
 * statements, it also opens the direct lane (db/direct-lane.ts) for this database.
 */
export function guardedDialect(inner: Dialect, guard: DatabaseGuard, direct?: DirectStatements): Dialect {
  // Kysely asks once for each; the lane is known by the adapter its transactions share.
  const adapter = inner.createAdapter();
  return {
    createAdapter: () => adapter,
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createDriver: () => {
      const driver = new GuardedDriver(inner.createDriver(), guard);
      if (direct) registerDirectLane(adapter, directLane(direct, driver, guard));
      return driver;
    },
  };
}

function directLane(statements: DirectStatements, driver: GuardedDriver, guard: DatabaseGuard): DirectLane {
  return {
    execute<R>(db: Kysely<any>, compiled: Pick<CompiledQuery, 'sql' | 'parameters'>): QueryResult<R> | null {
      if (db.isTransaction !== statements.inTransaction) return null;
      const started = performance.now();
      try {
        const statement = statements.prepare(compiled.sql);
        let result: QueryResult<R>;
        if (statement.reader) {
          result = { rows: statement.all(compiled.parameters) as R[] };
        } else {
          const { changes, lastInsertRowid } = statement.run(compiled.parameters);
          result = { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
        }
        statementSucceeded(guard, compiled.sql, started, db.isTransaction ? driver.transaction : null);
        return result;
      } catch (error) {
        throw statementFailed(guard, started, error);
      }
    },
  };
}

/** A statement answered: its time for the metrics, and a write counted now, or when the transaction it ran in commits. */
function statementSucceeded(guard: DatabaseGuard, sql: string, started: number, transaction: { pendingWrite: boolean } | null): void {
  guard.observer.query?.((performance.now() - started) / 1000, true);
  if (!isWrite(sql)) return;
  if (transaction) transaction.pendingWrite = true;
  else guard.succeeded(true);
}

/** A statement failed: its time for the metrics, and the error to answer with (a 503 when the database is away). */
function statementFailed(guard: DatabaseGuard, started: number, error: unknown): unknown {
  guard.observer.query?.((performance.now() - started) / 1000, false);
  return guard.failed(error, false);
}

class GuardedConnection implements DatabaseConnection {
  /** Inside a transaction: a write succeeded, to be counted when the transaction commits. */
  pendingWrite = false;
  inTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly guard: DatabaseGuard,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const started = performance.now();
    try {
      const result = await this.inner.executeQuery<R>(compiledQuery);
      statementSucceeded(this.guard, compiledQuery.sql, started, this.inTransaction ? this : null);
      return result;
    } catch (error) {
      throw statementFailed(this.guard, started, error);
    }
  }

  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiledQuery, chunkSize);
  }
}

class GuardedDriver implements Driver {
  /** The connection whose transaction began last and has not ended (on SQLite, the one connection's). */
  private openTransaction: GuardedConnection | null = null;

  /** The open transaction's connection: a write the direct lane makes in it counts when it commits. */
  get transaction(): GuardedConnection | null {
    return this.openTransaction;
  }

  constructor(
    private readonly inner: Driver,
    private readonly guard: DatabaseGuard,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.guard.checkReachable();
    try {
      return new GuardedConnection(await this.inner.acquireConnection(), this.guard);
    } catch (error) {
      throw this.guard.failed(error, true);
    }
  }

  private async run(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      throw this.guard.failed(error, false);
    }
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.run(() => this.inner.beginTransaction(unwrap(connection), settings));
    if (connection instanceof GuardedConnection) {
      connection.inTransaction = true;
      this.openTransaction = connection;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const tracked = connection instanceof GuardedConnection ? connection : null;
    const started = performance.now();
    let committed = false;
    try {
      await this.run(() => this.inner.commitTransaction(unwrap(connection)));
      committed = true;
      // A commit is a successful write only when something was written (storage is fine again).
      if (tracked?.pendingWrite) this.guard.succeeded(true);
    } finally {
      this.guard.observer.commit?.((performance.now() - started) / 1000, committed);
      if (tracked) this.ended(tracked);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof GuardedConnection) this.ended(connection);
    await this.run(() => this.inner.rollbackTransaction(unwrap(connection)));
  }

  private ended(connection: GuardedConnection): void {
    connection.inTransaction = connection.pendingWrite = false;
    if (this.openTransaction === connection) this.openTransaction = null;
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.run(() => this.inner.savepoint!(unwrap(connection), name, compile));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    // The writes since the savepoint are undone; which came before it is not known, so none count.
    if (connection instanceof GuardedConnection) connection.pendingWrite = false;
    await this.run(() => this.inner.rollbackToSavepoint!(unwrap(connection), name, compile));
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.run(() => this.inner.releaseSavepoint!(unwrap(connection), name, compile));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    this.guard.close();
    return this.inner.destroy();
  }
}

const unwrap = (connection: DatabaseConnection) => (connection instanceof GuardedConnection ? connection.inner : connection);
