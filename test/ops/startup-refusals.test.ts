import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testSchemaName } from '../helpers/app.ts';
import { runCli, startServe, type CliResult } from './cli.ts';

// An environment Parley cannot run in is refused in one line that says what to do, exit code 2,
// never a stack trace and never a silent start.

const pgUrl = process.env.PARLEY_TEST_DATABASE_URL?.trim() || null;
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-refusal-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) {
    fs.chmodSync(dir, 0o700);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function expectRefusal(result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stderr + result.stdout).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^parley: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('start-up refusals on SQLite', () => {
  it('a second server on the same SQLite file', async () => {
    const dataDir = tempDir();
    const first = await startServe({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    try {
      expectRefusal(await runCli(['serve'], { DATA_DIR: dataDir, PORT: '0' }), new RegExp(`already served by process ${first.child.pid}`));
      // The first one still runs and is not disturbed.
      expect((await fetch(`http://127.0.0.1:${first.port}/readyz`)).status).toBe(200);
    } finally {
      // Killed outright: no clean-up runs, and still its lock must not outlive it.
      first.child.kill('SIGKILL');
      await first.exited;
    }
    // Once it is gone, the lock is gone and another may start.
    const again = await startServe({ DATA_DIR: dataDir });
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  }, 90_000);

  it('a DATA_DIR whose parent folder does not exist', async () => {
    expectRefusal(await runCli(['migrate'], { DATA_DIR: path.join(tempDir(), 'no', 'such', 'folder') }), /DATA_DIR .* does not exist, nor does its parent folder/);
  }, 30_000);

  it('a DATA_DIR this user may not write to', async () => {
    const dataDir = tempDir();
    let result: CliResult;
    if (process.getuid?.() === 0) {
      // root may write anywhere: run the CLI as nobody, for whom the folder is read-only.
      fs.chmodSync(path.dirname(dataDir), 0o755);
      fs.chmodSync(dataDir, 0o755);
      const scratch = tempDir();
      fs.chmodSync(scratch, 0o777);
      result = await runCli(['migrate'], { DATA_DIR: dataDir, HOME: scratch, TMPDIR: scratch }, { uid: 65534, gid: 65534 });
    } else {
      fs.chmodSync(dataDir, 0o555);
      result = await runCli(['migrate'], { DATA_DIR: dataDir });
    }
    expectRefusal(result, /DATA_DIR .* is read-only for this user/);
  }, 30_000);

  // A real full disk: a small tmpfs (root only; skipped elsewhere).
  it.runIf(process.getuid?.() === 0)('a full disk', async () => {
    const mountPoint = tempDir();
    const mounted = await new Promise<boolean>((resolve) =>
      execFile('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], (error) => resolve(!error)),
    );
    if (!mounted) return;
    try {
      // Nearly all of it taken by something else.
      fs.writeFileSync(path.join(mountPoint, 'filler'), Buffer.alloc(240 * 1024));
      const dataDir = path.join(mountPoint, 'data');
      fs.mkdirSync(dataDir);
      expectRefusal(await runCli(['serve'], { DATA_DIR: dataDir, PORT: '0' }), /is full: free some space/);
    } finally {
      await new Promise((resolve) => execFile('umount', [mountPoint], resolve));
    }
  }, 30_000);

  it('a parley.db that is not a SQLite database', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'parley.db'), 'these are my notes, not a database\n'.repeat(200));
    expectRefusal(await runCli(['serve'], { DATA_DIR: dataDir, PORT: '0' }), /parley\.db is not a SQLite database/);
  }, 30_000);

  it('a damaged SQLite file (quick_check fails)', async () => {
    const dataDir = tempDir();
    const made = await runCli(['migrate'], { DATA_DIR: dataDir });
    expect(made.code, made.stderr).toBe(0);
    const file = path.join(dataDir, 'parley.db');
    expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
    // Scribble over the pages after the first two (the header and the schema stay readable).
    const fd = fs.openSync(file, 'r+');
    const size = fs.fstatSync(fd).size;
    const page = 4096;
    for (let at = 2 * page; at < size; at += page) fs.writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, at);
    fs.closeSync(fd);
    expectRefusal(await runCli(['serve'], { DATA_DIR: dataDir, PORT: '0' }), /is damaged .*restore the latest backup with npx parley restore FILE/);
  }, 30_000);
});

describe('start-up refusals on PostgreSQL', () => {
  it('an unreachable database', async () => {
    expectRefusal(await runCli(['migrate'], { DATABASE_URL: 'postgres://parley@127.0.0.1:1/parley' }), /cannot reach PostgreSQL at 127\.0\.0\.1:1/);
  }, 30_000);

  it.runIf(pgUrl)('a role that cannot log in', async () => {
    const url = new URL(pgUrl!);
    url.username = 'no_such_role_for_parley';
    expectRefusal(await runCli(['migrate'], { DATABASE_URL: url.toString() }), /refused the login of role "no_such_role_for_parley"/);
  }, 30_000);

  it.runIf(pgUrl)('a database that does not exist', async () => {
    const url = new URL(pgUrl!);
    url.pathname = '/no_such_database_for_parley';
    expectRefusal(await runCli(['migrate'], { DATABASE_URL: url.toString() }), /has no database "no_such_database_for_parley": create it/);
  }, 30_000);

  it.runIf(pgUrl)("a database holding another application's tables, unless --adopt", async () => {
    const schema = testSchemaName('t');
    const admin = new pg.Client({ connectionString: pgUrl! });
    await admin.connect();
    try {
      await admin.query(`create schema ${schema}`);
      await admin.query(`create table ${schema}.invoices (id serial primary key, total numeric)`);
      const url = new URL(pgUrl!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const env = { DATABASE_URL: url.toString(), DATA_DIR: tempDir() };
      expectRefusal(await runCli(['migrate'], env), /already holds tables Parley did not create \(invoices\).*--adopt/);
      const tables = async () => (await admin.query(`select table_name from information_schema.tables where table_schema = $1 order by 1`, [schema])).rows.map((r) => r.table_name);
      expect(await tables()).toEqual(['invoices']);
      const adopted = await runCli(['migrate', '--adopt'], env);
      expect(adopted.code, adopted.stderr).toBe(0);
      expect(await tables()).toEqual(expect.arrayContaining(['invoices', 'articles', 'comments', 'kysely_migration']));
      // From then on it is Parley's database: no --adopt needed.
      expect((await runCli(['migrate'], env)).code).toBe(0);
    } finally {
      await admin.end();
    }
  }, 60_000);
});
