import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { StorageUnavailable } from '../ops/database-guard.ts';
import { EventBus } from './bus.ts';
import { GroupCommitter } from './group-commit.ts';
import { readEventsAfter } from './outbox.ts';

describe('GroupCommitter', () => {
  let db: Db;
  let bus: EventBus;
  beforeEach(async () => {
    db = await openDatabase({ dataDir: '', databaseUrl: null, sqliteFile: ':memory:' });
    await migrateToLatest(db);
    bus = new EventBus();
  });
  afterEach(async () => db.close());

  const write = (committer: GroupCommitter, key: string, fail = false) =>
    committer.run(async (tx) => {
      await tx.db.insertInto('settings').values({ key, value: '1', updated_at: 'now' }).execute();
      tx.emit({ type: 'test.written', stream: 's', payload: { key } });
      if (fail) throw new Error(`refused ${key}`);
      return key;
    });

  it('commits concurrent commands together; one that fails rolls back alone with its own error', async () => {
    // The clock stands still: on a busy machine the first command alone may outlast the time budget.
    const committer = new GroupCommitter({ db, bus }, { now: () => 0 });
    let wakes = 0;
    bus.subscribe(() => wakes++);
    const results = await Promise.allSettled([write(committer, 'a'), write(committer, 'b', true), write(committer, 'c'), write(committer, 'd')]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a', 'refused b', 'c', 'd']);
    const keys = (await db.kysely.selectFrom('settings').select('key').orderBy('key').execute()).map((r) => r.key);
    expect(keys).toEqual(['a', 'c', 'd']);
    const events = await readEventsAfter(db.kysely, 0);
    expect(events.map((e) => e.payload.key)).toEqual(['a', 'c', 'd']);
    // All four arrived before the committer's first turn: one transaction, one fsync, one wake-up.
    expect(wakes).toBe(1);
  });

  it('gathers commands that keep arriving turn after turn into one batch, and stops at the first turn that brings none', async () => {
    // gatherMs far above what three turns take, even on a loaded machine (the next test bounds it).
    const committer = new GroupCommitter({ db, bus }, { now: () => 0, gatherMs: 1000 });
    let wakes = 0;
    bus.subscribe(() => wakes++);
    // Writers whose requests are read on successive turns of the loop, as a previous batch's writers
    // come back: two in this turn, one in the next, one in the turn after. One commit for all; taking
    // only the first turn's commands made three.
    const onNextTurn = (key: string, then?: () => void) =>
      new Promise<string>((resolve, reject) => setImmediate(() => { write(committer, key).then(resolve, reject); then?.(); }));
    let last: Promise<string> | null = null;
    const writes = [write(committer, 'a'), write(committer, 'b'), onNextTurn('c', () => void (last = onNextTurn('e')))];
    const all = await Promise.all(writes);
    expect([...all, await last!]).toEqual(['a', 'b', 'c', 'e']);
    expect(wakes).toBe(1);
    // A writer two quiet turns later is not waited for: it gets a batch of its own.
    const lone = write(committer, 'd');
    await lone;
    expect(wakes).toBe(2);
  });

  it('waits for more commands no longer than gatherMs, however steadily they come', async () => {
    const committer = new GroupCommitter({ db, bus }, { now: () => 0, gatherMs: 5 });
    let wakes = 0;
    bus.subscribe(() => wakes++);
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const writes: Promise<string>[] = [];
    const started = performance.now();
    // A new command on every turn for 60 ms: without the bound, the first batch would wait for all.
    for (let i = 0; performance.now() - started < 60; i++) {
      writes.push(write(committer, `k${i}`));
      await turn();
    }
    await Promise.all(writes);
    expect(writes.length).toBeGreaterThan(20);
    expect(wakes).toBeGreaterThan(3);
  });

  it('reads the CPU clock only after a batch that ran past its budget on the wall, and then budgets by it', async () => {
    const cpuUsage = vi.spyOn(process, 'cpuUsage');
    try {
      // A budget long enough that a quick batch stays within it on a loaded machine.
      const committer = new GroupCommitter({ db, bus }, { budgetMs: 50 });
      // Quick batches: the wall clock alone shows they are within the budget.
      expect(await Promise.all(['a', 'b', 'c'].map((key) => write(committer, key)))).toEqual(['a', 'b', 'c']);
      expect(await write(committer, 'd')).toBe('d');
      expect(cpuUsage).not.toHaveBeenCalled();
      // A command that holds the loop for 100 ms, twice the budget.
      const slow = (key: string) =>
        committer.run(async (tx) => {
          const until = performance.now() + 100;
          while (performance.now() < until);
          await tx.db.insertInto('settings').values({ key, value: '1', updated_at: 'now' }).execute();
          return key;
        });
      // Its batch, begun without the clock, ends at it on the wall: the command queued behind it goes to
      // the next batch, which begins with the clock (one reading) since the one before ran long.
      expect(await Promise.all([slow('e'), write(committer, 'f')])).toEqual(['e', 'f']);
      expect(cpuUsage).toHaveBeenCalledTimes(1);
      // That batch was quick again: the next ones go without.
      expect(await Promise.all([write(committer, 'g'), write(committer, 'h')])).toEqual(['g', 'h']);
      expect(cpuUsage).toHaveBeenCalledTimes(1);
      const keys = (await db.kysely.selectFrom('settings').select('key').orderBy('key').execute()).map((r) => r.key);
      expect(keys).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    } finally {
      cpuUsage.mockRestore();
    }
  });

  it('rolls back a failing first command alone (it runs without a savepoint) and commits those after it', async () => {
    const committer = new GroupCommitter({ db, bus }, { now: () => 0 });
    const results = await Promise.allSettled([write(committer, 'a', true), write(committer, 'b'), write(committer, 'c', true), write(committer, 'd')]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['refused a', 'b', 'refused c', 'd']);
    const keys = (await db.kysely.selectFrom('settings').select('key').orderBy('key').execute()).map((r) => r.key);
    expect(keys).toEqual(['b', 'd']);
    expect((await readEventsAfter(db.kysely, 0)).map((e) => e.payload.key)).toEqual(['b', 'd']);
  });

  it('fails the whole batch with its cause when SQLite rolls the transaction back itself (a full disk), and recovers', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-group-commit-full-'));
    const fileDb = await openDatabase({ dataDir: dir, databaseUrl: null });
    try {
      await migrateToLatest(fileDb);
      const committer = new GroupCommitter({ db: fileDb, bus }, { now: () => 0 });
      const big = (key: string) =>
        committer.run(async (tx) => {
          await tx.db.insertInto('settings').values({ key, value: 'x'.repeat(20_000), updated_at: 'now' }).execute();
          return key;
        });
      const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(fileDb.kysely);
      // The file may not grow by a page: what a full disk looks like to SQLite (SQLITE_FULL).
      await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(fileDb.kysely);
      const results = await Promise.allSettled([big('a'), big('b'), big('c')]);
      for (const result of results) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StorageUnavailable);
      }
      expect(await fileDb.kysely.selectFrom('settings').select('key').where('key', 'in', ['a', 'b', 'c']).execute()).toEqual([]);
      await sql.raw('pragma max_page_count = 1073741823').execute(fileDb.kysely);
      expect(await big('d')).toBe('d');
    } finally {
      await fileDb.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never holds the event loop longer than its time budget, however many writes are queued, and answers each only after its commit', async () => {
    // A file, so that a second connection can tell what is committed when each caller is answered.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-group-commit-'));
    const fileDb = await openDatabase({ dataDir: dir, databaseUrl: null });
    await migrateToLatest(fileDb);
    const observer = new SqliteDatabase(path.join(dir, 'parley.db'), { readonly: true });
    const committed = (key: string) => observer.prepare('select 1 from settings where key = ?').get(key) !== undefined;
    try {
      // Work is measured on a clock that advances with it, not on the wall: each command's statements
      // take 1 ms, answering its caller 0.5 ms (the reply). A ticker that re-arms itself with
      // setImmediate marks each turn of the loop; what runs between two of its ticks held the loop.
      let clock = 0;
      let turn = 0;
      let ticking = true;
      const tick = () => {
        turn++;
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      const heldPerTurn = new Map<number, number>();
      const hold = (ms: number) => {
        clock += ms;
        heldPerTurn.set(turn, (heldPerTurn.get(turn) ?? 0) + ms);
      };
      const committer = new GroupCommitter({ db: fileDb, bus }, { budgetMs: 4, now: () => clock });
      const unanswered: string[] = [];
      const writes = Array.from({ length: 64 }, (_, i) => {
        const key = `k${i}`;
        return committer
          .run(async (tx) => {
            await tx.db.insertInto('settings').values({ key, value: '1', updated_at: 'now' }).execute();
            hold(1);
            return key;
          })
          .then((answered) => {
            if (!committed(answered)) unanswered.push(answered);
            hold(0.5);
            return answered;
          });
      });
      expect(await Promise.all(writes)).toEqual(Array.from({ length: 64 }, (_, i) => `k${i}`));
      ticking = false;
      // Budget 4 ms: a batch takes commands until 4 ms have passed (four of them), then answers its
      // four callers (2 ms) and yields. All 64 in one batch would hold the loop for 96 ms.
      expect(Math.max(...heldPerTurn.values())).toBeLessThanOrEqual(6);
      expect(heldPerTurn.size).toBeGreaterThanOrEqual(16);
      // Durability is unchanged: no caller heard of its write before that write was committed.
      expect(unanswered).toEqual([]);
      expect((observer.prepare("select count(*) as n from settings where key like 'k%'").get() as { n: number }).n).toBe(64);
    } finally {
      observer.close();
      await fileDb.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails the queued commands when no transaction can begin, instead of retrying them forever', async () => {
    const committer = new GroupCommitter({ db, bus });
    await db.close();
    const results = await Promise.allSettled([write(committer, 'a'), write(committer, 'b'), write(committer, 'c')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});
