import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupRefused, restoreSqlite } from '../../src/ops/backup.ts';
import { startConversation, type Conversation } from '../comments/setup.ts';
import { runCli } from './cli.ts';

// Backups with SQLite's online backup API while the site takes comments: every comment acknowledged
// before the backup began is in it, and `parley restore` brings them back. (Copying parley.db with cp
// lost acknowledged comments that were still in the write-ahead log.)

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-backup-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const commentIds = (file: string) => {
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    return new Set((db.prepare('select id from comments').all() as { id: number }[]).map((r) => r.id));
  } finally {
    db.close();
  }
};

describe('backup and restore on SQLite', () => {
  let c: Conversation;
  beforeAll(async () => {
    c = await startConversation('sqlite');
  });
  afterAll(async () => c?.app.close());

  it('backs up while comments are being written, and restores every comment acknowledged before the backup began', async () => {
    const { client } = await c.reader();
    const acked: number[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const res = await client.post(`/api/v1/articles/${c.article.slug}/comments`, { body: `comment number ${i} during the backup` });
        if (res.status === 201) acked.push(res.body.comment.id);
      }
    })();
    while (acked.length < 20) await new Promise((r) => setTimeout(r, 20));
    const ackedBefore = [...acked];
    const file = path.join(tempDir(), 'parley-backup.db');
    const backup = await runCli(['backup', file], { DATA_DIR: c.app.config.dataDir });
    writing = false;
    await writer;
    expect(backup.code, backup.stderr).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ backup: file });
    expect(acked.length).toBeGreaterThan(ackedBefore.length);
    // The backup is one self-contained file: no write-ahead log beside it.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);

    const restoredDir = tempDir();
    const restore = await runCli(['restore', file], { DATA_DIR: restoredDir });
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({ replaced: false });
    const restored = commentIds(path.join(restoredDir, 'parley.db'));
    expect(ackedBefore.filter((id) => !restored.has(id))).toEqual([]);
    // And what it holds is a working database: Parley migrates and serves it.
    expect((await runCli(['migrate'], { DATA_DIR: restoredDir })).code).toBe(0);

    // Restoring over a database that holds something needs --force; over a running server, never.
    await expect(restoreSqlite(path.join(restoredDir, 'parley.db'), file)).rejects.toThrow(/is not empty .*--force/);
    const forced = await restoreSqlite(path.join(restoredDir, 'parley.db'), file, { force: true });
    expect(forced.replaced).toBe(true);
    await expect(restoreSqlite(path.join(c.app.config.dataDir, 'parley.db'), file, { force: true })).rejects.toThrow(/a Parley server \(process \d+\) is using/);
  }, 90_000);

  it('refuses to overwrite a file without --force, and to restore what is not a Parley backup', async () => {
    const dir = tempDir();
    const existing = path.join(dir, 'taken.db');
    fs.writeFileSync(existing, 'x');
    const refused = await runCli(['backup', existing], { DATA_DIR: c.app.config.dataDir });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toMatch(/^parley: .*already exists: choose another name, or add --force/);
    const notes = path.join(dir, 'notes.txt');
    fs.writeFileSync(notes, 'not a database at all '.repeat(100));
    await expect(restoreSqlite(path.join(dir, 'parley.db'), notes)).rejects.toBeInstanceOf(BackupRefused);
    const plain = path.join(dir, 'plain.db');
    new SqliteDatabase(plain).exec('create table t (x)');
    await expect(restoreSqlite(path.join(dir, 'parley.db'), plain)).rejects.toThrow(/not a Parley backup/);
  }, 30_000);
});

describe('backup on PostgreSQL', () => {
  it('explains the pg_dump command for DATABASE_URL, without its password', async () => {
    const result = await runCli(['backup', 'news.dump'], { DATABASE_URL: 'postgres://news:s3cret@db.example:5433/newsroom' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pg_dump --format=custom --host=db.example --port=5433 --username=news --file=news.dump newsroom');
    expect(result.stderr).not.toContain('s3cret');
  }, 30_000);
});
