import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './connection.ts';
import { migrateToLatest } from './migrate.ts';
import { prepared, preparedInsert, preparedVariants } from './prepared.ts';

describe('prepared queries', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: '', databaseUrl: null, sqliteFile: ':memory:' });
    await migrateToLatest(db);
    const now = new Date().toISOString();
    for (const [key, value] of [['a', '1'], ['b', '2'], ['c', '3']]) await db.kysely.insertInto('settings').values({ key, value, updated_at: now }).execute();
  });
  afterAll(async () => db.close());

  const byKey = prepared((k, a: { key: string }) => k.selectFrom('settings').select(['key', 'value']).where('key', '=', a.key));
  const after = prepared((k, a: { from: string; limit: number }) => k.selectFrom('settings').select('key').where('key', '>', a.from).orderBy('key').limit(a.limit));

  it("runs the same SQL with each call's values, in the order the query uses them", async () => {
    expect(await byKey.first(db.kysely, { key: 'b' })).toEqual({ key: 'b', value: '2' });
    expect(await byKey.first(db.kysely, { key: 'c' })).toEqual({ key: 'c', value: '3' });
    expect(await byKey.first(db.kysely, { key: 'zz' })).toBeUndefined();
    expect(await after.all(db.kysely, { from: 'a', limit: 1 })).toEqual([{ key: 'b' }]);
    expect(await after.all(db.kysely, { from: '', limit: 5 })).toEqual([{ key: 'a' }, { key: 'b' }, { key: 'c' }]);
  });

  it('counts the rows a write changed, and runs inside a transaction when given one', async () => {
    const set = prepared((k, a: { key: string; value: string }) => k.updateTable('settings').set({ value: a.value }).where('key', '=', a.key));
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        expect((await set.run(trx, { key: 'a', value: '10' })).changed).toBe(1);
        expect(await byKey.first(trx, { key: 'a' })).toEqual({ key: 'a', value: '10' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await byKey.first(db.kysely, { key: 'a' })).toEqual({ key: 'a', value: '1' });
    expect((await set.run(db.kysely, { key: 'nothing', value: 'x' })).changed).toBe(0);
  });

  it('refuses a call that lacks an argument instead of binding undefined', async () => {
    await expect(byKey.first(db.kysely, {} as { key: string })).rejects.toThrow(/missing argument "key"/);
  });

  it('keeps one prepared query per variant, each with its own shape', async () => {
    let built = 0;
    const ordered = preparedVariants((k, a: { limit: number }, order: 'asc' | 'desc') => {
      built++;
      return k.selectFrom('settings').select('key').orderBy('key', order).limit(a.limit);
    });
    expect(await ordered('asc').all(db.kysely, { limit: 2 })).toEqual([{ key: 'a' }, { key: 'b' }]);
    expect(await ordered('desc').all(db.kysely, { limit: 2 })).toEqual([{ key: 'c' }, { key: 'b' }]);
    expect(await ordered('asc').all(db.kysely, { limit: 1 })).toEqual([{ key: 'a' }]);
    expect(ordered('asc')).toBe(ordered('asc'));
    expect(built).toBe(2);
  });

  it("answers an insert's new id, on SQLite without a RETURNING clause", async () => {
    let compiled = '';
    const addSite = preparedInsert((k, a: { key: string; at: string }) => {
      const insert = k.insertInto('sites').values({ key: a.key, name: a.key, origins: '[]', sso: '{}', theme: '{}', created_at: a.at, updated_at: a.at });
      compiled = insert.compile().sql;
      return insert;
    });
    const at = new Date().toISOString();
    const first = await addSite.id(db.kysely, { key: 'one', at });
    const second = await addSite.id(db.kysely, { key: 'two', at });
    expect(compiled).not.toMatch(/returning/i);
    expect(second).toBe(first + 1);
    const rows = await db.kysely.selectFrom('sites').select(['id', 'key']).where('key', 'in', ['one', 'two']).orderBy('id').execute();
    expect(rows.map((r) => [Number(r.id), r.key])).toEqual([[first, 'one'], [second, 'two']]);
  });
});
