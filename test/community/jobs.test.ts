import { sleep, waitFor } from '../helpers/wait.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { runCommand } from '../../src/events/command.ts';
import { JobRunner } from '../../src/events/job-runner.ts';
import { backoffDelay, claimJobs, completeJob, enqueueJob, jobMessageId, PermanentJobError, type Job, type JobHandler } from '../../src/events/jobs.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';


const until = <T>(check: () => T | Promise<T>, what: string, timeoutMs = 8000) => waitFor(check, what, timeoutMs);

let counter = 0;
const uniqueKind = (name: string) => `test.${name}.${++counter}.${Math.random().toString(36).slice(2, 8)}`;

describe('back-off', () => {
  it('doubles per failed attempt, is capped, and keeps half of the wait fixed', () => {
    const b = { baseMs: 1000, maxMs: 10_000 };
    expect(backoffDelay(1, b, () => 0)).toBe(500);
    expect(backoffDelay(1, b, () => 1)).toBe(1000);
    expect(backoffDelay(3, b, () => 0)).toBe(2000);
    expect(backoffDelay(3, b, () => 1)).toBe(4000);
    expect(backoffDelay(20, b, () => 1)).toBe(10_000);
    expect(backoffDelay(20, b, () => 0)).toBe(5000);
  });

  it('derives one Message-ID per dedupe key', () => {
    expect(jobMessageId('mail:reply:12:7', 'parley.test')).toBe(jobMessageId('mail:reply:12:7', 'parley.test'));
    expect(jobMessageId('mail:reply:12:7', 'parley.test')).not.toBe(jobMessageId('mail:reply:12:8', 'parley.test'));
    expect(jobMessageId('a b<>@c', 'parley.test')).toMatch(/^<job\.[A-Za-z0-9_-]+@parley\.test>$/);
  });
});

describe.each(dialects)('the jobs table and runner on %s', (dialect) => {
  let app: TestApp;
  let second: Db;
  const runners: JobRunner[] = [];

  beforeAll(async () => {
    app = await startTestApp(dialect);
    // A second connection (pool) to the same database: another process's runner, for the races.
    second = await openDatabase({ dataDir: app.config.dataDir, databaseUrl: app.config.databaseUrl, pgSchema: app.ctx.db.pgSchema ?? undefined });
  });
  afterAll(async () => {
    for (const r of runners) await r.stop();
    await second?.close();
    await app?.close();
  });

  const db = () => app.ctx.db.kysely;
  const jobRow = (id: number) => db().selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  function runner(handlers: Record<string, JobHandler>, options: Partial<ConstructorParameters<typeof JobRunner>[0]> = {}, on: Db = app.ctx.db) {
    const r = new JobRunner({ db: on.kysely, dialect: on.dialect, bus: app.ctx.bus, handlers, pollMs: 60_000, backoff: { baseMs: 100, maxMs: 1000 }, ...options });
    runners.push(r);
    r.start();
    return r;
  }

  it('enqueues in the command transaction, once per dedupe key, and not at all when the command fails', async () => {
    const kind = uniqueKind('dedupe');
    const first = await runCommand(app.ctx, async (tx) => enqueueJob(tx.db, { kind, dedupeKey: `${kind}:1`, payload: { n: 1 } }));
    const again = await runCommand(app.ctx, async (tx) => enqueueJob(tx.db, { kind, dedupeKey: `${kind}:1`, payload: { n: 2 } }));
    expect(first).toBeTypeOf('number');
    expect(again).toBeNull();
    await expect(
      runCommand(app.ctx, async (tx) => {
        await enqueueJob(tx.db, { kind, dedupeKey: `${kind}:2`, payload: {} });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const rows = await db().selectFrom('jobs').select(['dedupe_key', 'payload']).where('kind', '=', kind).execute();
    expect(rows).toEqual([{ dedupe_key: `${kind}:1`, payload: '{"n":1}' }]);
  });

  it('runs a job as soon as the command that enqueued it commits (woken by the bus), and marks it done', async () => {
    const kind = uniqueKind('wake');
    const seen: Job[] = [];
    runner({ [kind]: async (job) => void seen.push(job) });
    await sleep(50);
    const id = await runCommand(app.ctx, async (tx) => {
      tx.emit({ type: 'test.enqueued', stream: 'test:jobs', payload: {} });
      return enqueueJob(tx.db, { kind, dedupeKey: `${kind}:1`, payload: { to: 'a@example.test' } });
    });
    await until(async () => (await jobRow(id!)).done_at, 'the job to be done', 3000);
    expect(seen.map((j) => [j.id, j.payload, j.attempts])).toEqual([[id, { to: 'a@example.test' }, 1]]);
    const row = await jobRow(id!);
    expect(row.lease_owner).toBeNull();
    expect(row.failed_at).toBeNull();
  });

  it('waits for a scheduled job and runs it when it falls due', async () => {
    const kind = uniqueKind('scheduled');
    let ranAt = 0;
    runner({ [kind]: async () => void (ranAt = Date.now()) });
    const start = Date.now();
    const id = await enqueueJob(db(), { kind, dedupeKey: `${kind}:1`, payload: {}, runAt: new Date(start + 400) });
    app.ctx.bus.wake();
    await until(async () => (await jobRow(id!)).done_at, 'the scheduled job', 3000);
    expect(ranAt - start).toBeGreaterThanOrEqual(390);
  });

  it('retries a failing job with growing back-off, then succeeds', async () => {
    const kind = uniqueKind('retry');
    const times: number[] = [];
    runner({
      [kind]: async (job) => {
        times.push(Date.now());
        if (job.attempts < 3) throw new Error(`flaky ${job.attempts}`);
      },
    });
    const id = await enqueueJob(db(), { kind, dedupeKey: `${kind}:1`, payload: {} });
    app.ctx.bus.wake();
    await until(async () => (await jobRow(id!)).done_at, 'the retried job', 5000);
    expect(times).toHaveLength(3);
    // base 100 ms: the first wait is 50–100 ms, the second 100–200 ms.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(45);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(95);
    expect((await jobRow(id!)).attempts).toBe(3);
  });

  it('a slow look at the table that began before a failure does not postpone the retry to the lease expiry', async () => {
    const kind = uniqueKind('stale-look');
    const times: number[] = [];
    const r = new JobRunner({
      db: db(),
      dialect: app.ctx.db.dialect,
      bus: app.ctx.bus,
      pollMs: 60_000,
      backoff: { baseMs: 1000, maxMs: 1000 },
      handlers: {
        [kind]: async (job) => {
          times.push(Date.now());
          if (job.attempts < 2) throw new Error('flaky');
        },
      },
    });
    runners.push(r);
    // The look after the claim (the second) answers late with what it read while the job was still
    // leased: the lease's end, a minute away. On PostgreSQL that read can pass the failure's update.
    const fields = r as unknown as { nextDueAt: (d: unknown) => Promise<number | null> };
    const read = fields.nextDueAt;
    let looks = 0;
    fields.nextDueAt = async (d) => {
      if (++looks !== 2) return read(d);
      await sleep(300);
      return Date.now() + 60_000;
    };
    const id = await enqueueJob(db(), { kind, dedupeKey: `${kind}:1`, payload: {} });
    r.start();
    await until(async () => (await jobRow(id!)).done_at, 'the retried job', 4000);
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeLessThan(3000);
  });

  it('marks a job failed after max attempts, keeps the error, and never runs it again', async () => {
    const kind = uniqueKind('fail');
    let runs = 0;
    const r = runner({
      [kind]: async () => {
        runs++;
        throw new Error('the SMTP server said no');
      },
    });
    const id = await enqueueJob(db(), { kind, dedupeKey: `${kind}:1`, payload: {}, maxAttempts: 3 });
    app.ctx.bus.wake();
    const row = await until(async () => {
      const j = await jobRow(id!);
      return j.failed_at ? j : null;
    }, 'the job to fail', 5000);
    expect(row.attempts).toBe(3);
    expect(row.last_error).toBe('Error: the SMTP server said no');
    expect(row.done_at).toBeNull();
    r.wake();
    await sleep(300);
    expect(runs).toBe(3);
  });

  it('fails at once on a permanent error', async () => {
    const kind = uniqueKind('permanent');
    runner({
      [kind]: async () => {
        throw new PermanentJobError('the recipient deleted their account');
      },
    });
    const id = await enqueueJob(db(), { kind, dedupeKey: `${kind}:1`, payload: {} });
    app.ctx.bus.wake();
    const row = await until(async () => {
      const j = await jobRow(id!);
      return j.failed_at ? j : null;
    }, 'the job to fail', 3000);
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('the recipient deleted their account');
  });

  it('takes back the job of a worker that crashed once its lease expires, and fences the dead worker out', async () => {
    const kind = uniqueKind('crash');
    const id = await enqueueJob(db(), { kind, dedupeKey: `${kind}:1`, payload: {} });
    // A worker claims the job and dies without a word: no heartbeat, no done.
    const [claimed] = await claimJobs(db(), dialect, { owner: 'dead-worker', kinds: [kind], limit: 5, leaseMs: 400 });
    expect(claimed!.id).toBe(id);
    const seen: number[] = [];
    runner({ [kind]: async (job) => void seen.push(job.attempts) });
    await sleep(150);
    expect(seen).toEqual([]);
    await until(async () => (await jobRow(id!)).done_at, 'the recovered job', 3000);
    expect(seen).toEqual([2]);
    // The dead worker coming back cannot mark (or fail) a job it no longer holds.
    expect(await completeJob(db(), claimed!, 'dead-worker')).toBe(false);
  });

  it('marks failed a job whose last allowed run died with its worker', async () => {
    const kind = uniqueKind('abandoned');
    const id = await enqueueJob(db(), { kind, dedupeKey: `${kind}:1`, payload: {}, maxAttempts: 1 });
    await claimJobs(db(), dialect, { owner: 'dead-worker', kinds: [kind], limit: 1, leaseMs: 100 });
    let runs = 0;
    runner({ [kind]: async () => void runs++ });
    const row = await until(async () => {
      const j = await jobRow(id!);
      return j.failed_at ? j : null;
    }, 'the abandoned job to fail', 3000);
    expect(row.last_error).toContain('lease expired');
    expect(runs).toBe(0);
  });

  it('never runs a job twice when two runners on two connections race for 120 jobs', async () => {
    const kind = uniqueKind('race');
    const runs = new Map<number, number>();
    const inFlight = new Set<number>();
    let overlaps = 0;
    const byRunner = { a: 0, b: 0 };
    const handler = (who: 'a' | 'b'): JobHandler => async (job) => {
      if (inFlight.has(job.id)) overlaps++;
      inFlight.add(job.id);
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      byRunner[who]++;
      await sleep(Math.random() * 8);
      inFlight.delete(job.id);
    };
    const ids: number[] = [];
    for (let i = 0; i < 120; i++) ids.push((await enqueueJob(db(), { kind, dedupeKey: `${kind}:${i}`, payload: { i } }))!);
    runner({ [kind]: handler('a') }, { concurrency: 4, pollMs: 20 });
    runner({ [kind]: handler('b') }, { concurrency: 4, pollMs: 20 }, second);
    await until(async () => {
      const open = await db().selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', kind).where('done_at', 'is', null).executeTakeFirstOrThrow();
      return Number(open.n) === 0;
    }, 'all race jobs done', 15_000);
    expect(overlaps).toBe(0);
    expect([...runs.keys()].sort((x, y) => x - y)).toEqual(ids);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(byRunner.a + byRunner.b).toBe(120);
  });

  it('keeps the lease of a job that runs longer than the lease, so a racing runner does not take it', async () => {
    const kind = uniqueKind('long');
    let runs = 0;
    const slow: JobHandler = async () => {
      runs++;
      await sleep(900);
    };
    const id = await enqueueJob(db(), { kind, dedupeKey: `${kind}:1`, payload: {} });
    runner({ [kind]: slow }, { leaseMs: 300, pollMs: 50 });
    await sleep(30);
    runner({ [kind]: slow }, { leaseMs: 300, pollMs: 50 }, second);
    await until(async () => (await jobRow(id!)).done_at, 'the long job', 5000);
    await sleep(200);
    expect(runs).toBe(1);
    expect((await jobRow(id!)).attempts).toBe(1);
  });

  it('gives a job that outlasts the stop back to the queue, its attempt not counted', async () => {
    const kind = uniqueKind('release');
    const r = runner({
      [kind]: (_job, { signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    }, { stopTimeoutMs: 100 });
    const id = await enqueueJob(db(), { kind, dedupeKey: `${kind}:1`, payload: {} });
    app.ctx.bus.wake();
    await until(async () => r.active > 0, 'the job to start', 2000);
    await r.stop();
    const row = await jobRow(id!);
    expect([row.lease_owner, row.locked_until, Number(row.attempts), row.failed_at, row.done_at]).toEqual([null, null, 0, null, null]);
    // The next runner (another node, or this one restarted) takes it at once.
    let ran = 0;
    runner({ [kind]: async () => void ran++ });
    app.ctx.bus.wake();
    await until(async () => (await jobRow(id!)).done_at, 'the job to run again');
    expect(ran).toBe(1);
  });

  it('stops cleanly: waits for the running job, then claims nothing more', async () => {
    const kind = uniqueKind('stop');
    let finished = 0;
    const r = runner({
      [kind]: async () => {
        await sleep(200);
        finished++;
      },
    });
    const first = await enqueueJob(db(), { kind, dedupeKey: `${kind}:1`, payload: {} });
    app.ctx.bus.wake();
    await until(async () => r.active > 0, 'the job to start', 2000);
    await r.stop();
    expect(finished).toBe(1);
    expect((await jobRow(first!)).done_at).not.toBeNull();
    const later = await runCommand(app.ctx, async (tx) => {
      tx.emit({ type: 'test.enqueued', stream: 'test:jobs', payload: {} });
      return enqueueJob(tx.db, { kind, dedupeKey: `${kind}:2`, payload: {} });
    });
    await sleep(300);
    expect((await jobRow(later!)).attempts).toBe(0);
  });
});
