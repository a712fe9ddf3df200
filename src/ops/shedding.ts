import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { liveHub } from '../events/live.ts';
import { isApiRequest } from '../http/errors.ts';
import { htmlLang } from '../i18n/request.ts';
import { textDirection } from '../i18n/index.ts';
import { escapeHtml } from '../ui/page-template.ts';
import type { Metrics } from './metrics.ts';
import { opsState } from './state.ts';
import { WriteAdmission, type Refusal, type Release } from './write-admission.ts';
import { loopUtilization, WriteRate } from './write-rate.ts';

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
// - before its body is read, past a ceiling on the rate of admitted writes that follows the loop's
//   utilisation in tenths of a second, aiming under SHED_WRITE_RATE_UTILIZATION (write-rate.ts):
//   without it the rule above admitted writes in bursts (none while it held, hundreds a second between),
//   and each burst of writes became a burst of deliveries to the open pages;
// - before its body is read, while the live hub is more than SHED_LIVE_DELAY_MS behind in writing the
//   commits to the open pages (events/live.ts): a comment's answer is fast, but writing it to every
//   reader of its article comes after, so with thousands of readers that work is what saturates the
//   process, and the POSTs' own answer times show it only once everything waits.
//
// A refusal is answered by the hook that decides it (all but the wait for a slot decide before the body
// is read and the session looked up), not thrown: an error object (its stack) and the error handler
// took a tenth of the server's time past saturation, and the site's error page is a full render. The
// body is short: the API's error shape, or for a browser's form a small page, each with the request
// id; the connection stays open for the client's next request.
//
// Why not @fastify/under-pressure: it judges by the mean delay of one window, so a single long pause
// (start-up compiling the views, a large import) refuses every write for the next window although
// nothing is queued; and by the time the loop lags, what was admitted already waits.

const RETRY_AFTER_S = 5;
/**
 * Short enough that a refused write is still answered at once: a write refused after this wait has
 * also waited for the loop to read its headers and then its body, so the wait adds to two others.
 */
const QUEUE_MS = 5;
const WINDOW_MS = 500;
const RESOLUTION_MS = 10;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isWrite = (request: FastifyRequest) => !READS.has(request.method);

/** The small page a browser's form gets, by language: the same words for every refusal, but for the request id. */
const refusalPages = new Map<string, [before: string, after: string]>();

function refusalPage(request: FastifyRequest, message: string): string {
  const { locale, t } = request.i18n;
  let page = refusalPages.get(locale);
  if (!page) {
    const text = escapeHtml(message);
    page = [
      `<!doctype html><html lang="${htmlLang(locale)}" dir="${textDirection(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${text}</title></head>` +
        `<body><main><h1>${text}</h1><p class="request-id">${escapeHtml(t('errors.reference'))} <code>`,
      '</code></p></main></body></html>',
    ];
    refusalPages.set(locale, page);
  }
  // Request ids are letters, digits and . _ : - (logging.ts) or UUIDs: nothing to escape.
  return page[0] + request.id + page[1];
}

/**
 * Answers a shed write at once: 503, Retry-After, and our error shape with the request id (or, for a
 * browser's form, a small page). Sent as bytes, so the access log's hook has nothing to add to it.
 */
export function refuse(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const message = request.i18n.t('errors.overloaded');
  reply.code(503).header('retry-after', String(RETRY_AFTER_S)).header('cache-control', 'no-store');
  if (isApiRequest(request) || !request.headers.accept?.includes('text/html')) {
    const body = { error: { code: 'overloaded', message, requestId: request.id } };
    return reply.type('application/json; charset=utf-8').send(Buffer.from(JSON.stringify(body)));
  }
  return reply.type('text/html; charset=utf-8').send(Buffer.from(refusalPage(request, message)));
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
    const utilization = loopUtilization();
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
      this.utilization = utilization();
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
  const { shedEventLoopDelayMs, shedEventLoopUtilization, shedWriteRateUtilization, shedMaxWrites, shedWriteLatencyMs, shedLiveDelayMs } = ctx.config.ops;
  const hub = liveHub(ctx);
  const lag = new LagMonitor(shedEventLoopDelayMs, shedEventLoopUtilization);
  const admission = new WriteAdmission({ maxLimit: shedMaxWrites, targetMs: shedWriteLatencyMs, queueMs: QUEUE_MS });
  const rate = new WriteRate({ targetUtilization: shedWriteRateUtilization });
  opsState(ctx).writeRate = rate;
  metrics?.watchWriteAdmission(admission, rate);
  app.addHook('onClose', async () => {
    lag.stop();
    admission.stop();
    rate.stop();
  });

  const shed = (request: FastifyRequest, reply: FastifyReply, reason: Refusal | 'eventLoopDelay' | 'eventLoopBusy' | 'liveDelivery' | 'writeRate') => {
    metrics?.shed.inc({ reason });
    // Whatever the reason, the writes behind this one should not wait long for a slot either.
    admission.noteRefusal();
    if (reason !== 'writeRate') rate.noteSaturation();
    return refuse(request, reply);
  };
  /** Why a write is refused before its body is read, when the answer is already clear; null: it may go on. */
  const refusedUnread = () => {
    if (lag.saturated) return 'eventLoopDelay';
    if (lag.busy) return 'eventLoopBusy';
    if (hub.deliveryLagMs() > shedLiveDelayMs) return 'liveDelivery';
    return admission.refuseEarly() ?? (rate.take() ? null : 'writeRate');
  };
  // A write's slot is given back when its response closes, answered or abandoned; a client that leaves
  // while its write waits for a slot gets none, or gives it back at once.
  const responses = new WeakMap<FastifyRequest, { closed: boolean; release: Release | null }>();
  app.addHook('onRequest', async (request, reply) => {
    if (!isWrite(request)) return;
    const reason = refusedUnread();
    if (reason) return shed(request, reply, reason);
    const response = { closed: false, release: null as Release | null };
    responses.set(request, response);
    reply.raw.once('close', () => {
      response.closed = true;
      response.release?.();
    });
  });
  // The slot is taken once the body is read, so a client's slow upload holds none.
  app.addHook('preValidation', async (request, reply) => {
    const response = responses.get(request);
    if (!response) return;
    const slot = admission.acquire();
    if (slot instanceof Promise) rate.noteQueueing();
    const release = await slot;
    if (!release) return shed(request, reply, 'writesInProgress');
    if (response.closed) release();
    else response.release = release;
  });
  return admission;
}
