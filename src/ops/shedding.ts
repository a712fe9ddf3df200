import { monitorEventLoopDelay, performance as nodePerformance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { liveHub } from '../events/live.ts';
import { HttpError } from '../http/errors.ts';
import type { Metrics } from './metrics.ts';
import { WriteAdmission, type Refusal, type Release } from './write-admission.ts';

// Load shedding. Past saturation, queueing makes every request slow and many time out; refusing the
// excess at once keeps the accepted ones fast. Reads go on (cached pages never reach Fastify); a new
// write gets 503 + Retry-After
// - when no slot frees up for it within QUEUE_MS: writes hold a slot from their body being read to
//   their answer, and the number of slots adapts so that the admitted ones are answered within
//   SHED_WRITE_LATENCY_MS, up to SHED_MAX_WRITES (write-admission.ts);
// - before its body is read, when the oldest write in progress has waited past SHED_WRITE_LATENCY_MS
//   and none was answered within it lately (a standing queue, as CoDel sees one: a single slow write
//   among fast ones does not count), or when the slots and the wait for them are full;
// - before its body is read, while the event loop has lagged past SHED_EVENT_LOOP_DELAY_MS for two
//   windows in a row (work that is not a write, such as a burst of page renders);
// - before its body is read, while the event loop has been busy more than SHED_EVENT_LOOP_UTILIZATION
//   of the time for two windows in a row. Lag shows a loop that is already behind; utilisation shows
//   one about to be. Requests wait in the sockets' buffers, unread and unseen by every other signal
//   here, as soon as the loop has no idle time left to read them: clients then measure seconds where
//   the server measures milliseconds. Keeping some of the loop idle keeps those buffers empty, so the
//   refusals (which cost microseconds) and the admitted writes are both answered at once;
// - before its body is read, while the live hub is more than SHED_LIVE_DELAY_MS behind in writing the
//   commits to the open pages (events/live.ts): a comment's answer is fast, but writing it to every
//   reader of its article comes after, so with thousands of readers that work is what saturates the
//   process, and the POSTs' own answer times show it only once everything waits.
//
// Why not @fastify/under-pressure: it judges by the mean delay of one window, so a single long pause
// (start-up compiling the views, a large import) refuses every write for the next window although
// nothing is queued; and by the time the loop lags, what was admitted already waits.

const RETRY_AFTER_S = 5;
/** Short enough that a refused write is still answered at once (well under 50 ms). */
const QUEUE_MS = 20;
const WINDOW_MS = 500;
const RESOLUTION_MS = 10;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isWrite = (request: FastifyRequest) => !READS.has(request.method);

function overloaded(): HttpError {
  return HttpError.translated(503, 'overloaded', 'errors.overloaded', undefined, { 'retry-after': String(RETRY_AFTER_S) });
}

/**
 * Whether the event loop has been saturated for two windows in a row: its median delay past the
 * bound (`saturated`), or its utilisation past the bound (`busy`).
 */
export class LagMonitor {
  private readonly histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly timer: NodeJS.Timeout;
  private previousOver = false;
  private previousBusy = false;
  saturated = false;
  busy = false;
  /** The median delay of the last window, in milliseconds. */
  lagMs = 0;
  /** The share of the last window the loop spent running code (0 to 1). */
  utilization = 0;

  constructor(
    private readonly boundMs: number,
    private readonly maxUtilization = 1,
  ) {
    this.histogram.enable();
    let last = performance.now();
    let lastElu = nodePerformance.eventLoopUtilization();
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
      const elu = nodePerformance.eventLoopUtilization();
      this.utilization = nodePerformance.eventLoopUtilization(elu, lastElu).utilization;
      lastElu = elu;
      const busy = this.maxUtilization < 1 && this.utilization > this.maxUtilization;
      this.busy = busy && this.previousBusy;
      this.previousBusy = busy;
    }, WINDOW_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}

export function installLoadShedding(app: FastifyInstance, ctx: AppContext, metrics: Metrics | null): WriteAdmission {
  const { shedEventLoopDelayMs, shedEventLoopUtilization, shedMaxWrites, shedWriteLatencyMs, shedLiveDelayMs } = ctx.config.ops;
  const hub = liveHub(ctx);
  const lag = new LagMonitor(shedEventLoopDelayMs, shedEventLoopUtilization);
  const admission = new WriteAdmission({ maxLimit: shedMaxWrites, targetMs: shedWriteLatencyMs, queueMs: QUEUE_MS });
  metrics?.watchWriteAdmission(admission);
  app.addHook('onClose', async () => {
    lag.stop();
    admission.stop();
  });

  const shed = (reason: Refusal | 'eventLoopDelay' | 'eventLoopBusy' | 'liveDelivery') => {
    metrics?.shed.inc({ reason });
    return overloaded();
  };
  // A write's slot is given back when its response closes, answered or abandoned; a client that leaves
  // while its write waits for a slot gets none, or gives it back at once.
  const responses = new WeakMap<FastifyRequest, { closed: boolean; release: Release | null }>();
  // Refused before the body is read when the answer is already clear.
  app.addHook('onRequest', async (request, reply) => {
    if (!isWrite(request)) return;
    if (lag.saturated) throw shed('eventLoopDelay');
    if (lag.busy) throw shed('eventLoopBusy');
    if (hub.deliveryLagMs() > shedLiveDelayMs) throw shed('liveDelivery');
    const refusal = admission.refuseEarly();
    if (refusal) throw shed(refusal);
    const response = { closed: false, release: null as Release | null };
    responses.set(request, response);
    reply.raw.once('close', () => {
      response.closed = true;
      response.release?.();
    });
  });
  // The slot is taken once the body is read, so a client's slow upload holds none.
  app.addHook('preValidation', async (request) => {
    const response = responses.get(request);
    if (!response) return;
    const release = await admission.acquire();
    if (!release) throw shed('writesInProgress');
    if (response.closed) release();
    else response.release = release;
  });
  return admission;
}
