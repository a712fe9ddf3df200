// The soak's POST sender (bench/soak.bench.ts), in a worker thread of its own: the main thread parses
// what 2,000 live readers receive, and a sender sharing its event loop would measure its own delays
// (timers firing late, answers read late) as the server's.
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
}
export interface Sent {
  status: number;
  ms: number;
  /** performance.timeOrigin + performance.now() when answered: comparable across threads. */
  answeredAt: number;
  id: number | null;
}

const setup = (workerData as { setup: PosterSetup }).setup;
// Keep-alive connections, more than the server lets writes queue (SHED_MAX_WRITES), so that the queue
// forms in the server, not here; a new connection per request would queue in the kernel's accept backlog.
const pool = new Pool(setup.url, { connections: setup.connections, pipelining: 1 });
const now = () => performance.timeOrigin + performance.now();

/** POSTs at `rate` per second for `seconds`, open-loop (each on its schedule), round-robin over the authors. */
async function post({ rate, seconds, label }: PostRun): Promise<Sent[]> {
  const results: Promise<Sent>[] = [];
  const start = performance.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sentAt = performance.now();
    results.push(
      pool
        .request({ path: '/api/v1/articles/soak-story/comments', method: 'POST', headers: setup.headers[i % setup.headers.length], body: JSON.stringify({ body: `${label} comment ${i}: ${Math.random().toString(36).slice(2)}` }) })
        .then(async (res) => {
          const ms = performance.now() - sentAt;
          const answeredAt = now();
          const text = await res.body.text();
          const id = res.statusCode === 201 ? (JSON.parse(text) as { comment: { id: number } }).comment.id : null;
          return { status: res.statusCode, ms, answeredAt, id };
        })
        .catch(() => ({ status: 0, ms: performance.now() - sentAt, answeredAt: now(), id: null })),
    );
  }
  return Promise.all(results);
}

// Open the connections first, so neither phase measures the kernel's accept backlog.
await Promise.all(Array.from({ length: setup.connections }, () => pool.request({ path: '/livez', method: 'GET' }).then((res) => res.body.text())));
parentPort!.on('message', (message: PostRun | 'close') => {
  if (message === 'close') {
    void pool.close().then(() => parentPort!.close());
    return;
  }
  void post(message).then((sent) => parentPort!.postMessage(sent));
});
parentPort!.postMessage('ready');
