import fs from 'node:fs';
import os from 'node:os';
import SqliteDatabase from 'better-sqlite3';
import { StartupRefusal } from './startup.ts';

// One server per SQLite file. Two would each run their own in-memory bus and page cache: readers on
// one never see the other's comments live, and its cached pages stay stale for their whole TTL.
// (One-off commands such as `parley import` may still write beside a running server: SQLite's own
// locking serialises them, and the server's subscribers poll.) Several nodes need PostgreSQL.
//
// The lock is SQLite's own: the server keeps an exclusive lock on a small side database
// (`parley.db.lock`) for as long as it runs. The operating system drops it when the process ends,
// however it ends (kill -9, a crash, a container stopped), so a stale lock cannot exist and a reused
// pid cannot fool it. Who holds it is written beside it (`parley.db.lock.json`), for the message.

export interface SqliteLock {
  readonly file: string;
  release(): void;
}

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

function readHolder(file: string): LockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/** The exclusive lock, or null when another connection (process) holds it. */
function tryLock(file: string): SqliteDatabase.Database | null {
  const db = new SqliteDatabase(file);
  try {
    db.pragma('busy_timeout = 0');
    // Kept after the first write until the connection closes.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('begin exclusive; create table if not exists held (at text); delete from held; insert into held values (datetime()); commit;');
    return db;
  } catch (error) {
    db.close();
    if (String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY') || String((error as { code?: unknown }).code).startsWith('SQLITE_LOCKED')) return null;
    throw error;
  }
}

/** The lock of a server on `databaseFile`, or a refusal naming the process that holds it. */
export function lockSqliteFile(databaseFile: string): SqliteLock {
  const file = `${databaseFile}.lock`;
  let db: SqliteDatabase.Database | null;
  try {
    db = tryLock(file);
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) throw new StartupRefusal({ key: 'cli.startup.lockDiskFull', values: { file, code } });
    if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) throw new StartupRefusal({ key: 'cli.startup.lockReadOnly', values: { file, code } });
    throw error;
  }
  if (!db) {
    const holder = readHolder(file);
    throw new StartupRefusal({
      key: 'cli.startup.alreadyServed',
      values: { file: databaseFile, holder: holder ? 'known' : 'unknown', pid: String(holder?.pid ?? ''), host: holder?.host ?? '', since: holder?.startedAt ?? '' },
    });
  }
  const me: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  fs.writeFileSync(`${file}.json`, JSON.stringify(me));
  let released = false;
  const held = db;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      if (readHolder(file)?.pid === me.pid) fs.rmSync(`${file}.json`, { force: true });
      held.close();
    },
  };
}

/** Who serves this file now, if anyone (restore refuses while a server runs). */
export function sqliteLockHolder(databaseFile: string): LockHolder | null {
  const file = `${databaseFile}.lock`;
  if (!fs.existsSync(file)) return null;
  const db = tryLock(file);
  if (db) {
    db.close();
    return null;
  }
  return readHolder(file) ?? { pid: 0, host: 'unknown', startedAt: 'unknown' };
}
