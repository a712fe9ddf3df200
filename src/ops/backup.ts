import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describePostgres } from './startup.ts';
import { sqliteLockHolder } from './sqlite-lock.ts';
import { createTranslator, type MessageKey, type MessageValues, type Translator } from '../i18n/index.ts';
import { KeyedError } from '../i18n/keyed-error.ts';

// Backups of the SQLite database with SQLite's online backup API (through better-sqlite3): a
// consistent copy taken while the server runs and writes. Copying parley.db with cp is wrong: the
// latest acknowledged writes live in parley.db-wal until a checkpoint, and a copy taken during a write
// can be torn. PostgreSQL has its own tools (pg_dump, pg_restore), which we explain rather than wrap.

/** A refusal of backup or restore that the person can act on (exit code 2): English in `message`, the shell's language from `messageIn`. */
export class BackupRefused extends KeyedError {
  override readonly name = 'BackupRefused';
  constructor(key: MessageKey, values: MessageValues = {}) {
    super({ key, values });
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
}

/** Tables whose rows make a database "not empty" for restore. */
const CONTENT_TABLES = ['articles', 'users', 'comments', 'events'];

export async function backupSqlite(databaseFile: string, target: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  if (!fs.existsSync(databaseFile)) throw new BackupRefused('cli.backup.noDatabase', { file: databaseFile });
  const destination = path.resolve(target);
  if (fs.existsSync(destination) && !options.force) throw new BackupRefused('cli.backup.exists', { file: destination });
  if (!fs.existsSync(path.dirname(destination))) throw new BackupRefused('cli.backup.noFolder', { folder: path.dirname(destination) });
  // Written beside the target and renamed at the end, so an interrupted backup never looks complete.
  const partial = `${destination}.partial-${process.pid}`;
  const source = new SqliteDatabase(databaseFile, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // All pages in one step, under one read transaction: a consistent snapshot even while the server
    // writes (in smaller steps, every write by another connection would restart the copy).
    const progress = await source.backup(partial, { progress: () => 0x7fffffff });
    const copy = new SqliteDatabase(partial, { fileMustExist: true });
    try {
      // The copy is a rollback-journal database in one file, whatever mode the source is in.
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy fails quick_check: ${String(check)}`);
    } finally {
      copy.close();
    }
    fs.renameSync(partial, destination);
    return { file: destination, bytes: fs.statSync(destination).size, pages: progress.totalPages };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
}

function rowCount(db: SqliteDatabase.Database, table: string): number {
  const exists = db.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(table);
  return exists ? Number((db.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n) : 0;
}

export interface RestoreResult {
  file: string;
  replaced: boolean;
  counts: Record<string, number>;
}

/**
 * Replaces the database with a backup. Refuses while a server uses the file, when the backup is not
 * a sound Parley database, and when the database holds anything unless `force`.
 */
export async function restoreSqlite(databaseFile: string, backupFile: string, options: { force?: boolean } = {}): Promise<RestoreResult> {
  const source = path.resolve(backupFile);
  if (!fs.existsSync(source)) throw new BackupRefused('cli.backup.noBackup', { file: source });
  const holder = sqliteLockHolder(databaseFile);
  if (holder) throw new BackupRefused('cli.backup.inUse', { pid: String(holder.pid), file: databaseFile });

  let counts: Record<string, number>;
  let backup: SqliteDatabase.Database;
  try {
    backup = new SqliteDatabase(source, { fileMustExist: true, readonly: true });
    const check = backup.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupRefused('cli.backup.damaged', { file: source, check: String(check) });
  } catch (error) {
    if (error instanceof BackupRefused) throw error;
    throw new BackupRefused('cli.backup.notSqlite', { file: source, problem: (error as Error).message });
  }
  try {
    if (!backup.prepare(`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`).get()) {
      throw new BackupRefused('cli.backup.notParley', { file: source });
    }
    counts = Object.fromEntries(CONTENT_TABLES.map((t) => [t, rowCount(backup, t)]));
  } finally {
    backup.close();
  }

  let replaced = false;
  if (fs.existsSync(databaseFile)) {
    const current = new SqliteDatabase(databaseFile, { fileMustExist: true });
    try {
      const held = CONTENT_TABLES.map((t) => [t, rowCount(current, t)] as const).filter(([, n]) => n > 0);
      if (held.length > 0 && !options.force) {
        throw new BackupRefused('cli.backup.notEmpty', { file: databaseFile, held: held.map(([table, n]) => `${n} ${table}`).join(', ') });
      }
      replaced = true;
    } finally {
      current.close();
    }
  }

  // Copied with the backup API into a new file beside the database, then renamed over it; the old
  // write-ahead log and shared memory belong to the replaced file and go with it.
  const partial = `${databaseFile}.restoring-${process.pid}`;
  fs.rmSync(partial, { force: true });
  const reader = new SqliteDatabase(source, { fileMustExist: true, readonly: true });
  try {
    await reader.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    reader.close();
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${databaseFile}${suffix}`, { force: true });
  fs.renameSync(partial, databaseFile);
  return { file: databaseFile, replaced, counts };
}

/** What to run instead on PostgreSQL, with the connection details of DATABASE_URL (never its password). */
export function postgresBackupAdvice(databaseUrl: string, action: 'backup' | 'restore', file: string, i18n: Translator = createTranslator('en')): string {
  const { where, user, database } = describePostgres(databaseUrl);
  const [host, port] = where.split(':');
  // The commands themselves are the same in every language; only the sentences around them change.
  if (action === 'backup') {
    return [
      `parley: ${i18n.t('cli.backup.pgDump')}`,
      `  pg_dump --format=custom --host=${host} --port=${port} --username=${user} --file=${file} ${database}`,
      i18n.t('cli.backup.pgDumpAfter', { file }),
    ].join('\n');
  }
  return [
    `parley: ${i18n.t('cli.backup.pgRestore')}`,
    `  createdb --host=${host} --port=${port} --username=${user} ${database}_restored`,
    `  pg_restore --host=${host} --port=${port} --username=${user} --dbname=${database}_restored --no-owner ${file}`,
    i18n.t('cli.backup.pgRestoreAfter', { database: `${database}_restored` }),
  ].join('\n');
}
