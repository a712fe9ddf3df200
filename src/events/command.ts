import type { Transaction } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from './bus.ts';
import { appendEvents, type NewEvent } from './outbox.ts';

export interface CommandContext {
  db: Db;
  bus: EventBus;
}

export interface Tx {
  db: Transaction<Database>;
  /** Records a domain event; it is written in this transaction and delivered after commit. */
  emit(event: NewEvent): void;
}

/**
 * Runs one change: its writes and its events commit together or not at all; subscribers are woken
 * only after the commit, so nobody reacts to a change that was rolled back.
 */
export async function runCommand<T>(ctx: CommandContext, body: (tx: Tx) => Promise<T>): Promise<T> {
  const postgres = ctx.db.dialect === 'postgres';
  let emitted = 0;
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const events: NewEvent[] = [];
    const value = await body({ db: trx, emit: (event) => events.push(event) });
    await appendEvents(trx, events, postgres);
    emitted = events.length;
    return value;
  });
  // On PostgreSQL the LISTEN connection wakes us too; waking locally as well only saves a round trip.
  if (emitted > 0) ctx.bus.wake();
  return result;
}
