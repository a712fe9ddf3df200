// The soak's POST sender (bench/soak.bench.ts), in a worker thread of its own: the main thread parses
// what 2,000 live readers receive, and a sender sharing its event loop would measure its own delays
// (timers firing late, answers read late) as the server's.
//
// It behaves like browsers: a bounded number of keep-alive connections, reused for every request (a
// request waits for a free one, as a browser's do), never one per request. Those the server or the
// pool closed while idle (a steady run uses few of them) are opened again before each run, so that a
// run measures the answers, not a thousand connections opened at its start. Each POST is timed from
// the moment it was due, so the sender's own delays count, and are reported apart (`lateMs`).
import { performance as nodePerformance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

export interface PosterSetup {
  url: string;
  headers: Record<string, string>[];
  connections: number;
}
export interface PostRun {
  rate: number;
  seconds: number;
  label: string;
  /** The path to POST to (the soak's article by default). */
  path?: string;
}
export interface Sent {
  status: number;
  /** From the moment the POST was due (its place in the schedule) to its whole answer read. */
  ms: number;
  /** How late this thread handed it to its connection pool, after it was due (part of `ms`). */
  lateMs: number;
  /** performance.timeOrigin + performance.now() when answered: comparable across threads. */
  answeredAt: number;
  id: number | null;
}
/** What the sender itself went through in a run: the client's own part of the figures. */
export interface PosterView {
  /** The share of the run this thread's event loop was busy (0 to 1). */
  utilization: number;
  /** The most requests waiting in the pool for a free connection, sampled every 50 ms. */
  maxQueued: number;
  /** Connections opened and closed during the run (after the warm-up). */
  connects: number;
  disconnects: number;
}
export interface PostResult {
  sent: Sent[];
  poster: PosterView;
}

const setup = (workerData as { setup: PosterSetup }).setup;
const pool = new Pool(setup.url, { connections: setup.connections, pipelining: 1 });
let connects = 0;
let disconnects = 0;
pool.on('connect', () => connects++);
pool.on('disconnect', () => disconnects++);
const now = () => performance.timeOrigin + performance.now();

/**
 * One request through undici's dispatcher, its answer gathered as text. The sender's CPU per request is
 * part of what the client measures on a shared machine: this takes about a fifth less than
 * `pool.request()` (no body stream, no abort signal per request; 58 against 70 µs measured here).
 */
function send(path: string, method: 'GET' | 'POST', headers?: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    // The handler's callbacks as Pool.dispatch() takes them in undici 7 (the newer onResponse* names
    // are only for interceptors).
    pool.dispatch(
      { path, method, headers, body },
      {
        onConnect: () => undefined,
        onHeaders: (statusCode) => {
          status = statusCode;
          return true;
        },
        onData: (chunk) => {
          chunks.push(chunk);
          return true;
        },
        onComplete: () => resolve({ status, text: chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString() }),
        onError: reject,
      },
    );
  });
}

/** Opens every connection (a request on each at once), so that a run does not measure the opening. */
async function warm(): Promise<void> {
  await Promise.all(Array.from({ length: setup.connections }, () => send('/livez', 'GET').catch(() => null)));
}

/** POSTs at `rate` per second for `seconds`, open-loop (each on its schedule), round-robin over the authors. */
async function post({ rate, seconds, label, path = '/api/v1/articles/soak-story/comments' }: PostRun): Promise<PostResult> {
  await warm();
  const results: Promise<Sent>[] = [];
  const connectsBefore = connects;
  const disconnectsBefore = disconnects;
  const eluBefore = nodePerformance.eventLoopUtilization();
  let maxQueued = 0;
  const sampler = setInterval(() => (maxQueued = Math.max(maxQueued, pool.stats.queued)), 50);
  const start = performance.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // Timed from when it was due, not from when this thread got round to it: a sender that falls
    // behind its schedule keeps its client waiting too, and `lateMs` says how much of it was ours.
    const lateMs = Math.max(0, performance.now() - due);
    results.push(
      send(path, 'POST', setup.headers[i % setup.headers.length], JSON.stringify({ body: `${label} comment ${i}: ${Math.random().toString(36).slice(2)}` }))
        .then(({ status, text }) => {
          const ms = performance.now() - due;
          const id = status === 201 ? (JSON.parse(text) as { comment: { id: number } }).comment.id : null;
          return { status, ms, lateMs, answeredAt: now(), id };
        })
        .catch(() => ({ status: 0, ms: performance.now() - due, lateMs, answeredAt: now(), id: null })),
    );
  }
  const sent = await Promise.all(results);
  clearInterval(sampler);
  const utilization = nodePerformance.eventLoopUtilization(nodePerformance.eventLoopUtilization(), eluBefore).utilization;
  return { sent, poster: { utilization, maxQueued, connects: connects - connectsBefore, disconnects: disconnects - disconnectsBefore } };
}

parentPort!.on('message', (message: PostRun | 'close') => {
  if (message === 'close') {
    void pool.close().then(() => parentPort!.close());
    return;
  }
  void post(message).then((result) => parentPort!.postMessage(result));
});
// Opened before the soak measures the server's memory too, so that its growth is not the connections'.
await warm();
parentPort!.postMessage('ready');
