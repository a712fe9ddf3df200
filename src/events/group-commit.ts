import { CompiledQuery, type ControlledTransaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { runCommand, type CommandContext, type Tx } from './command.ts';
import { appendEvents, type CommittedEvent, type NewEvent } from './outbox.ts';
import { executeCompiled } from '../db/direct-lane.ts';

// Group commit for hot write paths on SQLite. A durable commit costs an fsync, and SQLite has one
// writer, so under load requests queue for the disk one fsync at a time. Here the commands that
// arrive while a commit is in flight run together in the next transaction, each inside its own
// savepoint: a command that fails (a refusal, or a bug) rolls back alone and gets its own error; the
// others commit with one fsync. Every caller is answered only after the commit, so an accepted write
// is as durable as with runCommand. On PostgreSQL, which has its own group commit and many
// connections, this is plain runCommand.
//
// A batch is bounded by time as well as by count. better-sqlite3 is synchronous, so from the first
// statement of a batch to the answers of its callers (which run as microtasks right after the commit)
// the event loop serves nothing else: no socket is read, so even the refusals of load shedding, which
// cost microseconds, wait unread in the sockets' buffers. Past saturation, batches of up to 64
// comments held the loop in long stretches (a median event-loop lag of 120 ms in the soak) and shed
// requests waited seconds to be read. So a batch takes no new command once it has used
// BATCH_BUDGET_MS of CPU since its transaction began: it commits, answers its callers and yields to
// the loop (setImmediate, after the sockets are polled) before the next batch. A quiet server's
// batches are a few commands and never reach the bound; a busy one's still share each fsync among
// several commands.

interface Pending {
  body: (tx: Tx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 64;
/** A batch takes no further command once it has used this much CPU time since its transaction began. */
const BATCH_BUDGET_MS = 8;
/** How long a batch may wait for more commands while they keep coming (see gather). */
const GATHER_MS = 2;

// A batch's savepoints are plain statements run on its transaction, compiled once. Through Kysely's
// savepoint API each cost a compiled query and a new transaction object: a savepoint and its release
// took 25-30 µs where the two statements take 9-12 (most commands of a busy batch have one).
const savepoints: { name: string; begin: CompiledQuery; release: CompiledQuery }[] = [];
const savepoint = (i: number) =>
  (savepoints[i] ??= { name: `c${i}`, begin: CompiledQuery.raw(`savepoint "c${i}"`), release: CompiledQuery.raw(`release "c${i}"`) });

/**
 * The process's CPU time in milliseconds. The budget is of work, not of the wall: on a machine
 * shared with other busy processes a batch may be descheduled midway, and a wall clock would then cut
 * batches to one command each, multiplying the commits (and their fsyncs and wake-ups) exactly when
 * the CPU is scarcest.
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export interface GroupCommitOptions {
  maxBatch?: number;
  budgetMs?: number;
  /** How long a batch may wait for more commands while each turn of the loop brings some. */
  gatherMs?: number;
  /** A clock in milliseconds (tests give one that advances with the work); by default the process's CPU time. */
  now?: () => number;
}

/** When a batch began: on the wall, and on the budget's clock when it was read then (see lastBatchLong). */
interface BatchStart {
  wall: number;
  clock: number | null;
}

export class GroupCommitter {
  private queue: Pending[] = [];
  private draining = false;
  private readonly maxBatch: number;
  private readonly budgetMs: number;
  private readonly gatherMs: number;
  private readonly now: () => number;
  private readonly clockInjected: boolean;
  /**
   * The last batch ran past the budget on the wall: the server is busy. Then the next batch begins
   * without gathering (commands queued while the last one ran), and reads the CPU clock when it
   * begins. Reading it is a system call that sums every thread's time, and cost ~1.5 % of a POST's
   * CPU when made for every batch; CPU time never runs ahead of the wall clock, so a batch that ends
   * within the budget on the wall needed no reading. A batch begun without it that runs past the
   * budget on the wall ends there, once: the next one begins with the clock.
   */
  private lastBatchLong = false;

  constructor(
    private readonly ctx: CommandContext,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? MAX_BATCH;
    this.budgetMs = options.budgetMs ?? BATCH_BUDGET_MS;
    this.gatherMs = options.gatherMs ?? GATHER_MS;
    this.now = options.now ?? cpuMs;
    this.clockInjected = options.now !== undefined;
  }

  /** Whether the batch begun at `startedAt` has used up its budget. */
  private budgetSpent(startedAt: BatchStart): boolean {
    if (!this.clockInjected && performance.now() - startedAt.wall < this.budgetMs) return false;
    if (startedAt.clock === null) return true;
    return this.now() - startedAt.clock >= this.budgetMs;
  }

  run<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.ctx.db.dialect !== 'sqlite') return runCommand(this.ctx, body);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ body, resolve: resolve as (v: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        await this.gather();
        await this.commitBatch();
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Lets the loop turn before the batch begins, and again while each turn brings more commands, for at
   * most GATHER_MS. SQLite has one connection: the requests read with the first command still have
   * their reads to run (session, article) before they reach the queue. And the answers of the last
   * batch bring their writers' next requests a moment later: under steady concurrent writing, taking
   * only what one turn brought split the writers into two groups that alternated, each paying a
   * commit of its own. A turn that brings nothing ends the wait, so a lone write waits one turn, as
   * before. After a batch that ran long, the queue filled while it ran: one turn, no more, since waiting
   * for stragglers would only delay the writes a saturated server has already accepted.
   */
  private async gather(): Promise<void> {
    const since = performance.now();
    let queued: number;
    do {
      queued = this.queue.length;
      await new Promise((resolve) => setImmediate(resolve));
    } while (this.queue.length > queued && this.queue.length < this.maxBatch && !this.lastBatchLong && performance.now() - since < this.gatherMs);
  }

  /** Runs the commands at the head of the queue in one transaction, as many as its time allows. */
  private async commitBatch(): Promise<void> {
    const batch: Pending[] = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const events: NewEvent[] = [];
    let woken = false;
    let committed: CommittedEvent[] | null = null;
    let trx: ControlledTransaction<Database> | null = null;
    const startedAt: BatchStart = { wall: performance.now(), clock: this.clockInjected || this.lastBatchLong ? this.now() : null };
    try {
      trx = await this.ctx.db.kysely.startTransaction().execute();
      // Commands taken one at a time, so that those queued while the batch runs may still join it.
      while (this.queue.length > 0 && batch.length < this.maxBatch && (batch.length === 0 || !this.budgetSpent(startedAt))) {
        const item = this.queue.shift()!;
        const i = batch.push(item) - 1;
        // The first command has the transaction to itself: it needs no savepoint (two statements less
        // per batch, and most batches of a quiet site are one command). If it fails, the transaction
        // is rolled back whole, which undoes exactly what a savepoint would, and begun again.
        const point = i === 0 ? null : savepoint(i);
        if (point) await executeCompiled(trx, point.begin);
        const own: NewEvent[] = [];
        let ownWake = false;
        try {
          const value = await item.body({ db: trx, dialect: this.ctx.db.dialect, emit: (event) => own.push(event), wake: () => void (ownWake = true) });
          if (point) await executeCompiled(trx, point.release);
          events.push(...own);
          woken ||= ownWake;
          outcomes.push({ ok: true, value });
        } catch (error) {
          outcomes.push({ ok: false, error });
          try {
            if (point) {
              // Kysely's own rollback, rare as it is: the database guard forgets the writes it undoes.
              await (trx as ControlledTransaction<Database, [string]>).rollbackToSavepoint(point.name).execute();
            } else {
              await trx.rollback().execute();
              trx = null;
              trx = await this.ctx.db.kysely.startTransaction().execute();
            }
          } catch {
            // SQLite rolls the whole transaction back itself after some failures (a full disk, an I/O
            // error): nothing is left to undo, and the commands before this one were undone with it.
            // The batch fails with the error that caused it (a 503 for a full disk), not with the
            // rollback's "no transaction is active".
            throw error;
          }
        }
      }
      committed = await appendEvents(trx, events, false);
      await trx.commit().execute();
      this.lastBatchLong = performance.now() - startedAt.wall >= this.budgetMs;
    } catch (error) {
      if (trx) await trx.rollback().execute().catch(() => undefined);
      // A transaction that could not even begin (the disk is gone) fails the commands it would have
      // taken, so the queue drains instead of retrying in a tight loop.
      for (const item of batch.length > 0 ? batch : this.queue.splice(0, this.maxBatch)) item.reject(error);
      return;
    }
    if (events.length > 0 || woken) this.ctx.bus.wake(committed && { events: committed });
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}

const committers = new WeakMap<object, GroupCommitter>();

/** The process's group committer for this database. */
export function groupCommitter(ctx: CommandContext): GroupCommitter {
  let committer = committers.get(ctx.db);
  if (!committer) committers.set(ctx.db, (committer = new GroupCommitter(ctx)));
  return committer;
}
