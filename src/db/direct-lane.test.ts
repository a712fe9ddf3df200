import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './connection.ts';
import { directLaneOf } from './direct-lane.ts';
import { migrateToLatest } from './migrate.ts';
import { prepared } from './prepared.ts';

describe('the direct lane of SQLite statements', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: '', databaseUrl: null, sqliteFile: ':memory:' });
    await migrateToLatest(db);
    const now = new Date().toISOString();
    for (const [key, value] of [['a', '1'], ['b', '2']]) await db.kysely.insertInto('settings').values({ key, value, updated_at: now }).execute();
  });
  afterAll(async () => db.close());

  const byKey = prepared((k, a: { key: string }) => k.selectFrom('settings').select(['key', 'value']).where('key', '=', a.key));
  const set = prepared((k, a: { key: string; value: string }) => k.updateTable('settings').set({ value: a.value }).where('key', '=', a.key));
  const read = { sql: `select "value" from "settings" where "key" = ?`, parameters: ['a'] };

  it('runs a query at once only where Kysely would run it on the same connection state', async () => {
    const lane = directLaneOf(db.kysely)!;
    expect(lane).toBeDefined();
    expect(lane.execute(db.kysely, read)?.rows).toEqual([{ value: '1' }]);
    const trx = await db.kysely.startTransaction().execute();
    // Outside the open transaction: not by the lane, which would read the transaction's work.
    expect(lane.execute(db.kysely, read)).toBeNull();
    expect(lane.execute(trx, read)?.rows).toEqual([{ value: '1' }]);
    await trx.commit().execute();
    // A transaction that has ended goes through Kysely, which refuses it.
    expect(lane.execute(trx, read)).toBeNull();
    await expect(byKey.first(trx, { key: 'a' })).rejects.toThrow(/committed/);
  });

  it('makes a read outside a transaction wait for the open one instead of reading its uncommitted writes', async () => {
    const trx = await db.kysely.startTransaction().execute();
    await set.run(trx, { key: 'b', value: '20' });
    expect(await byKey.first(trx, { key: 'b' })).toEqual({ key: 'b', value: '20' });
    let answered = false;
    const outside = byKey.first(db.kysely, { key: 'b' }).finally(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    await trx.rollback().execute();
    expect(await outside).toEqual({ key: 'b', value: '2' });
  });

  it("keeps the guard's duties: latency for /metrics, a write in a transaction counted at its commit, errors as the driver gives them", async () => {
    const seen: boolean[] = [];
    let recovered = 0;
    db.guard.observer = { query: (_seconds, ok) => seen.push(ok), recovered: () => recovered++ };
    try {
      // A storage failure was seen; the next successful write says storage is fine again.
      db.guard.failed(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), false);
      expect(db.guard.storageFailing).toBe(true);
      const trx = await db.kysely.startTransaction().execute();
      await set.run(trx, { key: 'a', value: '11' });
      expect(recovered).toBe(0);
      await trx.commit().execute();
      expect(recovered).toBe(1);
      expect(db.guard.storageFailing).toBe(false);
      expect(seen).toEqual([true]);

      const insertKey = prepared((k, a: { key: string }) => k.insertInto('settings').values({ key: a.key, value: 'x', updated_at: 'now' }));
      await expect(insertKey.run(db.kysely, { key: 'a' })).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
      expect(seen).toEqual([true, false]);
    } finally {
      db.guard.observer = {};
    }
  });
});
