import fs from 'node:fs';
import path from 'node:path';

// Start-up refusals: an environment Parley cannot run in is named in one line that says what to do,
// and the command exits with code 2 (main.ts), instead of a stack trace or, worse, a silent start.

export class StartupRefusal extends Error {
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
      throw new StartupRefusal(`DATA_DIR ${dataDir} does not exist, nor does its parent folder ${parent}: create it (mkdir -p ${dataDir}) or set DATA_DIR to an existing folder`);
    }
    try {
      fs.mkdirSync(dataDir);
    } catch (error) {
      throw new StartupRefusal(`DATA_DIR ${dataDir} cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): create it yourself or set DATA_DIR to a writable folder`);
    }
    return;
  }
  if (!stat.isDirectory()) throw new StartupRefusal(`DATA_DIR ${dataDir} is not a folder: set DATA_DIR to a folder`);
  try {
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch {
    throw new StartupRefusal(`DATA_DIR ${dataDir} is read-only for this user: give the user write access or set DATA_DIR to a writable folder`);
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
    return new StartupRefusal(`${file} is not a SQLite database: move it away (Parley then makes a new one) or restore a backup with npx parley restore FILE`);
  }
  if (code.startsWith('SQLITE_CORRUPT')) return corrupt(file, (error as Error).message);
  // A full disk shows as SQLITE_FULL, or as an I/O error when it is the shared-memory file that cannot grow.
  if (code === 'SQLITE_FULL' || (code.startsWith('SQLITE_IOERR') && diskNearlyFull(path.dirname(file)))) {
    return new StartupRefusal(`the disk holding ${file} is full: free some space and start again`);
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return new StartupRefusal(`${file} cannot be opened for writing (${code}): check the permissions of the file and of its folder`);
  }
  if (code.startsWith('SQLITE_IOERR')) return new StartupRefusal(`${file} cannot be read or written (${code}): check the disk (space, permissions, health)`);
  return null;
}

export function corrupt(file: string, problem: string): StartupRefusal {
  return new StartupRefusal(
    `${file} is damaged (SQLite's quick_check: ${problem.split('\n')[0]}): restore the latest backup with npx parley restore FILE, or salvage it with sqlite3 ${path.basename(file)} .recover`,
  );
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
    return new StartupRefusal(`cannot reach PostgreSQL at ${where} (${code || message}): is it running, and does DATABASE_URL name the right host and port?`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new StartupRefusal(`cannot find the PostgreSQL host in DATABASE_URL (${where}): check its spelling`);
  if (code === '28P01' || code === '28000' || /SASL|password/i.test(message)) {
    return new StartupRefusal(`PostgreSQL at ${where} refused the login of role "${user}" (${message}): check the user and password in DATABASE_URL`);
  }
  if (code === '3D000') return new StartupRefusal(`PostgreSQL at ${where} has no database "${database}": create it (createdb -h ${where.split(':')[0]} -U ${user} ${database}) or fix DATABASE_URL`);
  if (code === '42501') return new StartupRefusal(`role "${user}" may not use database "${database}" on ${where} (${message}): grant it CREATE and CONNECT, or use another role`);
  if (code === '57P03') return new StartupRefusal(`PostgreSQL at ${where} is starting up or shutting down: start Parley again in a moment`);
  if (code === '53300') return new StartupRefusal(`PostgreSQL at ${where} has no free connection slot (too many clients): raise max_connections or stop other clients`);
  return null;
}
