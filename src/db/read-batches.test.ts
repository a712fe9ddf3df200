import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withStatementCache } from './connection.ts';
import { MAX_SHARED_MS } from './read-batches.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('reads outside a transaction share one read transaction per turn of the loop', () => {
  let dir: string;
  let sqlite: SqliteDatabase.Database;
  let other: SqliteDatabase.Database;
  let cache: ReturnType<typeof withStatementCache>;
  const count = () => (cache.prepare('select count(*) as n from notes').all() as { n: number }[])[0]!.n;
  const countElsewhere = () => (other.prepare('select count(*) as n from notes').get() as { n: number }).n;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-read-batches-'));
    sqlite = new SqliteDatabase(path.join(dir, 'db.sqlite'));
    sqlite.pragma('journal_mode = WAL');
    sqlite.exec('create table notes (id integer primary key, body text not null)');
    cache = withStatementCache(sqlite);
    // Another process's connection (the CLI beside the server).
    other = new SqliteDatabase(path.join(dir, 'db.sqlite'));
  });

  afterEach(() => {
    cache.close();
    other.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads of one turn see one snapshot; the next turn sees what another connection wrote meanwhile', async () => {
    expect(count()).toBe(0);
    other.prepare('insert into notes (body) values (?)').run('from the CLI');
    // Same turn: the second read is in the first one's transaction (each read on its own would see the row).
    expect(count()).toBe(0);
    expect(cache.inTransaction).toBe(false);
    await nextTurn();
    expect(count()).toBe(1);
  });

  it('a turn that goes on (promises only, never the loop) renews its snapshot after MAX_SHARED_MS', async () => {
    expect(count()).toBe(0);
    other.prepare('insert into notes (body) values (?)').run('from the CLI');
    await Promise.resolve();
    expect(count()).toBe(0);
    const until = performance.now() + MAX_SHARED_MS + 1;
    while (performance.now() < until);
    await Promise.resolve();
    expect(count()).toBe(1);
  });

  it('a write ends the shared read transaction before it runs, so it is committed when run() returns', () => {
    expect(count()).toBe(0);
    cache.prepare('insert into notes (body) values (?)').run('a comment');
    expect(countElsewhere()).toBe(1);
    expect(count()).toBe(1);
    // A write with RETURNING is answered by all(), like a read, and does not join either.
    cache.prepare('insert into notes (body) values (?) returning id').all('another');
    expect(countElsewhere()).toBe(2);
  });

  it('a transaction begins after reads of the same turn, and reads inside it are its own', () => {
    expect(count()).toBe(0);
    cache.prepare('begin').run();
    expect(cache.inTransaction).toBe(true);
    cache.prepare('insert into notes (body) values (?)').run('in a transaction');
    expect(count()).toBe(1);
    expect(countElsewhere()).toBe(0);
    cache.prepare('commit').run();
    expect(cache.inTransaction).toBe(false);
    expect(countElsewhere()).toBe(1);
  });

  it('a streamed read that outlives the turn leaves the connection free for the next transaction', async () => {
    sqlite.exec("insert into notes (body) values ('one'), ('two'), ('three')");
    expect(count()).toBe(3);
    const rows = cache.prepare('select body from notes order by id').iterate() as IterableIterator<{ body: string }>;
    expect(rows.next().value).toEqual({ body: 'one' });
    await nextTurn();
    expect([...rows].map((r) => r.body)).toEqual(['two', 'three']);
    cache.prepare('begin').run();
    cache.prepare('insert into notes (body) values (?)').run('four');
    cache.prepare('commit').run();
    expect(countElsewhere()).toBe(4);
  });

  it('ends its transaction at the end of the turn, so another connection can checkpoint the whole log', async () => {
    expect(count()).toBe(0);
    other.prepare('insert into notes (body) values (?)').run('x');
    await nextTurn();
    // A read transaction left open would pin the log: a TRUNCATE checkpoint could not finish ("busy").
    const [result] = other.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    expect(result!.busy).toBe(0);
  });
});
