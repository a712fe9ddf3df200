// Shared benchmark plumbing: servers in child processes (so the load generator does not steal the
// server's event loop), autocannon runs, alternating rounds so machine noise hits both sides alike.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

export const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * Load shedding's rules on the event loop and live delivery off, for the benches that measure the
 * write path or memory rather than admission (soak.bench.ts measures that): on a busy machine those
 * rules refuse POSTs with 503, as they should on a saturated server.
 */
export const NO_LOOP_SHEDDING = { SHED_EVENT_LOOP_UTILIZATION: '1', SHED_EVENT_LOOP_DELAY_MS: '60000', SHED_LIVE_DELAY_MS: '60000' } as const;

export interface Server {
  url: string;
  stop(): Promise<void>;
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server at ${url} did not come up`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
}

/** A bare node:http hello world, the yardstick for "how fast can this machine answer at all". */
export async function startHelloServer(port: number): Promise<Server> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bench', 'hello-server.mjs'), String(port)], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url);
  return { url, stop: stopper(child) };
}

/** Bare node:http answering every request with this body and these headers (see same-bytes-server.mjs). */
export async function startSameBytesServer(port: number, body: Buffer, headers: Record<string, string>): Promise<Server> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-bytes-'));
  fs.writeFileSync(path.join(dir, 'body'), body);
  fs.writeFileSync(path.join(dir, 'headers.json'), JSON.stringify(headers));
  const child = spawn(process.execPath, [path.join(ROOT, 'bench', 'same-bytes-server.mjs'), String(port), path.join(dir, 'body'), path.join(dir, 'headers.json')], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url);
  return {
    url,
    async stop() {
      await stopper(child)();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Parley as `npm start` runs it, on a fresh SQLite data dir (optionally prepared by `prepare`). */
/**
 * CPU time (user + system) a process has used so far, in seconds, from /proc (Linux; null elsewhere).
 * Throughput ratios depend on the disk's fsync cost; CPU per request does not, so benches report both.
 */
export function processCpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces, hence the last ')'): utime is the 12th, stime the 13th.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
// USER_HZ: 100 on every Linux architecture Node runs on (sysconf(_SC_CLK_TCK) is not reachable from Node).
const CLOCK_TICKS_PER_SECOND = 100;

/** A process's resident memory now, in MB, from /proc (Linux; NaN elsewhere). */
export function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** A process's peak resident memory so far (VmHWM), in MB, from /proc (Linux; NaN once it has exited). */
export function peakRssMb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** The processes `pid` started, from /proc (Linux). */
export function childPids(pid: number): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((child) => {
    try {
      // The parent's id is the second field after the command name (which may hold spaces, hence the last ')').
      return Number(fs.readFileSync(`/proc/${child}/stat`, 'utf8').split(')').pop()!.trim().split(' ')[1]) === pid;
    } catch {
      return false;
    }
  });
}

export async function startParley(port: number, env: Record<string, string> = {}, dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'))): Promise<Server & { dataDir: string; pid: number; cpuSeconds(): number | null }> {
  // BENCH_NODE_ARGS profiles the server under the bench's load, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'bin', 'parley.js'), 'serve'], {
    stdio: 'inherit',
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/healthz`);
  return {
    url,
    dataDir,
    pid: child.pid!,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    async stop() {
      await stopper(child)();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Requests answered in all. */
  total: number;
  latencyP50: number;
  latencyP99: number;
  non2xx: number;
  errors: number;
}

export async function load(url: string, options: { connections?: number; durationSeconds?: number; requests?: autocannon.Request[]; headers?: Record<string, string> } = {}): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections ?? 20,
    duration: options.durationSeconds ?? 5,
    headers: options.headers,
    requests: options.requests,
  });
  return {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Runs `a` and `b` in alternating rounds and returns the mean req/s of each and the ratio b/a. */
export async function alternate(
  label: string,
  a: { name: string; run: () => Promise<LoadResult> },
  b: { name: string; run: () => Promise<LoadResult> },
  rounds = 3,
): Promise<{ a: number; b: number; ratio: number }> {
  const sums = { a: 0, b: 0 };
  for (let round = 1; round <= rounds; round++) {
    const ra = await a.run();
    const rb = await b.run();
    if (ra.non2xx || ra.errors || rb.non2xx || rb.errors) {
      throw new Error(`${label}: failed requests in round ${round} (${a.name}: ${ra.non2xx} non-2xx/${ra.errors} errors, ${b.name}: ${rb.non2xx}/${rb.errors})`);
    }
    sums.a += ra.requestsPerSecond;
    sums.b += rb.requestsPerSecond;
    console.log(`  round ${round}: ${a.name} ${ra.requestsPerSecond.toFixed(0)} req/s, ${b.name} ${rb.requestsPerSecond.toFixed(0)} req/s`);
  }
  const result = { a: sums.a / rounds, b: sums.b / rounds, ratio: sums.b / sums.a };
  console.log(`${label}: ${b.name} / ${a.name} = ${result.ratio.toFixed(2)} (${result.b.toFixed(0)} vs ${result.a.toFixed(0)} req/s, mean of ${rounds} alternating rounds)`);
  return result;
}
