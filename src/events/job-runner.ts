import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { prepared } from '../db/prepared.ts';
import type { Dialect } from '../db/connection.ts';
import type { Database } from '../db/schema.ts';
import type { EventBus } from './bus.ts';
import { claimJobs, completeJob, failAbandonedJobs, failJob, releaseJob, type Backoff, type Job, type JobHandler } from './jobs.ts';
import { SerialPump } from './serial-pump.ts';

// The runner side of the jobs table (jobs.ts has the table and its guarantees): claims due jobs with
// a lease, renews the lease while a handler runs, and sleeps until the next job is due.

const STOPPING = new Error('the job runner is stopping');

async function renewLease(db: Kysely<Database>, job: Job, owner: string, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: new Date(Date.now() + leaseMs).toISOString() })
    .where('id', '=', job.id)
    .where('lease_owner', '=', owner)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * When the runner should look again: the earliest run_at or lease expiry among open jobs of its kinds.
 * Read after every commit of the site, so prepared once per runner, its kinds built in as constants.
 */
function nextDueQuery(kinds: string[]) {
  const query = prepared((db) =>
    db
      .selectFrom('jobs')
      .select(sql<string | null>`min(case when locked_until is not null and locked_until > run_at then locked_until else run_at end)`.as('at'))
      .where('done_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('kind', 'in', kinds),
  );
  return async (db: Kysely<Database>): Promise<number | null> => {
    const row = await query.first(db, {});
    return row?.at ? Date.parse(row.at) : null;
  };
}

export interface JobRunnerOptions {
  db: Kysely<Database>;
  dialect: Dialect;
  bus?: EventBus;
  handlers: Record<string, JobHandler>;
  /** Jobs run at once by this runner. */
  concurrency?: number;
  leaseMs?: number;
  /** The longest sleep between looks at the table (scheduled jobs, other processes on SQLite). */
  pollMs?: number;
  backoff?: Backoff;
  /** How long stop() waits for running handlers after aborting them. */
  stopTimeoutMs?: number;
  log?: { error(obj: unknown, msg?: string): void; warn?(obj: unknown, msg?: string): void };
  /** Names this runner in lease_owner (with a random part per claim). */
  name?: string;
}

/** Claims and runs jobs; woken by the bus after commits and by a timer for scheduled jobs. */
export class JobRunner {
  private readonly opts: Required<Omit<JobRunnerOptions, 'bus' | 'log'>> & Pick<JobRunnerOptions, 'bus' | 'log'>;
  private readonly kinds: string[];
  private readonly nextDueAt: (db: Kysely<Database>) => Promise<number | null>;
  /**
   * The due time the last look found when it claimed nothing: the sleep after it needs no second read
   * (a commit meanwhile wakes the runner, which looks again).
   */
  private dueSeen: { at: number | null } | null = null;
  private readonly running = new Map<number, { promise: Promise<void>; abort: AbortController }>();
  private readonly pump = new SerialPump(
    () => this.claimAndRun(),
    (error, again) => {
      if (error) this.opts.log?.error({ err: error }, 'job runner failed to claim jobs');
      if (again) return true;
      void this.schedule();
      return false;
    },
  );
  private stopped = true;
  private sweepDue = true;
  /** schedule() calls so far: only the latest sets the timer. */
  private schedules = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(options: JobRunnerOptions) {
    this.opts = {
      concurrency: 4,
      leaseMs: 60_000,
      pollMs: 5_000,
      backoff: { baseMs: 10_000, maxMs: 60 * 60_000 },
      stopTimeoutMs: 10_000,
      name: `runner-${randomBytes(4).toString('hex')}`,
      ...options,
    };
    this.kinds = Object.keys(options.handlers);
    this.nextDueAt = nextDueQuery(this.kinds);
  }

  start(): void {
    // With no handlers there is nothing to claim: no wake-ups, no queries.
    if (!this.stopped || this.kinds.length === 0) return;
    this.stopped = false;
    this.unsubscribe = this.opts.bus?.subscribe(() => this.wake()) ?? null;
    this.wake();
  }

  /** Looks for due jobs now; calls during a look make it look once more afterwards. */
  wake(): void {
    if (this.stopped) return;
    this.pump.request();
  }

  private async claimAndRun(): Promise<void> {
    this.dueSeen = null;
    // A write, so not on every wake-up (every commit): at start and when the timer fires (which it
    // does when the earliest lease runs out, see schedule()).
    if (this.sweepDue) {
      this.sweepDue = false;
      await failAbandonedJobs(this.opts.db);
    }
    // Every commit wakes the runner, and most enqueue nothing: a read decides whether a claim (a
    // write, with its fsync on SQLite) is worth making.
    const due = await this.nextDueAt(this.opts.db);
    if (due === null || due > Date.now()) {
      this.dueSeen = { at: due };
      return;
    }
    while (!this.stopped) {
      const free = this.opts.concurrency - this.running.size;
      if (free <= 0) return;
      const owner = `${this.opts.name}:${randomBytes(6).toString('hex')}`;
      const jobs = await claimJobs(this.opts.db, this.opts.dialect, { owner, kinds: this.kinds, limit: free, leaseMs: this.opts.leaseMs });
      for (const job of jobs) this.launch(job, owner);
      if (jobs.length < free) return;
    }
  }

  private launch(job: Job, owner: string): void {
    const abort = new AbortController();
    const { db, leaseMs, backoff, log } = this.opts;
    const heartbeat = setInterval(() => {
      renewLease(db, job, owner, leaseMs)
        .then((held) => {
          if (!held) abort.abort(new Error('lease lost'));
        })
        .catch((error) => log?.error({ err: error, jobId: job.id }, 'could not renew a job lease'));
    }, Math.max(10, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    const promise = (async () => {
      try {
        await this.opts.handlers[job.kind]!(job, { signal: abort.signal });
        // Done at once: the shorter the gap after the side effect, the rarer a repeat after a crash.
        if (!(await completeJob(db, job, owner))) log?.warn?.({ jobId: job.id }, 'a job finished after its lease was lost');
      } catch (error) {
        if (abort.signal.aborted && abort.signal.reason === STOPPING) {
          await releaseJob(db, job, owner);
          return;
        }
        const outcome = await failJob(db, job, owner, error, backoff);
        if (outcome === 'failed') log?.error({ err: error, jobId: job.id, kind: job.kind }, 'job failed for good');
      }
    })()
      .catch((error) => log?.error({ err: error, jobId: job.id }, 'could not record the outcome of a job'))
      .finally(() => {
        clearInterval(heartbeat);
        this.running.delete(job.id);
        this.wake();
      });
    this.running.set(job.id, { promise, abort });
  }

  /** Sleeps until the next scheduled job or lease expiry, at most pollMs. */
  private async schedule(): Promise<void> {
    if (this.stopped) return;
    const turn = ++this.schedules;
    let delay = this.opts.pollMs;
    const seen = this.dueSeen;
    this.dueSeen = null;
    try {
      const due = seen ? seen.at : await this.nextDueAt(this.opts.db);
      if (due !== null) delay = Math.min(delay, Math.max(0, due - Date.now()) + 5);
    } catch (error) {
      this.opts.log?.error({ err: error }, 'job runner failed to read the next due time');
    }
    // A later look has set the sleep from fresher facts: this read may predate them (it saw a job
    // still leased, which has since failed and is due for its retry in a moment, not at lease expiry).
    if (this.stopped || turn !== this.schedules) return;
    this.pump.requestAfter(delay, () => (this.sweepDue = true));
  }

  /** Jobs this runner is running now (for tests and health). */
  get active(): number {
    return this.running.size;
  }

  /**
   * Stops claiming and lets running handlers finish for up to stopTimeoutMs, then aborts their
   * signals. A handler that ignores its signal keeps its lease until it expires; the job then runs
   * again elsewhere (at least once, see the top of this file).
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.pump.stop();
    const running = [...this.running.values()];
    let timeout: NodeJS.Timeout | undefined;
    const waited = Promise.allSettled(running.map((r) => r.promise));
    const patience = new Promise<void>((resolve) => {
      timeout = setTimeout(() => {
        for (const r of running) r.abort.abort(STOPPING);
        resolve();
      }, this.opts.stopTimeoutMs);
    });
    await Promise.race([waited, patience]);
    await Promise.race([waited, new Promise((r) => setTimeout(r, 1000))]);
    clearTimeout(timeout);
  }
}
