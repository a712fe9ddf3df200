import type SqliteDatabase from 'better-sqlite3';

// A read outside any transaction is a transaction of its own to SQLite: in WAL mode it takes a
// shared lock on the database file and a read mark in the log's index, and after each commit the
// first reader moves the mark under an exclusive lock; each of those is a system call (fcntl), taken
// and released for every read. A signed-in POST reads its session and its article that way, and on
// the shared virtual machines measured here those locks made an indexed one-row read cost 11-17 µs
// where the same read inside a transaction costs 2.
//
// So the reads that run outside a transaction during one turn of the event loop share one read
// transaction: the first begins it (DEFERRED, so it takes no write lock), and it ends at the turn's
// end (setImmediate), or at once before anything that is not a plain read runs on the connection:
// a write, a transaction of Kysely's, a pragma, a streamed read. What a reader sees is unchanged for
// everything this process does: its own writes end the shared transaction first, so the next read
// begins after them. A write by another process (the CLI beside the server) becomes visible from the
// next turn, which is what an autocommit read a moment earlier would have seen. A turn that goes on
// (code that only awaits promises, as a command-line task or a script may) renews its transaction
// every MAX_SHARED_MS, so it neither reads an old snapshot for long nor holds back another process's
// checkpoint.

/** How long reads share one snapshot within a turn that goes on. */
export const MAX_SHARED_MS = 2;

const PLAIN_READ = /^\s*select\b/i;

/** Whether a statement may join a turn's read transaction: a SELECT (not a pragma, nor a write with RETURNING). */
export const isPlainRead = (statement: Pick<SqliteDatabase.Statement, 'reader' | 'source'>) => statement.reader && PLAIN_READ.test(statement.source);

export class ReadBatches {
  private open = false;
  private openedAt = 0;
  /** One end-of-turn callback at a time, however often a long turn renews its transaction. */
  private endScheduled = false;
  private readonly beginRead: SqliteDatabase.Statement;
  private readonly commitRead: SqliteDatabase.Statement;
  private readonly endOfTurn = () => {
    this.endScheduled = false;
    try {
      this.end();
    } catch {
      // Ending a read-only transaction fails only when SQLite has already ended it (an I/O error
      // rolls back): nothing is held. Thrown here, it would end the process.
    }
  };

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly maxSharedMs = MAX_SHARED_MS,
  ) {
    this.beginRead = sqlite.prepare('begin');
    this.commitRead = sqlite.prepare('commit');
  }

  /** Before a plain read: joins the turn's read transaction, beginning it when no transaction is open. */
  join(): void {
    if (this.open) {
      if (performance.now() - this.openedAt < this.maxSharedMs) return;
      this.end();
    }
    if (this.sqlite.inTransaction) return;
    this.beginRead.run();
    this.open = true;
    this.openedAt = performance.now();
    if (!this.endScheduled) {
      this.endScheduled = true;
      setImmediate(this.endOfTurn);
    }
  }

  /** Before any other statement: the turn's read transaction, if open, ends first. */
  end(): void {
    if (!this.open) return;
    this.open = false;
    if (this.sqlite.inTransaction) this.commitRead.run();
  }

  /** Whether a transaction other than the shared read transaction is open (a writer's, begun through Kysely). */
  get otherTransaction(): boolean {
    return this.sqlite.inTransaction && !this.open;
  }
}
