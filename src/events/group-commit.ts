import type { ControlledTransaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { runCommand, type CommandContext, type Tx } from './command.ts';
import { appendEvents, type NewEvent } from './outbox.ts';

// Group commit for hot write paths on SQLite. A durable commit costs an fsync, and SQLite has one
// writer, so under load requests queue for the disk one fsync at a time. Here the commands that
// arrive while a commit is in flight run together in the next transaction, each inside its own
// savepoint: a command that fails (a refusal, or a bug) rolls back alone and gets its own error; the
// others commit with one fsync. Every caller is answered only after the commit, so an accepted write
// is as durable as with runCommand. On PostgreSQL, which has its own group commit and many
// connections, this is plain runCommand.

interface Pending {
  body: (tx: Tx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 64;

export class GroupCommitter {
  private queue: Pending[] = [];
  private draining = false;

  constructor(private readonly ctx: CommandContext) {}

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
        // SQLite has one connection: let the reads of requests already in flight (session, article)
        // run first, so that they join this batch instead of waiting for the next fsync.
        await new Promise((resolve) => setImmediate(resolve));
        await this.commitBatch(this.queue.splice(0, MAX_BATCH));
      }
    } finally {
      this.draining = false;
    }
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const events: NewEvent[] = [];
    let woken = false;
    let trx: ControlledTransaction<Database> | null = null;
    try {
      trx = await this.ctx.db.kysely.startTransaction().execute();
      for (const [i, item] of batch.entries()) {
        const name = `c${i}`;
        const point = await trx.savepoint(name).execute();
        const own: NewEvent[] = [];
        let ownWake = false;
        try {
          const value = await item.body({ db: point, emit: (event) => own.push(event), wake: () => void (ownWake = true) });
          await point.releaseSavepoint(name).execute();
          events.push(...own);
          woken ||= ownWake;
          outcomes.push({ ok: true, value });
        } catch (error) {
          await point.rollbackToSavepoint(name).execute();
          outcomes.push({ ok: false, error });
        }
      }
      await appendEvents(trx, events, false);
      await trx.commit().execute();
    } catch (error) {
      if (trx) await trx.rollback().execute().catch(() => undefined);
      for (const item of batch) item.reject(error);
      return;
    }
    if (events.length > 0 || woken) this.ctx.bus.wake();
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
