import type { Transaction } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/schema.ts';
import type { MessageKey, MessageValues } from '../i18n/index.ts';
import { KeyedError, type KeyedMessage } from '../i18n/keyed-error.ts';
import type { CommitNotice, EventBus } from './bus.ts';
import { appendEvents, notifyOtherProcesses, type NewEvent } from './outbox.ts';

/**
 * A change the rules refuse (a closed conversation, a rate limit, a duplicate): commands throw it
 * with the HTTP status, code and words it stands for, and the one error handler (http/errors.ts)
 * answers with them, as JSON or as a page. Features name their own subclass.
 */
export class CommandRefused extends KeyedError {
  override readonly name: string = 'CommandRefused';

  constructor(
    readonly status: RefusalStatus,
    readonly code: string,
    message: string | KeyedMessage,
    /** With 429: when to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /**
   * A refusal whose words come from the catalogs: `message` is the English (logs, tests), and
   * `messageIn` gives the reader's language. Subclasses inherit it: `CommentRefused.keyed(…)`.
   */
  static keyed<T extends CommandRefused>(
    this: new (status: RefusalStatus, code: string, message: KeyedMessage, retryAfterSeconds?: number) => T,
    status: RefusalStatus,
    code: string,
    key: MessageKey,
    values?: MessageValues,
    retryAfterSeconds?: number,
  ): T {
    return new this(status, code, { key, values }, retryAfterSeconds);
  }
}

export type RefusalStatus = 400 | 403 | 404 | 409 | 429;

export interface CommandContext {
  db: Db;
  bus: EventBus;
}

export interface Tx {
  db: Transaction<Database>;
  /**
   * The database's, for what differs: PostgreSQL runs transactions side by side, so a change that
   * reads a row and writes from what it read locks the row; SQLite's write transactions never overlap.
   */
  dialect: Db['dialect'];
  /** Records a domain event; it is written in this transaction and delivered after commit. */
  emit(event: NewEvent): void;
  /** Wakes the event followers after commit though no event was recorded (a job was enqueued). */
  wake(): void;
}

/**
 * Runs one change: its writes and its events commit together or not at all; subscribers are woken
 * only after the commit, so nobody reacts to a change that was rolled back. A change PostgreSQL
 * aborted for a deadlock with another one is run again: the body may run more than once, as when the
 * writer, given an error, sent the change again; what it wrote through `tx` was rolled back.
 */
export async function runCommand<T>(ctx: CommandContext, body: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(ctx, body);
    } catch (error) {
      if (attempt >= TRANSIENT_ATTEMPTS || !isTransientConflict(error)) throw error;
      // Apart, so that the transactions that met do not meet again in step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

/** How many times a change PostgreSQL aborted for a conflict with another (not for its content) is run. */
const TRANSIENT_ATTEMPTS = 3;

/**
 * PostgreSQL aborts one of two transactions that wait on each other's rows (deadlock_detected) or
 * that serializable isolation cannot order (serialization_failure). Neither says anything about the
 * change itself: run again, it succeeds, where answering would give the writer a 500 for a
 * coincidence of timing. SQLite's writes never overlap, so it never reports either.
 */
export function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

async function runOnce<T>(ctx: CommandContext, body: (tx: Tx) => Promise<T>): Promise<T> {
  const postgres = ctx.db.dialect === 'postgres';
  let notice: CommitNotice | null = null;
  let wake = false;
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const events: NewEvent[] = [];
    let woken = false;
    const value = await body({ db: trx, dialect: ctx.db.dialect, emit: (event) => events.push(event), wake: () => void (woken = true) });
    const committed = await appendEvents(trx, events, postgres);
    if (woken && events.length === 0 && postgres) await notifyOtherProcesses(trx);
    wake = woken || events.length > 0;
    notice = committed && { events: committed };
    return value;
  });
  // On PostgreSQL the LISTEN connection wakes us too; waking locally as well only saves a round trip.
  if (wake) ctx.bus.wake(notice);
  return result;
}
