import { randomBytes } from 'node:crypto';
import { sleep, waitFor } from '../helpers/wait.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { runCommand } from '../../src/events/command.ts';
import { EventBus } from '../../src/events/bus.ts';
import { enqueueJob } from '../../src/events/jobs.ts';
import type { StoredEvent } from '../../src/events/outbox.ts';
import { DurableSubscriber, type SubscriberOptions } from '../../src/events/subscriber.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';



describe.each(dialects)('durable subscribers on %s', (dialect) => {
  let app: TestApp;
  const started: DurableSubscriber[] = [];
  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(async () => {
    for (const s of started) await s.stop();
    await app?.close();
  });

  const tag = () => randomBytes(4).toString('hex');
  const emit = (type: string, payload: Record<string, unknown>) => runCommand(app.ctx, async (tx) => tx.emit({ type, stream: 'test:sub', payload }));
  async function subscriber(options: SubscriberOptions, ctx: { db: Db; bus: EventBus } = app.ctx) {
    const s = new DurableSubscriber(ctx, { pollMs: 60_000, retryMs: 50, ...options });
    started.push(s);
    await s.start();
    return s;
  }

  it('handles its types in order, from where it starts, and resumes after a restart without repeats', async () => {
    const t = tag();
    const type = `sub.${t}`;
    await emit(type, { n: 0 }); // before the subscriber's first start: 'now' skips it
    const seen: unknown[] = [];
    const handle = async (event: StoredEvent) => void seen.push(event.payload.n);
    const first = await subscriber({ name: `s-${t}`, types: [type], handle });
    await emit(type, { n: 1 });
    await emit(`other.${t}`, { n: 99 });
    await emit(type, { n: 2 });
    await waitFor(() => seen.length === 2, 'two events');
    await first.stop();
    await emit(type, { n: 3 });
    await emit(type, { n: 4 });
    await sleep(100);
    expect(seen).toEqual([1, 2]);
    const again = await subscriber({ name: `s-${t}`, types: [type], handle });
    await waitFor(() => seen.length === 4, 'the events missed while stopped');
    expect(seen).toEqual([1, 2, 3, 4]);
    // Events of other types do not cost a write each: the position stays until the next event of its
    // own, whose transaction moves it past them to the head. (The handler runs before its commit, so
    // first wait for the position of the events just handled.)
    await waitFor(async () => (await again.position()) === (await lastId()), 'the position after the fourth event');
    const before = await again.position();
    await emit(`other.${t}`, { n: 100 });
    await sleep(100);
    expect(await again.position()).toBe(before);
    await emit(`other.${t}`, { n: 101 });
    await emit(type, { n: 5 });
    await waitFor(() => seen.length === 5, 'the next event of its type');
    await waitFor(async () => (await again.position()) === (await lastId()), 'the position to reach the head');
  });

  const lastId = async () => Number((await app.ctx.db.kysely.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id);

  it("starts from the first event when asked, in batches, and commits the handler's writes with the position", async () => {
    const t = tag();
    const type = `batch.${t}`;
    for (let i = 0; i < 7; i++) await emit(type, { n: i });
    const s = await subscriber({
      name: `b-${t}`,
      types: [type],
      startFrom: 'beginning',
      batchSize: 3,
      handle: async (event, tx) => void (await enqueueJob(tx.db, { kind: `k.${t}`, dedupeKey: `b-${t}:${event.id}`, payload: event.payload })),
    });
    await waitFor(async () => (await app.ctx.db.kysely.selectFrom('jobs').select('id').where('kind', '=', `k.${t}`).execute()).length === 7, 'seven writes');
    const rows = await app.ctx.db.kysely.selectFrom('jobs').select('payload').where('kind', '=', `k.${t}`).orderBy('id').execute();
    expect(rows.map((r) => JSON.parse(r.payload).n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(await s.position()).toBeGreaterThan(0);
  });

  it('stops at a failing event, keeps the error, rolls back its writes, and goes on from that event once it succeeds', async () => {
    const t = tag();
    const type = `fail.${t}`;
    let broken = true;
    // What committed, in order: the handler's writes (a handler may run again after a rollback, so
    // anything it does outside the transaction is at least once; its writes are exactly once).
    const committed = async () =>
      (await app.ctx.db.kysely.selectFrom('jobs').select('payload').where('kind', '=', `k.${t}`).orderBy('id').execute()).map((r) => Number(JSON.parse(r.payload).n));
    const s = await subscriber({
      name: `f-${t}`,
      types: [type],
      handle: async (event, tx) => {
        await enqueueJob(tx.db, { kind: `k.${t}`, dedupeKey: `f-${t}:${event.id}`, payload: { n: event.payload.n } });
        if (event.payload.n === 2 && broken) throw new Error('the handler tripped');
      },
    });
    await emit(type, { n: 1 });
    await emit(type, { n: 2 });
    await emit(type, { n: 3 });
    await waitFor(async () => {
      const row = await app.ctx.db.kysely.selectFrom('subscriber_positions').selectAll().where('name', '=', `f-${t}`).executeTakeFirstOrThrow();
      return row.error_count >= 2;
    }, 'retries of the failing event');
    expect(await committed()).toEqual([1]);
    const row = await app.ctx.db.kysely.selectFrom('subscriber_positions').selectAll().where('name', '=', `f-${t}`).executeTakeFirstOrThrow();
    expect(row.last_error).toBe('Error: the handler tripped');
    broken = false;
    await waitFor(async () => (await committed()).length === 3, 'the subscriber to go on after the fix', 8000);
    expect(await committed()).toEqual([1, 2, 3]);
    const after = await app.ctx.db.kysely.selectFrom('subscriber_positions').selectAll().where('name', '=', `f-${t}`).executeTakeFirstOrThrow();
    expect(after.last_error).toBeNull();
    expect(after.error_count).toBe(0);
    await s.stop();
  });

  it('handles waiting events in one transaction, and when one of them fails commits those before it and stops there', async () => {
    const t = tag();
    const type = `bulk.${t}`;
    const handled: number[] = [];
    let broken = true;
    const options: SubscriberOptions = {
      name: `bulk-${t}`,
      types: [type],
      handle: async (event, tx) => {
        await enqueueJob(tx.db, { kind: `k.${t}`, dedupeKey: `bulk-${t}:${event.id}`, payload: {} });
        if (event.payload.n === 3 && broken) throw new Error('the third one trips');
        handled.push(Number(event.payload.n));
      },
    };
    const s = await subscriber(options);
    await s.stop();
    for (let n = 1; n <= 5; n++) await emit(type, { n });
    await s.start();
    await waitFor(async () => (await app.ctx.db.kysely.selectFrom('subscriber_positions').select('error_count').where('name', '=', `bulk-${t}`).executeTakeFirstOrThrow()).error_count >= 1, 'the failure to be recorded');
    // The batch of five ran and rolled back whole; then 1 and 2 committed one by one, and 3 failed.
    expect(handled.slice(0, 4)).toEqual([1, 2, 1, 2]);
    expect((await app.ctx.db.kysely.selectFrom('jobs').select('id').where('kind', '=', `k.${t}`).execute()).length).toBe(2);
    broken = false;
    // The handler runs before its transaction commits: wait for what committed.
    await waitFor(async () => (await app.ctx.db.kysely.selectFrom('jobs').select('id').where('kind', '=', `k.${t}`).execute()).length === 5, 'the rest after the fix', 8000);
    expect(handled.slice(-3)).toEqual([3, 4, 5]);
  });

  it('moves over events of other types with a write of its own only once they pile up', async () => {
    const t = tag();
    const s = await subscriber({ name: `skip-${t}`, types: [`never.${t}`], skipAfter: 3, handle: async () => undefined });
    const start = await s.position();
    await emit(`other.${t}`, { n: 1 });
    await emit(`other.${t}`, { n: 2 });
    await sleep(100);
    expect(await s.position()).toBe(start);
    await emit(`other.${t}`, { n: 3 });
    await waitFor(async () => (await s.position()) === (await lastId()), 'the move over three foreign events');
  });

  it('finds by its poll what another process committed, even after taking this process\'s own commits from the bus', async () => {
    const t = tag();
    const type = `poll.${t}`;
    const seen: unknown[] = [];
    await subscriber({ name: `p-${t}`, types: [type], pollMs: 100, handle: async (event) => void seen.push(event.payload.n) });
    await emit(type, { n: 1 });
    await waitFor(() => seen.length === 1, 'the event of this process');
    // Another process's commit wakes nobody here (SQLite), or NOTIFYs a bus of its own.
    await runCommand({ db: app.ctx.db, bus: new EventBus() }, async (tx) => tx.emit({ type, stream: 'test:sub', payload: { n: 2 } }));
    await waitFor(() => seen.length === 2, 'the poll to find the other process\'s event', 5000);
    expect(seen).toEqual([1, 2]);
  });

  // On PostgreSQL the twin has its own pool, as another process would. On SQLite it shares the
  // connection: better-sqlite3 waits for a lock synchronously, so two connections in one process
  // would block each other's event loop; two processes would not, and take the same path here.
  it('handles each event once when two instances run the same subscriber', async () => {
    const t = tag();
    const type = `twin.${t}`;
    const other = dialect === 'postgres' ? await openDatabase({ dataDir: app.config.dataDir, databaseUrl: app.config.databaseUrl, pgSchema: app.ctx.db.pgSchema ?? undefined }) : null;
    const otherBus = new EventBus();
    try {
      // Each run writes a row with a fresh key, so a double handling would show as two rows.
      const handle: SubscriberOptions['handle'] = async (event, tx) => {
        await sleep(Math.random() * 5);
        await enqueueJob(tx.db, { kind: `k.${t}`, dedupeKey: `${event.id}:${tag()}`, payload: { n: event.payload.n } });
      };
      await subscriber({ name: `t-${t}`, types: [type], handle });
      await subscriber({ name: `t-${t}`, types: [type], handle }, { db: other ?? app.ctx.db, bus: otherBus });
      for (let i = 0; i < 30; i++) {
        await emit(type, { n: i });
        otherBus.wake();
      }
      await waitFor(async () => (await app.ctx.db.kysely.selectFrom('jobs').select('id').where('kind', '=', `k.${t}`).execute()).length >= 30, 'thirty writes', 10_000);
      await sleep(200);
      const rows = await app.ctx.db.kysely.selectFrom('jobs').select('payload').where('kind', '=', `k.${t}`).orderBy('id').execute();
      expect(rows.map((r) => JSON.parse(r.payload).n)).toEqual([...Array(30).keys()]);
    } finally {
      for (const s of started.splice(-2)) await s.stop();
      await other?.close();
    }
  });
});
