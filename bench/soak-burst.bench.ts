// Issue 12: how long the server's event loop is held while a burst of comment POSTs is written, the
// cause of shed requests waiting unread in their sockets past saturation (bench/soak.bench.ts). One
// `parley serve` (SQLite, synchronous=FULL) with load shedding off, so that every POST of the burst
// reaches the group commit (src/events/group-commit.ts); BENCH_BURST POSTs are sent at once, from
// as many connections, while a probe asks for /livez every 10 ms on a connection of its own.
// Reports the server's longest event-loop delay during the burst (its own histogram, reset by the
// scrape before), the probe's answer times (a request the server has no work for: what it waits is
// the loop being held), the server's CPU per POST, and POSTs per commit (the group commit's batches,
// diluted by the commits of the event subscribers that follow them).
import os from 'node:os';
import { Pool } from 'undici';
import { NO_LOOP_SHEDDING, startParley } from './lib.ts';
import { postingHeaders, postingSite } from './comments-fixtures.ts';

const BURST = Number(process.env.BENCH_BURST ?? 400);
const ROUNDS = Number(process.env.BENCH_BURST_ROUNDS ?? 3);
const AUTHORS = 200;

const { dataDir, authors } = await postingSite('parley-bench-burst-', 'burst-story', AUTHORS);

const METRICS_TOKEN = 'burst-bench-metrics-token';
const noShedding = { ...NO_LOOP_SHEDDING, SHED_MAX_WRITES: '100000', SHED_WRITE_LATENCY_MS: '60000' };
const parley = await startParley(Number(process.env.BENCH_PORT ?? 3997), { SQLITE_SYNCHRONOUS: 'FULL', PARLEY_SEED_EXAMPLE: '0', LOG_LEVEL: 'warn', METRICS_TOKEN, ...noShedding }, dataDir);

const pct = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** The server's longest event-loop delay since the last scrape, and its commits so far. */
async function serverView(): Promise<{ lagMaxMs: number; commits: number }> {
  const text = await (await fetch(`${parley.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return {
    lagMaxMs: Number(/^nodejs_eventloop_lag_max_seconds ([\d.e+-]+)$/m.exec(text)?.[1] ?? Number.NaN) * 1000,
    commits: Number(/^parley_db_commit_duration_seconds_count\{outcome="ok"\} (\d+)$/m.exec(text)?.[1] ?? Number.NaN),
  };
}

try {
  const headers = await postingHeaders(parley.url, authors);
  const pool = new Pool(parley.url, { connections: BURST, pipelining: 1 });
  const probe = new Pool(parley.url, { connections: 1, pipelining: 1 });
  // Open the connections first, so that the bursts do not measure the kernel's accept backlog.
  await Promise.all(Array.from({ length: BURST }, () => pool.request({ path: '/livez', method: 'GET' }).then((res) => res.body.text()).catch(() => '')));
  let sent = 0;
  const burst = () =>
    Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        pool
          .request({ path: '/api/v1/articles/burst-story/comments', method: 'POST', headers: headers[i % AUTHORS], body: JSON.stringify({ body: `Burst comment ${sent++}: ${Math.random().toString(36).slice(2)}` }) })
          .then(async (res) => {
            await res.body.text();
            return res.statusCode;
          })
          // A connection reset by an overloaded machine counts as no answer, as in the soak.
          .catch(() => 0),
      ),
    );
  // One burst to warm the write path up (V8 compiles it in the first seconds of load).
  await burst();
  for (let round = 1; round <= ROUNDS; round++) {
    await new Promise((r) => setTimeout(r, 1000));
    const before = await serverView();
    const probes: number[] = [];
    let bursting = true;
    const probing = (async () => {
      while (bursting) {
        const started = performance.now();
        await probe
          .request({ path: '/livez', method: 'GET' })
          .then((res) => res.body.text())
          .catch(() => '');
        probes.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const cpuBefore = parley.cpuSeconds();
    const started = performance.now();
    const statuses = await burst();
    const ms = performance.now() - started;
    const cpuAfter = parley.cpuSeconds();
    bursting = false;
    await probing;
    const after = await serverView();
    const lagMax = after.lagMaxMs;
    const created = statuses.filter((s) => s === 201).length;
    const unanswered = statuses.filter((s) => s === 0).length;
    const cpuPerPost = cpuBefore !== null && cpuAfter !== null ? ((cpuAfter - cpuBefore) / BURST) * 1e6 : Number.NaN;
    console.log(
      `round ${round}: ${BURST} POSTs at once, ${created} created${unanswered ? ` (${unanswered} without an answer)` : ''} in ${ms.toFixed(0)} ms; server event-loop delay max ${lagMax.toFixed(0)} ms; ` +
        `/livez probe p50 ${pct(probes, 50).toFixed(1)} ms max ${Math.max(...probes).toFixed(1)} ms (${probes.length}); server CPU per POST ${cpuPerPost.toFixed(0)} µs; ${(BURST / (after.commits - before.commits)).toFixed(1)} POSTs per commit (subscribers' commits included); load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
  }
  await pool.close();
  await probe.close();
} finally {
  await parley.stop();
}
