import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RunningApp } from '../../src/app.ts';
import { importArticle } from '../../src/articles/commands.ts';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import type { Article } from '../../src/articles/model.ts';
import { loadConfig } from '../../src/config.ts';
import { setSetting } from '../../src/settings/store.ts';
import { EXAMPLE_FILE, testSchemaName, TEST_SERVER_SHEDDING } from '../helpers/app.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';
import type { TestClient } from '../helpers/client.ts';
import { SseReader } from '../comments/sse.ts';
import { startConversation, type Conversation } from '../comments/setup.ts';
import { TcpProxy } from './tcp-proxy.ts';
import { liveHub } from '../../src/events/live.ts';

// A database that goes away must never take the process with it: a terminated LISTEN backend or idle
// pool connection is replaced, events committed meanwhile are still delivered, requests get a fast
// 503 with Retry-After while PostgreSQL is unreachable, and a full SQLite disk answers 503 "cannot
// store", never a 500.

const pgUrl = process.env.PARLEY_TEST_DATABASE_URL?.trim() || null;

interface Node {
  app: RunningApp;
  baseUrl: string;
  dataDir: string;
}

function urlWith(base: string, changes: { applicationName?: string; port?: number }): string {
  const url = new URL(base);
  if (changes.applicationName) url.searchParams.set('application_name', changes.applicationName);
  if (changes.port) {
    url.hostname = '127.0.0.1';
    url.port = String(changes.port);
  }
  return url.toString();
}

async function startNode(databaseUrl: string, pgSchema: string): Promise<Node> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-ops-'));
  const config = loadConfig({ ...TEST_SERVER_SHEDDING, DATA_DIR: dataDir, LOG_LEVEL: 'silent', PARLEY_SEED_EXAMPLE: '0', PORT: '0', PUBLIC_URL: 'http://parley.test', DATABASE_URL: databaseUrl });
  const app = await createApp(config, { pgSchema });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.server.address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${port}`, dataDir };
}

async function stopNode(node: Node | undefined): Promise<void> {
  if (!node) return;
  await node.app.close();
  fs.rmSync(node.dataDir, { recursive: true, force: true });
}

async function until<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.runIf(pgUrl)('PostgreSQL connections that drop', () => {
  const schema = testSchemaName('t');
  const nameA = `parley_ops_${randomBytes(5).toString('hex')}`;
  let a: Node;
  let b: Node;
  let admin: pg.Client;
  let article: Article;
  let writer: TestClient;

  beforeAll(async () => {
    a = await startNode(urlWith(pgUrl!, { applicationName: nameA }), schema);
    b = await startNode(urlWith(pgUrl!, { applicationName: `${nameA}_b` }), schema);
    const draft = await parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });
    article = (await importArticle(b.app.ctx, draft)).article;
    await setSetting(b.app.ctx.db.kysely, 'commentIntervalSeconds', 0);
    await setSetting(b.app.ctx.db.kysely, 'spamHoldThreshold', 1);
    writer = await signedInClient(b.app.ctx, b.baseUrl, await createTestUser(b.app.ctx));
    admin = new pg.Client({ connectionString: pgUrl! });
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    await admin?.end();
    await stopNode(a);
    await stopNode(b);
  });

  const backendsOf = async (name: string) =>
    (await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [name])).rows.map((r) => r.pid);

  it('lives through the loss of its LISTEN connection and idle pool connections, and delivers what was committed meanwhile', async () => {
    const page = await SseReader.open(`${a.baseUrl}/api/v1/articles/${article.slug}/live`);
    expect(page.status).toBe(200);
    await until('the live stream to be registered', async () => liveHub(a.app.ctx).size === 1);
    // A's pool holds idle connections after a request, besides the LISTEN connection.
    expect((await fetch(`${a.baseUrl}/readyz`)).status).toBe(200);
    const before = await backendsOf(nameA);
    expect(before.length).toBeGreaterThanOrEqual(2);
    const listenBefore = a.app.ctx.bus.reconnects;

    // Only this node's own sessions (by application_name): other test runs share the server.
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [nameA]);
    const res = await writer.post(`/api/v1/articles/${article.slug}/comments`, { body: 'committed while the other node was deaf' });
    expect(res.status).toBe(201);
    const id = res.body.comment.id as number;

    const frame = await page.next((f) => f.event === 'comment.created' && f.data.comment.id === id, 15_000);
    expect(frame.data.comment.bodyHtml).toContain('committed while the other node was deaf');
    expect(a.app.ctx.bus.reconnects).toBeGreaterThan(listenBefore);
    expect(a.app.ctx.bus.listening).toBe(true);
    // New sessions replaced the terminated ones, and the node answers from the database again.
    const after = await backendsOf(nameA);
    expect(after.some((pid) => !before.includes(pid))).toBe(true);
    const ready = await until('readiness', async () => {
      const r = await fetch(`${a.baseUrl}/readyz`);
      return r.status === 200 && ((await r.json()) as { checks: Record<string, { ok: boolean }> });
    });
    expect(ready.checks.listen).toEqual({ ok: true });
    page.close();
  }, 40_000);

  it('answers 503 with Retry-After while PostgreSQL is unreachable, still serves cached pages, and recovers with the events of the outage', async () => {
    const target = new URL(pgUrl!);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const c = await startNode(urlWith(pgUrl!, { port: proxy.port, applicationName: `${nameA}_c` }), schema);
    try {
      const pagePath = `/articles/${article.slug}`;
      const first = await fetch(`${c.baseUrl}${pagePath}`, { headers: { accept: 'text/html' } });
      expect(first.status).toBe(200);
      await first.text();
      // A node that has just started still hears of the events committed before it (the first test's
      // comments), and drops the cached pages they touch: the page must have stayed cached before the
      // database goes away, or this would test the cache's timing instead of the outage.
      await until('the page to stay in the cache', async () => {
        if (!c.app.ctx.pageCache.get(pagePath)) await (await fetch(`${c.baseUrl}${pagePath}`, { headers: { accept: 'text/html' } })).text();
        await new Promise((resolve) => setTimeout(resolve, 250));
        return c.app.ctx.pageCache.get(pagePath) !== null;
      });
      const live = await SseReader.open(`${c.baseUrl}/api/v1/articles/${article.slug}/live`);
      await until('the live stream to be registered', async () => liveHub(c.app.ctx).size === 1);

      await proxy.stop();
      const api = await fetch(`${c.baseUrl}/api/v1/articles/${article.slug}/comments`);
      expect(api.status).toBe(503);
      expect(api.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = (await api.json()) as { error: { code: string; message: string; requestId: string } };
      expect(body.error.code).toBe('database_unavailable');
      expect(body.error.requestId).toBe(api.headers.get('x-request-id'));
      // Once known to be away, requests are refused without waiting for a connection attempt.
      expect(c.app.ctx.db.guard.unreachable).toBe(true);
      const html = await fetch(`${c.baseUrl}/articles/no-such-article-while-down`, { headers: { accept: 'text/html' } });
      expect(html.status).toBe(503);
      expect(await html.text()).toContain('cannot reach its database');
      // Anonymous readers of a cached page do not notice.
      const cached = await fetch(`${c.baseUrl}${pagePath}`, { headers: { accept: 'text/html' } });
      expect(cached.status).toBe(200);
      expect(await cached.text()).toContain(article.headline);
      expect((await fetch(`${c.baseUrl}/livez`)).status).toBe(200);
      expect((await fetch(`${c.baseUrl}/readyz`)).status).toBe(503);

      // Another node commits during the outage.
      const res = await writer.post(`/api/v1/articles/${article.slug}/comments`, { body: 'written during the outage' });
      expect(res.status).toBe(201);

      await proxy.start();
      await until('the database again', async () => (await fetch(`${c.baseUrl}/api/v1/articles/${article.slug}/comments`)).status === 200);
      const frame = await live.next((f) => f.event === 'comment.created' && f.data.comment.id === res.body.comment.id, 20_000);
      expect(frame.data.comment.bodyHtml).toContain('written during the outage');
      live.close();
    } finally {
      await proxy.stop();
      await stopNode(c);
    }
  }, 60_000);
});

describe('SQLite disk full', () => {
  let c: Conversation;
  beforeAll(async () => {
    c = await startConversation('sqlite');
  });
  afterAll(async () => c?.app.close());

  it('answers 503 "cannot store anything" (not 500) while the disk is full, readiness says so, and it recovers', async () => {
    const { client } = await c.reader();
    const base = `/api/v1/articles/${c.article.slug}/comments`;
    expect((await client.post(base, { body: 'before the disk filled up' })).status).toBe(201);

    const db = c.app.ctx.db.kysely;
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    // The file may not grow by a single page: what a full disk looks like to SQLite (SQLITE_FULL).
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(db);
    let full: Awaited<ReturnType<typeof client.post>> | null = null;
    for (let i = 0; i < 50 && !full; i++) {
      const res = await client.post(base, { body: `filling page ${i} ${'words that take room '.repeat(40)}` });
      if (res.status !== 201) full = res;
    }
    expect(full, 'the disk never filled').not.toBeNull();
    expect(full!.status).toBe(503);
    expect(full!.res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(full!.body.error.code).toBe('storage_unavailable');
    expect(full!.body.error.message).toMatch(/cannot store anything right now/);
    expect(full!.body.error.requestId).toBe(full!.res.headers.get('x-request-id'));

    const ready = await fetch(`${c.app.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks.storage!.ok).toBe(false);
    // Reading goes on.
    expect((await client.get(base)).status).toBe(200);

    await sql.raw('pragma max_page_count = 1073741823').execute(db);
    expect((await client.post(base, { body: 'after space was freed' })).status).toBe(201);
    expect((await fetch(`${c.app.baseUrl}/readyz`)).status).toBe(200);
  }, 30_000);
});
