import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../db/connection.ts';
import type { Database } from '../db/schema.ts';
import type { Tx } from './command.ts';

// Jobs are rows (the design's jobs table): work that must happen after a change but outside its
// request — e-mail, webhooks. A command enqueues in its own transaction, so a job exists iff its
// change committed; a runner claims due jobs with a lease, runs the handler for the kind, and marks
// the job done, or reschedules it with back-off, or marks it failed after max_attempts.
//
// Guarantees, and their limits:
// - One event, one job: `dedupe_key` is unique and enqueue is INSERT … ON CONFLICT DO NOTHING.
// - One run at a time: a claim is an atomic UPDATE (PostgreSQL: rows picked FOR UPDATE SKIP LOCKED;
//   SQLite: one statement, and SQLite has one writer). A running job's lease is renewed every
//   lease/3; if renewal finds the lease gone (the process stalled past it), the handler's signal aborts.
// - A crashed worker loses nothing: its lease expires and another runner claims the job again.
// - Therefore delivery is AT LEAST ONCE. A handler that did its side effect (the SMTP server accepted
//   the mail) and died before `done` will run again. Handlers with outside effects must make the
//   repeat harmless: mail carries a Message-ID derived from the dedupe key (`jobMessageId`), so
//   receiving servers and clients fold a duplicate; and the runner marks done right after the
//   handler returns, so the window is one UPDATE wide. Exactly-once is not possible with an outside
//   system that has no idempotency key; we chose a rare duplicate over a lost notification.

export interface Job {
  id: number;
  kind: string;
  dedupeKey: string;
  payload: Record<string, unknown>;
  runAt: string;
  /** Including this run. */
  attempts: number;
  maxAttempts: number;
}

export interface JobRunContext {
  /** Aborts when the lease is lost or the runner stops: stop early, the job will run again. */
  signal: AbortSignal;
}

export type JobHandler = (job: Job, run: JobRunContext) => Promise<void>;

/** Thrown by a handler when retrying cannot help (the recipient is gone, the payload is wrong). */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

export interface NewJob {
  kind: string;
  dedupeKey: string;
  payload: Record<string, unknown>;
  runAt?: Date;
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * Adds a job, normally inside a command's transaction (`tx.db`). A second enqueue with the same
 * dedupe key does nothing and returns null. The runner hears of it through the bus when the
 * command emits an event (it should: the job is the consequence of one), else on its next poll.
 */
export async function enqueueJob(db: Kysely<Database> | Transaction<Database>, job: NewJob, now = new Date()): Promise<number | null> {
  const row = await db
    .insertInto('jobs')
    .values({
      kind: job.kind,
      dedupe_key: job.dedupeKey,
      payload: JSON.stringify(job.payload),
      run_at: (job.runAt ?? now).toISOString(),
      max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

/** Enqueues in the caller's command, and has the runners woken once it commits. */
export async function queueJob(tx: Tx, job: NewJob, now = new Date()): Promise<number | null> {
  const id = await enqueueJob(tx.db, job, now);
  tx.wake();
  return id;
}

/** A stable Message-ID for the mail a job sends, so a repeated run sends the same message. */
export function jobMessageId(dedupeKey: string, host: string): string {
  const safe = Buffer.from(dedupeKey, 'utf8').toString('base64url');
  return `<job.${safe}@${host}>`;
}

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/**
 * The wait before attempt n+1 after n failed: exponential, capped, with "equal jitter" (half fixed,
 * half random) so jobs that failed together (an SMTP outage) do not all come back together.
 */
export function backoffDelay(failedAttempts: number, backoff: Backoff, random = Math.random): number {
  const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

interface ClaimOptions {
  owner: string;
  kinds: string[];
  limit: number;
  leaseMs: number;
  now?: Date;
}

const toJob = (row: { id: number; kind: string; dedupe_key: string; payload: string; run_at: string; attempts: number; max_attempts: number }): Job => ({
  id: Number(row.id),
  kind: row.kind,
  dedupeKey: row.dedupe_key,
  payload: JSON.parse(row.payload) as Record<string, unknown>,
  runAt: row.run_at,
  attempts: Number(row.attempts),
  maxAttempts: Number(row.max_attempts),
});

/**
 * Takes up to `limit` due jobs of the given kinds: open, due, not leased (or the lease expired) and
 * with attempts left. One atomic UPDATE … RETURNING; on PostgreSQL the candidate rows are locked
 * with SKIP LOCKED so concurrent runners take different jobs instead of waiting on each other.
 */
export async function claimJobs(db: Kysely<Database>, dialect: Dialect, options: ClaimOptions): Promise<Job[]> {
  if (options.kinds.length === 0 || options.limit <= 0) return [];
  const now = (options.now ?? new Date()).toISOString();
  const until = new Date(Date.parse(now) + options.leaseMs).toISOString();
  const rows = await db
    .updateTable('jobs')
    .set((eb) => ({ lease_owner: options.owner, locked_until: until, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('jobs')
        .select('id')
        .where('done_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('run_at', '<=', now)
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', now)]))
        .where((w) => w('attempts', '<', w.ref('max_attempts')))
        .where('kind', 'in', options.kinds)
        .orderBy('run_at')
        .orderBy('id')
        .limit(options.limit)
        .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .returning(['id', 'kind', 'dedupe_key', 'payload', 'run_at', 'attempts', 'max_attempts'])
    .execute();
  return rows.map(toJob).sort((a, b) => a.id - b.id);
}

/**
 * A job whose last permitted run died with its worker would stay open for ever (it has no attempts
 * left, so nobody claims it): once its lease is over it is marked failed.
 */
export async function failAbandonedJobs(db: Kysely<Database>, now = new Date()): Promise<number> {
  const at = now.toISOString();
  const result = await db
    .updateTable('jobs')
    .set({ failed_at: at, lease_owner: null, locked_until: null, last_error: 'the worker stopped during the last attempt (lease expired)' })
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('locked_until', '<=', at)
    .where((w) => w('attempts', '>=', w.ref('max_attempts')))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Marks done; false when this claim no longer holds the job (its lease was lost and retaken). */
export async function completeJob(db: Kysely<Database>, job: Job, owner: string, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ done_at: now.toISOString(), lease_owner: null, locked_until: null, last_error: null })
    .where('id', '=', job.id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** After a failed run: back to the queue at run_at = now + back-off, or failed for good. */
export async function failJob(db: Kysely<Database>, job: Job, owner: string, error: unknown, backoff: Backoff, now = new Date()): Promise<'retry' | 'failed' | 'lost'> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const final = error instanceof PermanentJobError || job.attempts >= job.maxAttempts;
  const result = await db
    .updateTable('jobs')
    .set(
      final
        ? { failed_at: now.toISOString(), lease_owner: null, locked_until: null, last_error: message.slice(0, 2000) }
        : { run_at: new Date(now.getTime() + backoffDelay(job.attempts, backoff)).toISOString(), lease_owner: null, locked_until: null, last_error: message.slice(0, 2000) },
    )
    .where('id', '=', job.id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return 'lost';
  return final ? 'failed' : 'retry';
}

/**
 * Gives a job back untouched: the run was cut short by this process stopping, not by the job, so the
 * attempt does not count and the job is due at once for the next runner.
 */
export async function releaseJob(db: Kysely<Database>, job: Job, owner: string, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set((eb) => ({ lease_owner: null, locked_until: null, run_at: now.toISOString(), attempts: eb('attempts', '-', 1) }))
    .where('id', '=', job.id)
    .where('lease_owner', '=', owner)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
