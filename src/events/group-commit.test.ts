import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
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
    const committer = new GroupCommitter({ db, bus });
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
});
