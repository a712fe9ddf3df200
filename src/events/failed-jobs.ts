import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

// The jobs that gave up (jobs.ts marks them failed after max_attempts or a permanent error), for an
// admin to see and run again once the cause is fixed (src/admin).

/** A job that gave up: what it was, how often it ran, and why it failed the last time. */
export interface FailedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  lastError: string | null;
  failedAt: string;
  createdAt: string;
}

/** Failed jobs, newest first, for an admin to see and retry. */
export async function listFailedJobs(db: Kysely<Database>, options: { before: number | null; limit: number }): Promise<{ jobs: FailedJob[]; next: number | null }> {
  let query = db.selectFrom('jobs').selectAll().where('failed_at', 'is not', null);
  if (options.before !== null) query = query.where('id', '<', options.before);
  const rows = await query.orderBy('id', 'desc').limit(options.limit + 1).execute();
  const jobs = rows.slice(0, options.limit).map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    failedAt: r.failed_at!,
    createdAt: r.created_at,
  }));
  return { jobs, next: rows.length > options.limit ? jobs[jobs.length - 1]!.id : null };
}

/**
 * Puts a failed job back in the queue with all its attempts (the cause was fixed: the mail server is
 * back, the picture is there again). Null when there is no failed job with this id.
 */
export async function requeueFailedJob(db: Kysely<Database>, id: number, now = new Date()): Promise<{ kind: string; lastError: string | null } | null> {
  const row = await db
    .updateTable('jobs')
    .set({ failed_at: null, attempts: 0, run_at: now.toISOString(), lease_owner: null, locked_until: null })
    .where('id', '=', id)
    .where('failed_at', 'is not', null)
    .where('done_at', 'is', null)
    .returning(['kind', 'last_error'])
    .executeTakeFirst();
  return row ? { kind: row.kind, lastError: row.last_error } : null;
}
