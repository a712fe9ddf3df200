import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface NewEvent {
  type: string;
  /** What the event is about, e.g. `article:12`. */
  stream: string;
  actorId?: number | null;
  payload: Record<string, unknown>;
}

export interface StoredEvent {
  id: number;
  type: string;
  stream: string;
  actorId: number | null;
  payload: Record<string, unknown>;
  createdAt: string;
}

/** The channel PostgreSQL NOTIFYs on commit, so every process learns of new events. */
export const EVENTS_CHANNEL = 'parley_events';

/**
 * Appends events inside the caller's transaction (the transactional outbox). On PostgreSQL the
 * writers take a transaction-scoped lock first, so event ids become visible in id order and a
 * reader that resumes from "id > last seen" can never skip a row that commits late.
 */
export async function appendEvents(trx: Transaction<Database>, events: NewEvent[], postgres: boolean): Promise<number[]> {
  if (events.length === 0) return [];
  if (postgres) {
    await sql`select pg_advisory_xact_lock(7269746)`.execute(trx);
  }
  const now = new Date().toISOString();
  const rows = await trx
    .insertInto('events')
    .values(
      events.map((e) => ({
        type: e.type,
        stream: e.stream,
        actor_id: e.actorId ?? null,
        payload: JSON.stringify(e.payload),
        created_at: now,
      })),
    )
    .returning('id')
    .execute();
  if (postgres) await notifyOtherProcesses(trx);
  return rows.map((r) => Number(r.id));
}

/** PostgreSQL delivers the NOTIFY at commit: every process's bus wakes (bus.ts). */
export async function notifyOtherProcesses(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_notify(${EVENTS_CHANNEL}, '')`.execute(trx);
}

export async function readEventsAfter(
  db: Kysely<Database>,
  afterId: number,
  options: { stream?: string; types?: string[]; limit?: number } = {},
): Promise<StoredEvent[]> {
  let query = db.selectFrom('events').selectAll().where('id', '>', afterId);
  if (options.stream) query = query.where('stream', '=', options.stream);
  if (options.types?.length) query = query.where('type', 'in', options.types);
  const rows = await query.orderBy('id').limit(options.limit ?? 500).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    type: r.type,
    stream: r.stream,
    actorId: r.actor_id === null ? null : Number(r.actor_id),
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    createdAt: r.created_at,
  }));
}

export async function lastEventId(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}
