// Issue 4: 1,000 open Server-Sent Events connections on one article; for each of a series of posts,
// the time from the POST's response to the comment's arrival on the last of the 1,000 connections.
// Prints p50 and p99 over the posts (and over every single delivery).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startParley } from './lib.ts';
import { addArticle, addReader, migrate, openRaw, setSetting } from './comments-fixtures.ts';

const CONNECTIONS = Number(process.env.BENCH_SSE_CONNECTIONS ?? 1000);
const POSTS = Number(process.env.BENCH_SSE_POSTS ?? 30);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-fanout-'));
await migrate(dataDir);
const seed = openRaw(dataDir);
addArticle(seed, 'live-story');
const { token } = addReader(seed, 'Speaker');
setSetting(seed, 'commentIntervalSeconds', 0);
seed.close();

const parley = await startParley(3997, { SQLITE_SYNCHRONOUS: 'FULL', PARLEY_SEED_EXAMPLE: '0', LOG_LEVEL: 'warn' }, dataDir);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const arrivals = new Map<number, number[]>();
const sockets: http.ClientRequest[] = [];

function listen(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${parley.url}/api/v1/articles/live-story/live`, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`live answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const match = /event: comment\.created\ndata: \{"comment":\{"id":(\d+)/.exec(frame);
          if (match) {
            const id = Number(match[1]);
            const list = arrivals.get(id) ?? [];
            list.push(performance.now());
            arrivals.set(id, list);
          }
        }
      });
      resolve();
    });
    req.on('error', reject);
    sockets.push(req);
  });
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

try {
  for (let i = 0; i < CONNECTIONS; i += 100) await Promise.all(Array.from({ length: Math.min(100, CONNECTIONS - i) }, listen));
  console.log(`${CONNECTIONS} SSE connections open`);
  await new Promise((r) => setTimeout(r, 1000));

  const csrf = await fetch(`${parley.url}/api/v1/auth/csrf`, { headers: { cookie: `parley_session=${token}` } });
  const csrfToken = ((await csrf.json()) as { token: string }).token;
  const headers = { cookie: `parley_session=${token}; ${csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')}`, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };

  const lastDelivery: number[] = [];
  const everyDelivery: number[] = [];
  for (let i = 0; i < POSTS; i++) {
    const res = await fetch(`${parley.url}/api/v1/articles/live-story/comments`, { method: 'POST', headers, body: JSON.stringify({ body: `Live comment ${i}` }) });
    const answered = performance.now();
    if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
    const id = ((await res.json()) as { comment: { id: number } }).comment.id;
    const deadline = answered + 10_000;
    while ((arrivals.get(id)?.length ?? 0) < CONNECTIONS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    const times = arrivals.get(id) ?? [];
    if (times.length < CONNECTIONS) throw new Error(`comment ${id} reached ${times.length} of ${CONNECTIONS} connections in 10 s`);
    // A frame can arrive before the POST's own response is read; that counts as 0 ms.
    lastDelivery.push(Math.max(0, Math.max(...times) - answered));
    for (const t of times) everyDelivery.push(Math.max(0, t - answered));
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log(`delivery to the last of ${CONNECTIONS} connections after the POST's response, over ${POSTS} posts: p50 ${pct(lastDelivery, 50).toFixed(1)} ms, p99 ${pct(lastDelivery, 99).toFixed(1)} ms`);
  console.log(`every single delivery (${everyDelivery.length}): p50 ${pct(everyDelivery, 50).toFixed(1)} ms, p99 ${pct(everyDelivery, 99).toFixed(1)} ms`);
  console.log(`RESULT live-fanout connections=${CONNECTIONS} last-connection p50=${pct(lastDelivery, 50).toFixed(1)}ms p99=${pct(lastDelivery, 99).toFixed(1)}ms`);
} finally {
  for (const req of sockets) req.destroy();
  await parley.stop();
}
