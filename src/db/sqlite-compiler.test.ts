import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Db } from './connection.ts';
import { migrateToLatest } from './migrate.ts';
import { prepared, preparedVariants } from './prepared.ts';

describe('SQLite limits', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: '', databaseUrl: null, sqliteFile: ':memory:' });
    await migrateToLatest(db);
    const now = new Date().toISOString();
    for (const key of ['a', 'b', 'c', 'd']) await db.kysely.insertInto('settings').values({ key, value: '1', updated_at: now }).execute();
  });
  afterAll(async () => db.close());

  it('writes a whole-number limit and offset into the SQL, where SQLite does not plan them again at every run', async () => {
    const query = db.kysely.selectFrom('settings').select('key').orderBy('key').limit(2).offset(1);
    expect(query.compile().sql).toMatch(/ limit 2 offset 1$/);
    expect(query.compile().parameters).toEqual([]);
    expect(await query.execute()).toEqual([{ key: 'b' }, { key: 'c' }]);
  });

  it('binds any other limit, as Kysely does', () => {
    expect(db.kysely.selectFrom('settings').select('key').limit(2.5).compile().sql).toMatch(/ limit \?$/);
    expect(db.kysely.selectFrom('settings').select('key').limit(-1).compile().sql).toMatch(/ limit \?$/);
    expect(db.kysely.selectFrom('settings').select('key').limit(sql<number>`1 + 1`).compile().sql).toMatch(/ limit 1 \+ 1$/);
  });

  it("keeps a prepared query's limit argument bound, and a variant's limit written in", async () => {
    const asArgument = prepared((k, a: { limit: number }) => k.selectFrom('settings').select('key').orderBy('key').limit(a.limit));
    expect(await asArgument.all(db.kysely, { limit: 1 })).toEqual([{ key: 'a' }]);
    expect(await asArgument.all(db.kysely, { limit: 3 })).toHaveLength(3);
    const asVariant = preparedVariants((k, _a: Record<string, never>, limit: number) => k.selectFrom('settings').select('key').orderBy('key').limit(limit));
    expect(await asVariant(1).all(db.kysely, {})).toEqual([{ key: 'a' }]);
    expect(await asVariant(3).all(db.kysely, {})).toHaveLength(3);
  });
});
