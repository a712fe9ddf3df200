import { sql, type Kysely, type Transaction } from 'kysely';
import { prepared, preparedVariants } from '../db/prepared.ts';
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

/**
 * An event as its commit appended it: all of it but the payload, which stays the JSON it was stored
 * as until a follower needs it (eventFromCommit), so that each gets its own copy, as from a read.
 */
export type CommittedEvent = Omit<StoredEvent, 'payload'> & { payloadJson: string };

export const eventFromCommit = ({ payloadJson, ...event }: CommittedEvent): StoredEvent => ({ ...event, payload: JSON.parse(payloadJson) as Record<string, unknown> });

/** The channel PostgreSQL NOTIFYs on commit, so every process learns of new events. */
export const EVENTS_CHANNEL = 'parley_events';

/**
 * Appends events inside the caller's transaction (the transactional outbox). On PostgreSQL the
 * writers take a transaction-scoped lock first, so event ids become visible in id order and a
 * reader that resumes from "id > last seen" can never skip a row that commits late. Answers the
 * events as appended (SQLite), or null where their ids are not known (PostgreSQL).
 */
export async function appendEvents(trx: Transaction<Database>, events: NewEvent[], postgres: boolean): Promise<CommittedEvent[] | null> {
  if (events.length === 0) return postgres ? null : [];
  if (postgres) {
    await sql`select pg_advisory_xact_lock(7269746)`.execute(trx);
  }
  const now = new Date().toISOString();
  // On PostgreSQL the ids are not asked for (other processes learn of the events by reading them).
  let committed: CommittedEvent[] | null = postgres ? null : [];
  // Every commit of the site writes here (a group commit's batch of comments writes all its events at
  // once): prepared statements of up to PREPARED_ROWS rows, in order, so the ids still follow the list.
  // Without RETURNING, which SQLite runs as a trigger program filling a temporary table, a batch's
  // insert costs a third less. SQLite tells the id of the last row instead: one statement's rows,
  // written under the one write lock, take the ids that follow each other up to it.
  for (let start = 0; start < events.length; start += PREPARED_ROWS) {
    const chunk = events.slice(start, start + PREPARED_ROWS);
    const args: Record<string, unknown> = { now };
    const payloads = chunk.map((e, i) => {
      const payloadJson = JSON.stringify(e.payload);
      args[`type${i}`] = e.type;
      args[`stream${i}`] = e.stream;
      args[`actor${i}`] = e.actorId ?? null;
      args[`payload${i}`] = payloadJson;
      return payloadJson;
    });
    const { insertId } = await insertEvents(chunk.length).run(trx, args);
    if (insertId === null) committed = null;
    if (!committed) continue;
    const first = insertId! - chunk.length + 1;
    chunk.forEach((e, i) => committed!.push({ id: first + i, type: e.type, stream: e.stream, actorId: e.actorId ?? null, payloadJson: payloads[i]!, createdAt: now }));
  }
  if (postgres) await notifyOtherProcesses(trx);
  return committed;
}

const PREPARED_ROWS = 16;

const insertEvents = preparedVariants((db, a: Record<string, unknown>, rows: number) =>
  db
    .insertInto('events')
    .values(
      Array.from({ length: rows }, (_, i) => ({
        type: a[`type${i}`] as string,
        stream: a[`stream${i}`] as string,
        actor_id: a[`actor${i}`] as number | null,
        payload: a[`payload${i}`] as string,
        created_at: a.now as string,
      })),
    ),
);

/** PostgreSQL delivers the NOTIFY at commit: every process's bus wakes (bus.ts). */
export async function notifyOtherProcesses(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_notify(${EVENTS_CHANNEL}, '')`.execute(trx);
}

// The followers of the events table (subscribers, the page cache, the live hub) read it after every
// commit: their few shapes are prepared (src/db/prepared.ts), a subscriber's list of types included,
// since each subscriber keeps one list for its life. The limit is part of each shape too (SQLite plans
// a statement whose limit is bound at every run: db/sqlite-compiler.ts); each follower asks for one.
const eventsAfter = preparedVariants((db, a: { afterId: number }, limit: number) => db.selectFrom('events').selectAll().where('id', '>', a.afterId).orderBy('id').limit(limit));
const streamEventsAfter = preparedVariants((db, a: { afterId: number; stream: string }, limit: number) =>
  db.selectFrom('events').selectAll().where('id', '>', a.afterId).where('stream', '=', a.stream).orderBy('id').limit(limit),
);
/** The shape is the limit and the types, joined by NUL. */
const typedEventsAfter = preparedVariants((db, a: { afterId: number }, shape: string) => {
  const [limit, ...types] = shape.split('\u0000');
  return db.selectFrom('events').selectAll().where('id', '>', a.afterId).where('type', 'in', types).orderBy('id').limit(Number(limit));
});
const eventHeadsAfter = preparedVariants((db, a: { afterId: number }, limit: number) => db.selectFrom('events').select(['id', 'type', 'stream']).where('id', '>', a.afterId).orderBy('id').limit(limit));
const lastEvent = prepared((db) => db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')));

export async function readEventsAfter(
  db: Kysely<Database>,
  afterId: number,
  options: { stream?: string; types?: string[]; limit?: number } = {},
): Promise<StoredEvent[]> {
  const limit = options.limit ?? 500;
  const types = options.types?.length ? options.types : null;
  let rows;
  if (options.stream && types) {
    rows = await db.selectFrom('events').selectAll().where('id', '>', afterId).where('stream', '=', options.stream).where('type', 'in', types).orderBy('id').limit(limit).execute();
  } else if (options.stream) {
    rows = await streamEventsAfter(limit).all(db, { afterId, stream: options.stream });
  } else if (types) {
    rows = await typedEventsAfter([limit, ...types].join('\u0000')).all(db, { afterId });
  } else {
    rows = await eventsAfter(limit).all(db, { afterId });
  }
  return rows.map((r) => ({
    id: Number(r.id),
    type: r.type,
    stream: r.stream,
    actorId: r.actor_id === null ? null : Number(r.actor_id),
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    createdAt: r.created_at,
  }));
}

/** The id, type and stream of the events after `afterId`: for followers that never look at a payload. */
export async function readEventHeadsAfter(db: Kysely<Database>, afterId: number, limit: number): Promise<Pick<StoredEvent, 'id' | 'type' | 'stream'>[]> {
  const rows = await eventHeadsAfter(limit).all(db, { afterId });
  return rows.map((r) => ({ id: Number(r.id), type: r.type, stream: r.stream }));
}

export async function lastEventId(db: Kysely<Database>): Promise<number> {
  const row = await lastEvent.first(db, {});
  return Number(row?.id ?? 0);
}
