import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RunningApp } from '../../src/app.ts';
import { importArticle } from '../../src/articles/commands.ts';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import type { Article } from '../../src/articles/model.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger, redact } from '../../src/ops/logging.ts';
import { opsState } from '../../src/ops/state.ts';
import { dialects, EXAMPLE_FILE, testSchemaName, TEST_SERVER_SHEDDING, type TestDialect } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { linkIn, outboxMails, waitFor } from '../helpers/mail.ts';
import { GOOD_PASSWORD, uniqueEmail, uniqueName } from '../accounts/helpers.ts';
import { SseReader } from '../comments/sse.ts';

// Health, metrics and logs as an operator uses them: /livez, /readyz, /metrics behind a token or on
// its own port; request ids from X-Request-Id; one JSON access line per request, cached pages
// included; no e-mail address or token in any line.

const pgUrl = process.env.PARLEY_TEST_DATABASE_URL?.trim() || null;

interface Observed {
  app: RunningApp;
  baseUrl: string;
  dataDir: string;
  lines: string[];
  close(): Promise<void>;
}

async function start(dialect: TestDialect, env: Record<string, string>): Promise<Observed> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-obs-'));
  const config = loadConfig({
    ...TEST_SERVER_SHEDDING,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    PARLEY_SEED_EXAMPLE: '0',
    SQLITE_SYNCHRONOUS: 'NORMAL',
    PORT: '0',
    PUBLIC_URL: 'http://parley.test',
    ...(dialect === 'postgres' ? { DATABASE_URL: pgUrl! } : {}),
    ...env,
  });
  const lines: string[] = [];
  const log = createLogger(config, { write: (line) => void lines.push(line) });
  const app = await createApp(config, { pgSchema: dialect === 'postgres' ? testSchemaName('t') : undefined, log });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.server.address() as { port: number };
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    lines,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('redaction', () => {
  it('takes e-mail addresses and tokens out of a log line', () => {
    const line = JSON.stringify({ msg: 'SMTP 550 <ann.lee+news@mail.example.org> unknown', url: '/verify-email?token=abc.DEF-123&x=1', u: '/unsubscribe/s3cr3t', h: 'Bearer eyJhbGciOi.x.y', c: 'parley_session=zzz; other=1' });
    const out = redact(line);
    for (const secret of ['ann.lee+news@mail.example.org', 'abc.DEF-123', 's3cr3t', 'eyJhbGciOi.x.y', 'zzz']) expect(out).not.toContain(secret);
    expect(JSON.parse(out)).toMatchObject({ url: '/verify-email?token=[redacted]&x=1', u: '/unsubscribe/[redacted]' });
  });
});

describe.each(dialects)('health, metrics and logs on %s', (dialect) => {
  const token = randomBytes(16).toString('hex');
  let o: Observed;
  let article: Article;
  beforeAll(async () => {
    o = await start(dialect, { METRICS_TOKEN: token });
    const draft = await parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });
    article = (await importArticle(o.app.ctx, draft)).article;
  });
  afterAll(async () => o?.close());

  it('answers /livez, and /readyz and /healthz with the checks behind readiness', async () => {
    const live = await fetch(`${o.baseUrl}/livez`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    for (const route of ['/readyz', '/healthz']) {
      const res = await fetch(`${o.baseUrl}${route}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean }> };
      expect(body.status).toBe('ok');
      expect(Object.keys(body.checks)).toEqual(expect.arrayContaining(['database', 'storage', 'migrations', 'subscribers', 'jobs', ...(dialect === 'postgres' ? ['listen'] : [])]));
    }
  });

  it('echoes X-Request-Id or makes a unique one, and logs one access line per request, cached pages included', async () => {
    const page = `/articles/${article.slug}`;
    const first = await fetch(`${o.baseUrl}${page}`, { headers: { accept: 'text/html' } });
    expect(first.status).toBe(200);
    await first.text();
    const made = first.headers.get('x-request-id')!;
    expect(made).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const again = await fetch(`${o.baseUrl}${page}`, { headers: { accept: 'text/html', 'x-request-id': 'edge-7f3a.1' } });
    expect(again.status).toBe(200);
    await again.text();
    expect(again.headers.get('x-request-id')).toBe('edge-7f3a.1');
    // A header that is not an id (too long, odd characters) is replaced, not echoed.
    const odd = await fetch(`${o.baseUrl}/livez`, { headers: { 'x-request-id': '<script>' } });
    expect(odd.headers.get('x-request-id')).not.toBe('<script>');

    type Access = { reqId: string; msg: string };
    const accessLines = () => o.lines.map((l) => JSON.parse(l) as Access).filter((l) => l.msg === 'request');
    await waitFor(() => accessLines().some((l) => l.reqId === 'edge-7f3a.1'), 'the access lines');
    const access = accessLines();
    const byId = (id: string) => access.filter((l) => l.reqId === id);
    expect(byId(made)).toHaveLength(1);
    expect(byId(made)[0]).toMatchObject({ level: 30, method: 'GET', url: page, route: '/articles/:slug', status: 200 });
    expect(byId('edge-7f3a.1')).toHaveLength(1);
    expect(byId('edge-7f3a.1')[0]).toMatchObject({ url: page, status: 200, cache: 'hit', route: 'page-cache' });
  });

  it('keeps e-mail addresses and tokens out of every log line: jobs, the mailer and access lines', async () => {
    const email = uniqueEmail('obs');
    const client = new TestClient(o.baseUrl);
    const registered = await client.post('/api/v1/auth/register', { email, displayName: uniqueName(), password: GOOD_PASSWORD });
    expect(registered.status).toBe(201);
    const mail = await waitFor(() => outboxMails(o.dataDir).find((m) => m.to.includes(email)), 'the verification mail', 15_000);
    const link = linkIn(mail, '/verify-email');
    const secret = link.searchParams.get('token')!;
    expect(secret.length).toBeGreaterThan(10);
    await (await fetch(`${o.baseUrl}${link.pathname}${link.search}`, { headers: { accept: 'text/html' } })).text();
    await waitFor(() => o.lines.some((l) => l.includes('/verify-email?token=[redacted]')), 'the access line of the link');
    expect(o.lines.some((l) => l.includes('written to'))).toBe(true);
    const all = o.lines.join('');
    expect(all).not.toContain(email);
    expect(all).not.toContain(secret);
    expect(all).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/);
    // Every line is JSON (no console output mixed in).
    for (const line of o.lines) expect(() => JSON.parse(line)).not.toThrow();
  }, 30_000);

  it('serves Prometheus metrics only with METRICS_TOKEN', async () => {
    expect((await fetch(`${o.baseUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${o.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const live = await SseReader.open(`${o.baseUrl}/api/v1/articles/${article.slug}/live`);
    await waitFor(async () => (await metricsText()).includes('parley_live_connections 1'), 'the live connection in the metrics');
    live.close();
    const text = await metricsText();
    expect(text).toMatch(/parley_http_requests_total\{method="GET",route="\/articles\/:slug",status="200"\} [1-9]/);
    expect(text).toMatch(/parley_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/articles\/:slug",status="200"\}/);
    expect(text).toMatch(/parley_page_cache_hits_total [1-9]/);
    expect(text).toMatch(/parley_subscriber_lag_events\{subscriber="[^"]+"\} \d+/);
    expect(text).toMatch(/parley_jobs_queued|parley_jobs_failed/);
    expect(text).toMatch(/parley_db_query_duration_seconds_count\{outcome="ok"\} [1-9]/);
    expect(text).toMatch(/parley_db_commit_duration_seconds_count\{outcome="ok"\} [1-9]/);
    expect(text).toMatch(/parley_page_cache_entries [1-9]/);
    expect(text).toMatch(/parley_db_reachable 1/);
    expect(text).toMatch(/process_cpu_user_seconds_total \d/);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds \d/);
  });

  const metricsText = async () => (await fetch(`${o.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
});

describe('metrics on their own port, sampled access logs', () => {
  let o: Observed;
  beforeAll(async () => {
    o = await start('sqlite', { METRICS_PORT: '0', ACCESS_LOG_SAMPLE: '0' });
  });
  afterAll(async () => o?.close());

  it('serves /metrics on METRICS_PORT and not on the public port, and logs no 2xx access line at sample 0', async () => {
    expect((await fetch(`${o.baseUrl}/metrics`)).status).toBe(404);
    const port = opsState(o.app.ctx).metricsAddress!.port;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/parley_http_requests_total\{method="GET",route="not-found",status="404"\} 1/);
    expect((await fetch(`http://127.0.0.1:${port}/anything-else`)).status).toBe(404);
    expect(o.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request')).toEqual([]);
  });
});

describe('metrics nobody can read', () => {
  let o: Observed;
  beforeAll(async () => {
    o = await start('sqlite', {});
  });
  afterAll(async () => o?.close());

  it('are not kept without METRICS_TOKEN or METRICS_PORT, and the site still answers and sheds', async () => {
    expect(opsState(o.app.ctx).metrics).toBeNull();
    expect((await fetch(`${o.baseUrl}/metrics`)).status).toBe(404);
    expect((await fetch(`${o.baseUrl}/articles/${encodeURIComponent('no-such-story')}`)).status).toBe(404);
    expect((await fetch(`${o.baseUrl}/healthz`)).status).toBe(200);
  });
});
