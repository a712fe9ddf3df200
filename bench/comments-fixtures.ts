// Data for the comment benchmarks, written with raw better-sqlite3 (bulk, one transaction) into a
// data folder before or while a Parley server uses it.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { pathSegment } from '../src/comments/model.ts';

export const dbFile = (dataDir: string) => path.join(dataDir, 'parley.db');

/** Creates the schema in a fresh data folder (what `parley migrate` does). */
export async function migrate(dataDir: string): Promise<void> {
  const db = await openDatabase({ dataDir, databaseUrl: null });
  await migrateToLatest(db);
  await db.close();
}

export function openRaw(dataDir: string): SqliteDatabase.Database {
  const db = new SqliteDatabase(dbFile(dataDir));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** A verified reader with a session; returns the cookie value of the session. */
export function addReader(db: SqliteDatabase.Database, name: string): { userId: number; token: string } {
  const now = new Date().toISOString();
  const handle = `${name.toLowerCase()}-${randomBytes(3).toString('hex')}`;
  const user = db
    .prepare(`insert into users (email, email_verified_at, display_name, display_name_key, handle, bio, role, created_at, updated_at) values (?, ?, ?, ?, ?, '', 'reader', ?, ?)`)
    .run(`${handle}@bench.test`, now, name, handle, handle, now, now);
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + 86_400_000).toISOString();
  db.prepare(`insert into sessions (user_id, token_hash, user_agent, persistent, role, created_at, last_seen_at, expires_at) values (?, ?, 'bench', 1, 'reader', ?, ?, ?)`)
    .run(user.lastInsertRowid, createHash('sha256').update(token).digest('hex'), now, now, expires);
  return { userId: Number(user.lastInsertRowid), token };
}

export function setSetting(db: SqliteDatabase.Database, key: string, value: unknown): void {
  db.prepare(`insert into settings (key, value, updated_at) values (?, ?, ?) on conflict (key) do update set value = excluded.value`).run(key, JSON.stringify(value), new Date().toISOString());
}

export function addArticle(db: SqliteDatabase.Database, slug: string): number {
  const now = new Date().toISOString();
  const body = JSON.stringify([{ type: 'paragraph', text: 'A benchmark article with a long conversation under it. '.repeat(20) }]);
  const r = db
    .prepare(`insert into articles (slug, import_key, headline, authors, time_zone, body, created_at, updated_at, sort_at) values (?, ?, ?, '[]', 'UTC', ?, ?, ?, ?)`)
    .run(slug, `slug:${slug}`, `Benchmark: ${slug}`, body, now, now, now);
  return Number(r.lastInsertRowid);
}

/**
 * `total` comments under the article: one busy thread of `bigThread` replies (the newest, so it is on
 * page 1) and the rest as threads of five (two replies, a reply to a reply, and one deeper still).
 */
export function addConversation(db: SqliteDatabase.Database, articleId: number, authorIds: number[], total: number, bigThread: number): void {
  let nextId = Number((db.prepare('select coalesce(max(id), 0) as m from comments').get() as { m: number }).m) + 1;
  const insert = db.prepare(
    `insert into comments (id, article_id, author_id, parent_id, root_id, depth, path, body, body_html, descendant_count, reaction_count, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const start = Date.now() - total * 1000;
  let n = 0;
  const author = () => authorIds[n % authorIds.length]!;
  const add = (parent: { id: number; root: number | null; depth: number; path: string } | null, descendants: number) => {
    const id = nextId++;
    const text = `Comment ${id}: a reasonable point, made at reasonable length, about the story above.`;
    const row = parent
      ? { parent: parent.id, root: parent.root ?? parent.id, depth: parent.depth + 1, path: parent.path + pathSegment(id) }
      : { parent: null, root: null, depth: 0, path: '' };
    insert.run(id, articleId, author(), row.parent, row.root, row.depth, row.path, text, `<p>${text}</p>`, descendants, n % 7, new Date(start + n * 1000).toISOString());
    n++;
    return { id, root: row.root, depth: row.depth, path: row.path };
  };
  db.transaction(() => {
    const threadsOfFive = Math.floor((total - bigThread - 1) / 5);
    for (let t = 0; t < threadsOfFive; t++) {
      const root = add(null, 4);
      const a = add(root, 2);
      add(root, 0);
      const c = add(a, 1);
      add(c, 0);
    }
    const rest = total - threadsOfFive * 5 - 1;
    const big = add(null, rest);
    for (let i = 0; i < rest; i++) add(big, 0);
    db.prepare('update articles set comment_count = ? where id = ?').run(n, articleId);
  })();
}

/**
 * A migrated site for the write benches: one article and `authors` readers with sessions, and no
 * interval or spam hold that would refuse a fast poster.
 */
export async function postingSite(prefix: string, slug: string, authors: number): Promise<{ dataDir: string; authors: { userId: number; token: string }[] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  await migrate(dataDir);
  const seed = openRaw(dataDir);
  addArticle(seed, slug);
  const readers = Array.from({ length: authors }, (_, i) => addReader(seed, `Poster${i}`));
  setSetting(seed, 'commentIntervalSeconds', 0);
  setSetting(seed, 'spamHoldThreshold', 1);
  seed.close();
  return { dataDir, authors: readers };
}

/** Each author's request headers for JSON POSTs: session cookie, CSRF cookie and token. */
export async function postingHeaders(url: string, authors: { token: string }[]): Promise<Record<string, string>[]> {
  const headers: Record<string, string>[] = [];
  for (const author of authors) {
    const csrf = await fetch(`${url}/api/v1/auth/csrf`, { headers: { cookie: `parley_session=${author.token}` } });
    const token = ((await csrf.json()) as { token: string }).token;
    const cookies = [`parley_session=${author.token}`, ...csrf.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
    headers.push({ cookie: cookies, 'x-csrf-token': token, 'content-type': 'application/json', accept: 'application/json' });
  }
  return headers;
}
