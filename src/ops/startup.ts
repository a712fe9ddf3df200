import fs from 'node:fs';
import path from 'node:path';
import { KeyedError } from '../i18n/keyed-error.ts';

// Start-up refusals: an environment Parley cannot run in is named in one line that says what to do,
// and the command exits with code 2 (main.ts), instead of a stack trace or, worse, a silent start.
// The line is in the shell's language (messageIn); `message` stays English for logs.

export class StartupRefusal extends KeyedError {
  override readonly name = 'StartupRefusal';
}

/**
 * DATA_DIR must exist (a missing last folder is made, as for a newcomer's ./data) and be writable
 * by this user.
 */
export function checkDataDir(dataDir: string): void {
  const stat = fs.statSync(dataDir, { throwIfNoEntry: false });
  if (!stat) {
    const parent = path.dirname(dataDir);
    if (!fs.existsSync(parent)) {
      throw new StartupRefusal({ key: 'cli.startup.dataDirMissing', values: { dataDir, parent } });
    }
    try {
      fs.mkdirSync(dataDir);
    } catch (error) {
      throw new StartupRefusal({ key: 'cli.startup.dataDirUncreatable', values: { dataDir, problem: (error as NodeJS.ErrnoException).code ?? (error as Error).message } });
    }
    return;
  }
  if (!stat.isDirectory()) throw new StartupRefusal({ key: 'cli.startup.dataDirNotFolder', values: { dataDir } });
  try {
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch {
    throw new StartupRefusal({ key: 'cli.startup.dataDirReadOnly', values: { dataDir } });
  }
}

function diskNearlyFull(folder: string): boolean {
  try {
    const stats = fs.statfsSync(folder);
    return stats.bavail * stats.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}

/** A SQLite error met while opening or migrating the database file, as a refusal; else null. */
export function sqliteStartupRefusal(error: unknown, file: string): StartupRefusal | null {
  const code = String((error as { code?: unknown })?.code ?? '');
  if (code === 'SQLITE_NOTADB') {
    return new StartupRefusal({ key: 'cli.startup.notSqlite', values: { file } });
  }
  if (code.startsWith('SQLITE_CORRUPT')) return corrupt(file, (error as Error).message);
  // A full disk shows as SQLITE_FULL, or as an I/O error when it is the shared-memory file that cannot grow.
  if (code === 'SQLITE_FULL' || (code.startsWith('SQLITE_IOERR') && diskNearlyFull(path.dirname(file)))) {
    return new StartupRefusal({ key: 'cli.startup.diskFull', values: { file } });
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return new StartupRefusal({ key: 'cli.startup.notWritable', values: { file, code } });
  }
  if (code.startsWith('SQLITE_IOERR')) return new StartupRefusal({ key: 'cli.startup.ioError', values: { file, code } });
  return null;
}

export function corrupt(file: string, problem: string): StartupRefusal {
  return new StartupRefusal({ key: 'cli.startup.corrupt', values: { file, problem: problem.split('\n')[0]!, name: path.basename(file) } });
}

/** Where a postgres:// URL points, for messages: never its password. */
export function describePostgres(url: string): { where: string; user: string; database: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres';
  return { where: `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`, user: decodeURIComponent(parsed.username) || process.env.USER || 'postgres', database };
}

/** A PostgreSQL error met while connecting at start, as a refusal; else null. */
export function postgresStartupRefusal(error: unknown, url: string): StartupRefusal | null {
  const { where, user, database } = describePostgres(url);
  const code = String((error as { code?: unknown })?.code ?? '');
  const message = String((error as Error)?.message ?? error);
  if (['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code) || /timeout exceeded when trying to connect|Connection terminated/i.test(message)) {
    return new StartupRefusal({ key: 'cli.startup.pgUnreachable', values: { where, problem: code || message } });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new StartupRefusal({ key: 'cli.startup.pgHostUnknown', values: { where } });
  if (code === '28P01' || code === '28000' || /SASL|password/i.test(message)) {
    return new StartupRefusal({ key: 'cli.startup.pgLogin', values: { where, user, problem: message } });
  }
  if (code === '3D000') return new StartupRefusal({ key: 'cli.startup.pgNoDatabase', values: { where, host: where.split(':')[0]!, user, database } });
  if (code === '42501') return new StartupRefusal({ key: 'cli.startup.pgNoPrivilege', values: { where, user, database, problem: message } });
  if (code === '57P03') return new StartupRefusal({ key: 'cli.startup.pgStarting', values: { where } });
  if (code === '53300') return new StartupRefusal({ key: 'cli.startup.pgNoSlot', values: { where } });
  return null;
}
