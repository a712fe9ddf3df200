import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import type { Metrics } from './metrics.ts';

// Load shedding. Past saturation, queueing makes every request slow and many time out; refusing the
// excess at once keeps the accepted ones fast. New writes are refused (503 + Retry-After, before their
// body is read; reads go on, and cached pages never reach Fastify) while
// - the writes of the last half second all took longer than SHED_WRITE_LATENCY_MS (from their body
//   being read to their answer): a standing queue, as CoDel sees one — a single slow write does not
//   count, only a window in which none was fast;
// - SHED_MAX_WRITES writes are in progress;
// - the event loop has lagged past SHED_EVENT_LOOP_DELAY_MS for two windows in a row.
//
// Why not @fastify/under-pressure: it judges by the mean delay of one window, so a single long pause
// (start-up compiling the views, a large import) refuses every write for the next window although
// nothing is queued; and it cannot see a queue that forms in the database rather than in the loop.

const RETRY_AFTER_S = 5;
const WINDOW_MS = 500;
const RESOLUTION_MS = 10;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isWrite = (request: FastifyRequest) => !READS.has(request.method);

function overloaded(): HttpError {
  return new HttpError(503, 'overloaded', 'The site is too busy right now. Please try again in a few seconds.', { 'retry-after': String(RETRY_AFTER_S) });
}

/** Whether the event loop has been saturated for two windows in a row (median delay past the bound). */
export class LagMonitor {
  private readonly histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly timer: NodeJS.Timeout;
  private previousOver = false;
  saturated = false;
  /** The median delay of the last window, in milliseconds. */
  lagMs = 0;

  constructor(private readonly boundMs: number) {
    this.histogram.enable();
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      // A loop blocked for the whole window took no sample but the late firing of this timer.
      const median = this.histogram.count > 0 ? this.histogram.percentile(50) / 1e6 - RESOLUTION_MS : now - last - WINDOW_MS;
      last = now;
      this.histogram.reset();
      this.lagMs = Math.max(0, median);
      const over = this.lagMs > this.boundMs;
      this.saturated = over && this.previousOver;
      this.previousOver = over;
    }, WINDOW_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}

/** Whether writes stand in a queue: every write answered in the last window took longer than the target. */
export class WriteLatencyMonitor {
  private readonly timer: NodeJS.Timeout;
  private windowMin = Infinity;
  private completions = 0;
  private readonly inFlight = new Set<{ startedAt: number }>();
  saturated = false;

  constructor(private readonly targetMs: number) {
    this.timer = setInterval(() => this.tick(), WINDOW_MS);
    this.timer.unref();
  }

  /** A write whose body has been read; call the result when it is answered. */
  begin(): () => void {
    const entry = { startedAt: performance.now() };
    this.inFlight.add(entry);
    return () => {
      if (!this.inFlight.delete(entry)) return;
      this.completions++;
      this.windowMin = Math.min(this.windowMin, performance.now() - entry.startedAt);
    };
  }

  tick(now = performance.now()): void {
    if (this.completions > 0) {
      this.saturated = this.windowMin > this.targetMs;
    } else {
      // Nothing finished: saturated only if something has been waiting longer than the target.
      let oldest = Infinity;
      for (const entry of this.inFlight) oldest = Math.min(oldest, entry.startedAt);
      this.saturated = now - oldest > this.targetMs;
    }
    this.windowMin = Infinity;
    this.completions = 0;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export function installLoadShedding(app: FastifyInstance, ctx: AppContext, metrics: Metrics): void {
  const { shedEventLoopDelayMs, shedMaxWrites, shedWriteLatencyMs } = ctx.config.ops;
  const lag = new LagMonitor(shedEventLoopDelayMs);
  const latency = new WriteLatencyMonitor(shedWriteLatencyMs);
  app.addHook('onClose', async () => {
    lag.stop();
    latency.stop();
  });

  let inProgress = 0;
  const shed = (reason: string) => {
    metrics.shed.inc({ reason });
    return overloaded();
  };
  app.addHook('onRequest', async (request, reply) => {
    if (!isWrite(request)) return;
    if (latency.saturated) throw shed('writeLatency');
    if (lag.saturated) throw shed('eventLoopDelay');
    if (inProgress >= shedMaxWrites) throw shed('writesInProgress');
    inProgress++;
    // 'close' comes once for every response, answered or abandoned.
    reply.raw.once('close', () => inProgress--);
  });
  // Latency is measured from the body being read, so a client's slow upload is not the server's queue.
  app.addHook('preValidation', async (request, reply) => {
    if (!isWrite(request)) return;
    reply.raw.once('close', latency.begin());
  });
}
