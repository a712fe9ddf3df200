import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './connection.ts';

// Two processes on one SQLite file (the server and a command beside it, an e2e fixture and the e2e
// server): a transaction begun DEFERRED that read before the other process committed could not write
// (SQLITE_BUSY_SNAPSHOT, at once, whatever busy_timeout says). Parley's transactions begin IMMEDIATE.
describe('SQLite transactions', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-immediate-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('hold the write lock from their start, so another process’s commit cannot leave them unable to write', async () => {
    const db = await openDatabase({ dataDir: dir, databaseUrl: null });
    await sql`create table notes (id integer primary key, body text)`.execute(db.kysely);
    // The other process, which does not wait for a lock.
    const other = new SqliteDatabase(path.join(dir, 'parley.db'), { timeout: 0 });
    let otherWrote: string | null = null;
    try {
      await db.kysely.transaction().execute(async (trx) => {
        await sql`select count(*) from notes`.execute(trx);
        try {
          other.prepare("insert into notes (body) values ('from the other process')").run();
          otherWrote = 'yes';
        } catch (error) {
          otherWrote = (error as { code?: string }).code ?? String(error);
        }
        await sql`insert into notes (body) values ('ours')`.execute(trx);
      });
      // The other process waited its turn (here: gave up at once) instead of taking ours.
      expect(otherWrote).toBe('SQLITE_BUSY');
      other.prepare("insert into notes (body) values ('from the other process')").run();
      expect((await sql<{ body: string }>`select body from notes order by id`.execute(db.kysely)).rows.map((r) => r.body)).toEqual(['ours', 'from the other process']);
    } finally {
      other.close();
      await db.close();
    }
  });
});
