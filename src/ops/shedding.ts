import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import type { Metrics } from './metrics.ts';

// Load shedding. Past saturation, queueing makes every request slow and many time out; refusing the
// excess at once keeps the accepted ones fast. New writes are refused (503 + Retry-After, before their
// body is read) while too many writes are already in progress, or while the event loop has lagged
// beyond a bound for two sampling windows in a row; reads go on, and cached pages never reach Fastify.
//
// Why not @fastify/under-pressure: it judges by the mean delay of one window, so a single long pause
// (start-up compiling the views, a large import) refuses every write for the next window although
// nothing is queued. The median of two consecutive windows only moves when the loop is busy throughout.

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

export function installLoadShedding(app: FastifyInstance, ctx: AppContext, metrics: Metrics): void {
  const { shedEventLoopDelayMs, shedMaxWrites } = ctx.config.ops;
  const lag = new LagMonitor(shedEventLoopDelayMs);
  app.addHook('onClose', async () => lag.stop());

  let inProgress = 0;
  app.addHook('onRequest', async (request, reply) => {
    if (!isWrite(request)) return;
    if (lag.saturated) {
      metrics.shed.inc({ reason: 'eventLoopDelay' });
      throw overloaded();
    }
    if (inProgress >= shedMaxWrites) {
      metrics.shed.inc({ reason: 'writesInProgress' });
      throw overloaded();
    }
    inProgress++;
    // 'close' comes once for every response, answered or abandoned.
    reply.raw.once('close', () => inProgress--);
  });
}
