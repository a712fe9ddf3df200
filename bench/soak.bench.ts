// Issue 12: a soak. One `parley serve` (SQLite, synchronous=FULL) with BENCH_SOAK_READERS live readers
// (SSE) on one article, and POSTs at a steady BENCH_SOAK_RATE per second for BENCH_SOAK_SECONDS, sent
// open-loop (each on its schedule, whether or not the previous ones were answered) over keep-alive
// connections (bench/soak-poster.ts). Reports the success rate, POST latency p50/p99, delivery from the
// POST's answer to each reader p50/p99, and RSS growth.
// Then the same server beyond saturation (BENCH_SOAK_OVER_RATE POSTs/s for BENCH_SOAK_OVER_SECONDS):
// how fast shed requests (503) are answered and the p99 of the accepted ones, as the client sees them:
// from the moment each POST was due to be sent to its whole answer read, the sender's own delays
// included (and reported apart), with the server's own view from /metrics beside them.
// Last, the floor: the same sender, rate and POSTs against bare node:http refusing each at once
// (bench/shed-floor-server.mjs) while the readers stay connected, so that the figures say how much of a
// shed answer's time is Parley's and how much is this machine's at that moment. A shared machine's own
// load shows in the CPU pressure (/proc/pressure/cpu: the share of the time some task waited for a CPU).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PostResult, PostRun, PosterSetup, PosterView, Sent } from './soak-poster.ts';
import { processCpuSeconds, startParley } from './lib.ts';
import { postingHeaders, postingSite } from './comments-fixtures.ts';

const READERS = Number(process.env.BENCH_SOAK_READERS ?? 2000);
const RATE = Number(process.env.BENCH_SOAK_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 60);
const OVER_RATE = Number(process.env.BENCH_SOAK_OVER_RATE ?? 1500);
const OVER_SECONDS = Number(process.env.BENCH_SOAK_OVER_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_SOAK_CONNECTIONS ?? 1024);
const AUTHORS = 200;
const PORT = Number(process.env.BENCH_PORT ?? 3996);

const { dataDir, authors } = await postingSite('parley-bench-soak-', 'soak-story', AUTHORS);

const METRICS_TOKEN = 'soak-bench-metrics-token';
const parley = await startParley(PORT, { SQLITE_SYNCHRONOUS: 'FULL', PARLEY_SEED_EXAMPLE: '0', LOG_LEVEL: 'warn', METRICS_TOKEN }, dataDir);

/** The server's own view: its shed count, event-loop lag and the POST route's latency. */
async function serverView(): Promise<string> {
  const text = await (await fetch(`${parley.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const pick = (pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[0]).join(', ');
  // The server's own answer times (from the request's arrival to its answer) for the comment POSTs:
  // the client's figures include its own delays when it is the busier process.
  const route = 'route="/api/v1/articles/:slug/comments"';
  const value = (name: string, le: string | null, status: number) =>
    Number(new RegExp(`^${name}\\{${le ? `le="${le}",` : ''}method="POST",${route.replace(/[/:]/g, (c) => `\\${c}`)},status="${status}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  const share = (le: string, status: number) => {
    const total = value('parley_http_request_duration_seconds_count', null, status);
    return total ? `${((100 * value('parley_http_request_duration_seconds_bucket', le, status)) / total).toFixed(1)} % of ${total}` : 'none';
  };
  return [
    pick(/^(parley_shed_requests_total\{[^}]*\} \d+|nodejs_eventloop_lag_p(50|99)_seconds [\d.e-]+)$/gm),
    `server-side: 503 answered within 5 ms: ${share('0.005', 503)}, 10 ms: ${share('0.01', 503)}, 25 ms: ${share('0.025', 503)}, 50 ms: ${share('0.05', 503)}; 201 answered within 1 s: ${share('1', 201)}`,
  ].join('; ');
}
/** Samples the server's write admission (limit, in progress, waiting) every second while `running()`. */
function sampleAdmission(running: () => boolean): Promise<string> {
  const samples: string[] = [];
  return (async () => {
    while (running()) {
      await new Promise((r) => setTimeout(r, 1000));
      const text = await fetch(`${parley.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
        .then((res) => res.text())
        .catch(() => '');
      const slot = (state: string) => new RegExp(`^parley_write_slots\\{state="${state}"\\} (\\d+)`, 'm').exec(text)?.[1];
      samples.push(`${slot('limit') ?? '-'}/${slot('in_progress') ?? '-'}/${slot('waiting') ?? '-'}`);
    }
    return samples.join(' ');
  })();
}

/** `figure` of the POSTs due in each second of a phase, in order (when a tail comes, not only how long it is). */
function bySecond(sent: Sent[], figure: (group: Sent[]) => string): string[] {
  const dueAt = (s: Sent) => s.answeredAt - s.ms;
  const start = Math.min(...sent.map(dueAt));
  const groups: Sent[][] = [];
  for (const s of sent) (groups[Math.floor((dueAt(s) - start) / 1000)] ??= []).push(s);
  return Array.from(groups, (group) => (group?.length ? figure(group) : '-'));
}

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const arrivals = new Map<number, number[]>();
let timeDeliveries = true;
const sockets: http.ClientRequest[] = [];

function listen(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${parley.url}/api/v1/articles/soak-story/live`, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`live answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        // Beyond saturation only the POSTs' answers are measured: the readers drain their streams unread,
        // so that this process does not become the slowest part of the test.
        if (!timeDeliveries) return;
        const now = performance.timeOrigin + performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const match = /event: comment\.created\ndata: \{"comment":\{"id":(\d+)/.exec(frame);
          if (match) {
            const id = Number(match[1]);
            const list = arrivals.get(id) ?? [];
            list.push(now);
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
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

function serverPid(): number {
  // The server is the only child of this process listening on the port; find it by its command line.
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const env = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (cmd.includes('parley.js') && cmd.includes('serve') && env.includes(`DATA_DIR=${dataDir}`)) return Number(entry);
    } catch {
      // gone or not ours
    }
  }
  throw new Error('the server process was not found');
}

/** "503: 12, no answer: 3" for the answers given. */
function statusCounts(sent: Sent[]): string[] {
  const counts = new Map<string, number>();
  for (const s of sent) counts.set(String(s.status || 'no answer'), (counts.get(String(s.status || 'no answer')) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${status}: ${n}`);
}

/** The sender's own part in the client's figures: how late it sent, how busy it was, its connections. */
function clientView(sent: Sent[], view: PosterView): string {
  const late = sent.map((s) => s.lateMs);
  return (
    `sender late p50 ${pct(late, 50).toFixed(1)} ms p99 ${pct(late, 99).toFixed(1)} ms, its event loop busy ${(100 * view.utilization).toFixed(0)} %, ` +
    `at most ${view.maxQueued} requests waiting for a connection, ${view.connects} connections opened and ${view.disconnects} closed`
  );
}

// The kernel's counters for connections it could not take at once: a connection whose SYN is dropped
// waits 1 s, then 2 s more, for its client's retries, which would show as shed answers of 1 s and 3 s.
const TCP_COUNTERS = ['ListenOverflows', 'ListenDrops', 'TCPReqQFullDrop', 'SyncookiesSent', 'TCPSynRetrans'];

/** TcpExt counters since boot (/proc/net/netstat; empty elsewhere). */
function tcpCounters(): Map<string, number> {
  const counters = new Map<string, number>();
  try {
    const lines = fs.readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((line) => line.startsWith('TcpExt:'));
    const names = lines[0]!.split(/\s+/);
    const values = lines[1]!.split(/\s+/);
    for (const name of TCP_COUNTERS) if (names.includes(name)) counters.set(name, Number(values[names.indexOf(name)]));
  } catch {
    // not Linux
  }
  return counters;
}

/** "ListenOverflows +0, …" since `before`. */
function tcpCountersSince(before: Map<string, number>): string {
  const after = tcpCounters();
  return after.size === 0 ? 'unknown' : [...after].map(([name, value]) => `${name} +${value - (before.get(name) ?? 0)}`).join(', ');
}

/** Microseconds some task has waited for a CPU since boot (Linux PSI; null elsewhere). */
function cpuPressureUs(): number | null {
  try {
    return Number(/^some .*total=(\d+)/m.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'))![1]);
  } catch {
    return null;
  }
}

/**
 * The CPU the server (null: none) and this process (readers and sender) use from now to the call of the
 * returned function, in cores and per request, and the machine's CPU pressure meanwhile.
 */
function phaseCpu(pid: number | null): (requests: number) => string {
  const started = performance.now();
  const server = pid === null ? null : processCpuSeconds(pid);
  const own = process.cpuUsage();
  const pressure = cpuPressureUs();
  return (requests) => {
    const seconds = (performance.now() - started) / 1000;
    const ownUsage = process.cpuUsage(own);
    const ownSeconds = (ownUsage.user + ownUsage.system) / 1e6;
    const parts: string[] = [];
    if (pid !== null) {
      const serverSeconds = (processCpuSeconds(pid) ?? Number.NaN) - (server ?? Number.NaN);
      parts.push(`server ${(serverSeconds / seconds).toFixed(2)} cores (${((serverSeconds / requests) * 1e6).toFixed(0)} µs per POST)`);
    }
    parts.push(`load generator ${(ownSeconds / seconds).toFixed(2)} cores (${((ownSeconds / requests) * 1e6).toFixed(0)} µs per POST)`);
    const after = cpuPressureUs();
    if (pressure !== null && after !== null) parts.push(`CPU pressure ${((100 * (after - pressure)) / 1e6 / seconds).toFixed(0)} %`);
    return `${parts.join(', ')}, over ${seconds.toFixed(1)} s`;
  };
}

/** A POST sender in a thread of its own, its connections to `url` opened before each run. */
async function startPoster(url: string, headers: Record<string, string>[]): Promise<Worker> {
  const setup: PosterSetup = { url, headers, connections: CONNECTIONS };
  const poster = new Worker(new URL('../src/migrate-comments/worker-boot.mjs', import.meta.url), {
    workerData: { module: new URL('./soak-poster.ts', import.meta.url).href, setup },
  });
  await new Promise((resolve, reject) => {
    poster.once('message', resolve);
    poster.once('error', reject);
  });
  return poster;
}

/** The floor server (bench/shed-floor-server.mjs) on `port`, once it answers. */
async function startFloorServer(port: number): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'shed-floor-server.mjs'), String(port)], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    const up = await fetch(`${url}/livez`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (tries > 100) throw new Error('the floor server did not come up');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Runs one phase of POSTs in the sender thread. */
function post(poster: Worker, run: PostRun): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    poster.once('message', resolve);
    poster.once('error', reject);
    poster.postMessage(run);
  });
}

try {
  const pid = serverPid();
  for (let i = 0; i < READERS; i += 100) await Promise.all(Array.from({ length: Math.min(100, READERS - i) }, listen));
  console.log(`${READERS} live readers connected`);

  const headers = await postingHeaders(parley.url, authors);
  const poster = await startPoster(parley.url, headers);
  await new Promise((r) => setTimeout(r, 2000));
  const rssBefore = rssMb(pid);
  const loadBefore = os.loadavg()[0]!;

  const { sent: steady, poster: steadyPoster } = await post(poster, { rate: RATE, seconds: SECONDS, label: 'steady' });
  await new Promise((r) => setTimeout(r, 3000));
  const rssAfter = rssMb(pid);
  const ok = steady.filter((s) => s.status === 201);
  const deliveries: number[] = [];
  let missing = 0;
  for (const s of ok) {
    const times = arrivals.get(s.id!) ?? [];
    missing += READERS - times.length;
    for (const t of times) deliveries.push(Math.max(0, t - s.answeredAt));
  }
  console.log(
    `steady: ${steady.length} POSTs at ${RATE}/s for ${SECONDS} s with ${READERS} live readers: ` +
      `success ${((100 * ok.length) / steady.length).toFixed(1)} %${ok.length < steady.length ? ` (others ${statusCounts(steady.filter((x) => x.status !== 201)).join(', ')})` : ''}, POST p50 ${pct(ok.map((s) => s.ms), 50).toFixed(1)} ms p99 ${pct(ok.map((s) => s.ms), 99).toFixed(1)} ms, ` +
      `delivery p50 ${pct(deliveries, 50).toFixed(1)} ms p99 ${pct(deliveries, 99).toFixed(1)} ms (${deliveries.length} deliveries, ${missing} missing), ` +
      `RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB (${(((rssAfter - rssBefore) / rssBefore) * 100).toFixed(1)} %), load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`,
  );

  console.log(`  client: ${clientView(steady, steadyPoster)}`);

  timeDeliveries = false;
  let overRunning = true;
  const admission = sampleAdmission(() => overRunning);
  const tcpBefore = tcpCounters();
  const cpu = phaseCpu(pid);
  const { sent: over, poster: overPoster } = await post(poster, { rate: OVER_RATE, seconds: OVER_SECONDS, label: 'over' });
  const overCpu = cpu(over.length);
  const tcp = tcpCountersSince(tcpBefore);
  overRunning = false;
  const accepted = over.filter((s) => s.status === 201);
  const shed = over.filter((s) => s.status === 503);
  const other = over.length - accepted.length - shed.length;
  const otherStatuses = statusCounts(over.filter((s) => s.status !== 201 && s.status !== 503));
  console.log(
    `beyond saturation: ${over.length} POSTs at ${OVER_RATE}/s for ${OVER_SECONDS} s: ${accepted.length} accepted (p50 ${pct(accepted.map((s) => s.ms), 50).toFixed(1)} ms, p99 ${pct(accepted.map((s) => s.ms), 99).toFixed(1)} ms), ` +
      `${shed.length} shed with 503 (p50 ${pct(shed.map((s) => s.ms), 50).toFixed(1)} ms, p99 ${pct(shed.map((s) => s.ms), 99).toFixed(1)} ms), ${other} other${other ? ` (${otherStatuses.join(', ')})` : ''}; ` +
      `connections the kernel did not take at once (each waits 1 s or more for its client's retry): ${tcp}; load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log(`client: ${clientView(over, overPoster)}; CPU of the whole phase: ${overCpu}`);
  console.log(`shed p99 each second (ms): ${bySecond(shed, (group) => pct(group.map((s) => s.ms), 99).toFixed(0)).join(' ')}`);
  console.log(`accepted each second: ${bySecond(over, (group) => String(group.filter((s) => s.status === 201).length)).join(' ')}`);
  console.log(`shed answers over 50 ms each second (of ${Math.ceil(shed.length / 100)} the p99 allows): ${bySecond(shed, (group) => String(group.filter((s) => s.ms > 50).length)).join(' ')}`);
  console.log(`server: ${await serverView()}`);
  console.log(`write admission each second (limit/in progress/waiting): ${await admission}`);
  poster.postMessage('close');

  // The floor: the same POSTs from the same sender at the same rate, refused at once by bare node:http.
  const floorServer = await startFloorServer(PORT + 1);
  const floorPoster = await startPoster(floorServer.url, headers);
  const floorCpu = phaseCpu(floorServer.pid);
  const { sent: floor, poster: floorView } = await post(floorPoster, { rate: OVER_RATE, seconds: OVER_SECONDS, label: 'floor' });
  const floorFigures = floorCpu(floor.length);
  floorPoster.postMessage('close');
  await floorServer.stop();
  const floorAnswered = floor.filter((s) => s.status === 503);
  console.log(
    `floor (bare node:http refusing the same POSTs): ${floorAnswered.length} of ${floor.length} answered, p50 ${pct(floorAnswered.map((s) => s.ms), 50).toFixed(1)} ms p99 ${pct(floorAnswered.map((s) => s.ms), 99).toFixed(1)} ms; ` +
      `client: ${clientView(floor, floorView)}; CPU: ${floorFigures}`,
  );
  console.log(
    `RESULT soak success=${((100 * ok.length) / steady.length).toFixed(1)}% post-p99=${pct(ok.map((s) => s.ms), 99).toFixed(0)}ms delivery-p99=${pct(deliveries, 99).toFixed(0)}ms rss-growth=${(((rssAfter - rssBefore) / rssBefore) * 100).toFixed(1)}% ` +
      `shed=${shed.length} shed-p99=${pct(shed.map((s) => s.ms), 99).toFixed(0)}ms accepted-p99=${pct(accepted.map((s) => s.ms), 99).toFixed(0)}ms floor-p99=${pct(floorAnswered.map((s) => s.ms), 99).toFixed(0)}ms`,
  );
} finally {
  for (const req of sockets) req.destroy();
  await parley.stop();
}
