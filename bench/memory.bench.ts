// Issue 19: where a server's memory stands at rest and after a working day in miniature. One server
// (`node bin/parley.js serve`, the compiled build when it is up to date) on a fresh SQLite database
// with 30 articles, one of them with a 1,000-comment conversation: its RSS idle after start, then after
// a mixed load (anonymous article pages across every article, signed-in pages, the comment list API,
// comment POSTs), and its peak. Targets: idle ≤ 120 MB, after the load ≤ 200 MB. Before that, the same
// site with METRICS_TOKEN set, at rest: what metrics cost, and the server's own account of its heap.
// Run: node bin/run-ts.js bench/memory.bench.ts   (BENCH_PORT to move it off 3998; BENCH_HEAP_SNAPSHOTS=<dir>
// writes a heap snapshot of the server at rest and after the load there, for Chromium's memory tools)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load, NO_LOOP_SHEDDING, peakRssMb, rssMb, startParley } from './lib.ts';
import { addArticle, addConversation, addReader, migrate, openRaw, setSetting } from './comments-fixtures.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ARTICLES = 30;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-memory-'));
await migrate(dataDir);
const raw = openRaw(dataDir);
const slugs = Array.from({ length: ARTICLES }, (_, i) => `story-${i}`);
const articleIds = slugs.map((slug) => addArticle(raw, slug));
const authors = ['Ann', 'Ben', 'Cat', 'Dev', 'Eve'].map((name) => addReader(raw, name).userId);
const viewer = addReader(raw, 'Viewer');
const poster = addReader(raw, 'Poster');
addConversation(raw, articleIds[0]!, authors, 1000, 20);
for (const id of articleIds.slice(1)) addConversation(raw, id, authors, 40, 5);
setSetting(raw, 'commentIntervalSeconds', 0);
raw.close();

// Memory is the measure here, not shedding: on a busy machine the event-loop rules would refuse POSTs.
const METRICS_TOKEN = 'memory-bench-metrics-token';
const SNAPSHOTS = process.env.BENCH_HEAP_SNAPSHOTS;
if (SNAPSHOTS) {
  fs.mkdirSync(SNAPSHOTS, { recursive: true });
  process.env.BENCH_NODE_ARGS = `${process.env.BENCH_NODE_ARGS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${SNAPSHOTS}`;
}
const PORT = Number(process.env.BENCH_PORT ?? 3998);
const serverEnv = { SQLITE_SYNCHRONOUS: 'FULL', PARLEY_SEED_EXAMPLE: '0', LOG_LEVEL: 'warn', ...NO_LOOP_SHEDDING };
// First the same site with its metrics on, at rest: what they cost, and V8's own account of the heap.
// On a copy of the site: stopping a bench server removes its data.
const metricsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-memory-metrics-'));
fs.cpSync(dataDir, metricsDir, { recursive: true });
const withMetrics = await startParley(PORT, { ...serverEnv, METRICS_TOKEN }, metricsDir);
try {
  await new Promise((r) => setTimeout(r, 2000));
  console.log(`with METRICS_TOKEN set: RSS idle after start ${rssMb(withMetrics.pid).toFixed(0)} MB; ${await breakdown(withMetrics.url)}`);
} finally {
  await withMetrics.stop();
}

// Measured as a site runs by default: without METRICS_TOKEN or METRICS_PORT it keeps no metrics (src/ops).
const parley = await startParley(PORT, serverEnv, dataDir);

/** With BENCH_HEAP_SNAPSHOTS: has the server write a heap snapshot, and waits until it is written. */
async function heapSnapshot(name: string): Promise<void> {
  if (!SNAPSHOTS) return;
  const before = new Set(fs.readdirSync(SNAPSHOTS));
  process.kill(parley.pid, 'SIGUSR2');
  // The server creates the file at once and fills it while its loop is paused: done when it stops growing.
  const sizeOf = () => fs.readdirSync(SNAPSHOTS).filter((f) => !before.has(f)).map((f) => fs.statSync(path.join(SNAPSHOTS, f)).size)[0] ?? 0;
  for (let last = -1, size = 0; size === 0 || size !== last; ) {
    await new Promise((r) => setTimeout(r, 1000));
    [last, size] = [size, sizeOf()];
  }
  const file = fs.readdirSync(SNAPSHOTS).find((f) => !before.has(f))!;
  fs.renameSync(path.join(SNAPSHOTS, file), path.join(SNAPSHOTS, `${name}.heapsnapshot`));
  console.log(`heap snapshot: ${path.join(SNAPSHOTS, `${name}.heapsnapshot`)}`);
}

/** The kernel's split of a process's resident memory: anonymous (V8's heap, malloc) and file-backed (code). */
function residentSplit(pid: number): string {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return `anonymous ${(kb('RssAnon') / 1024).toFixed(0)} MB, files ${(kb('RssFile') / 1024).toFixed(0)} MB`;
}

/** Where the resident memory goes, from the server's own /metrics: V8's heap (used of committed, by space) and memory outside it. */
async function breakdown(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const mb = (pattern: RegExp) => (Number(pattern.exec(text)?.[1] ?? Number.NaN) / 1048576).toFixed(0);
  const spaces = [...text.matchAll(/^nodejs_heap_space_size_total_bytes\{space="(\w+)"\} (\d+)/gm)]
    .filter((m) => Number(m[2]) > 1048576)
    .map((m) => `${m[1]} ${(Number(m[2]) / 1048576).toFixed(0)}`);
  return `heap used ${mb(/^nodejs_heap_size_used_bytes (\d+)/m)} of ${mb(/^nodejs_heap_size_total_bytes (\d+)/m)} MB (${spaces.join(', ')}); external ${mb(/^nodejs_external_memory_bytes (\d+)/m)} MB`;
}
try {
  await new Promise((r) => setTimeout(r, 2000));
  const idle = rssMb(parley.pid);
  console.log(`RSS idle after start: ${idle.toFixed(0)} MB (${residentSplit(parley.pid)})`);
  await heapSnapshot('idle');

  const signedIn = { cookie: `parley_session=${viewer.token}`, accept: 'text/html' };
  const csrf = await fetch(`${parley.url}/api/v1/auth/csrf`, { headers: { cookie: `parley_session=${poster.token}` } });
  const csrfToken = ((await csrf.json()) as { token: string }).token;
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const postHeaders = { cookie: `parley_session=${poster.token}; ${csrfCookie}`, 'x-csrf-token': csrfToken, 'content-type': 'application/json', accept: 'application/json' };
  let n = 0;
  const phases: { name: string; url: string; options: Parameters<typeof load>[1] }[] = [
    {
      name: 'anonymous article pages (every article)',
      url: parley.url,
      options: { requests: slugs.map((slug) => ({ method: 'GET' as const, path: `/articles/${slug}`, headers: { accept: 'text/html' } })) },
    },
    { name: 'signed-in article page (1,000 comments)', url: `${parley.url}/articles/${slugs[0]}`, options: { headers: signedIn } },
    {
      name: 'comment list API (every article)',
      url: parley.url,
      options: { requests: slugs.map((slug) => ({ method: 'GET' as const, path: `/api/v1/articles/${slug}/comments`, headers: { accept: 'application/json' } })) },
    },
    {
      name: 'comment POSTs',
      url: `${parley.url}/api/v1/articles/${slugs[1]}/comments`,
      options: {
        connections: 10,
        requests: [
          {
            method: 'POST' as const,
            path: `/api/v1/articles/${slugs[1]}/comments`,
            headers: postHeaders,
            setupRequest: (req: object) => ({ ...req, body: JSON.stringify({ body: `Memory bench comment ${n++}, with *emphasis* and a [link](https://example.org).` }) }),
          },
        ],
      },
    },
  ];
  for (const phase of phases) {
    const result = await load(phase.url, { connections: 20, durationSeconds: SECONDS, ...phase.options });
    if (result.non2xx || result.errors) throw new Error(`${phase.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    console.log(`${phase.name}: ${result.requestsPerSecond.toFixed(0)} req/s; RSS now ${rssMb(parley.pid).toFixed(0)} MB`);
  }
  const after = rssMb(parley.pid);
  const peak = peakRssMb(parley.pid);
  console.log(`after the load: ${residentSplit(parley.pid)}`);
  await heapSnapshot('after-load');
  console.log(`RSS after the load: ${after.toFixed(0)} MB (peak ${peak.toFixed(0)} MB); load average ${os.loadavg()[0]!.toFixed(1)}`);
  const met = idle <= 120 && after <= 200;
  console.log(`RESULT memory rss-idle=${idle.toFixed(0)}MB rss-after=${after.toFixed(0)}MB peak=${peak.toFixed(0)}MB target idle<=120MB after<=200MB ${met ? 'MET' : 'MISSED'}`);
} finally {
  await parley.stop();
}
