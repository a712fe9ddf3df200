import type { IncomingMessage, ServerResponse } from 'node:http';
import { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AppContext } from '../context.ts';
import { installHealthRoutes } from './health.ts';
import { requestIdFor } from './logging.ts';
import { escapeHtml } from '../ui/page-template.ts';
import type { Metrics } from './metrics.ts';
import { installLoadShedding } from './shedding.ts';
import { opsState } from './state.ts';

// Operations for the HTTP server, in one place: request ids, the access log, metrics, health,
// load shedding, timeouts for slow clients. server.ts calls opsServerOptions() and installOps().

const REQUEST_ID = Symbol('parley.requestId');
const ROUTE = Symbol('parley.route');
const STARTED = Symbol('parley.started');

type TrackedRequest = IncomingMessage & { [REQUEST_ID]?: string; [ROUTE]?: string; [STARTED]?: number };

/** Options for Fastify's constructor: our logger, request ids, no built-in request logging (ours is below). */
export function opsServerOptions(ctx: AppContext): Pick<FastifyServerOptions, 'genReqId' | 'requestIdHeader' | 'logController'> & {
  loggerInstance?: FastifyBaseLogger;
  logger?: boolean;
} {
  const pinoLike = typeof (ctx.log as FastifyBaseLogger).child === 'function';
  return {
    ...(pinoLike ? { loggerInstance: ctx.log as FastifyBaseLogger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: (req) => (req as TrackedRequest)[REQUEST_ID] ?? requestIdFor(req),
  };
}

/** Escapes nothing: ids are checked to be [A-Za-z0-9._:-] (logging.ts) or are UUIDs. */
function withRequestId(payload: unknown, id: string, contentType: string, reference: string): unknown {
  if (typeof payload !== 'string') return payload;
  if (contentType.startsWith('application/json')) {
    try {
      const body = JSON.parse(payload) as { error?: Record<string, unknown> };
      if (body && typeof body.error === 'object') return JSON.stringify({ ...body, error: { ...body.error, requestId: id } });
    } catch {
      return payload;
    }
    return payload;
  }
  if (contentType.startsWith('text/html')) {
    const note = `<p class="request-id">${escapeHtml(reference)} <code>${id}</code></p>`;
    const at = payload.lastIndexOf('</section>');
    return at >= 0 ? payload.slice(0, at) + note + payload.slice(at) : payload;
  }
  return payload;
}

/**
 * Metrics are kept only where someone can read them (METRICS_TOKEN or METRICS_PORT): otherwise prom-client,
 * its default collectors and a sample of every request and statement would cost memory and time for nobody.
 */
async function metricsIfRead(app: FastifyInstance, ctx: AppContext): Promise<Metrics | null> {
  const { metricsToken, metricsPort } = ctx.config.ops;
  if (!metricsToken && metricsPort === null) return null;
  const { installMetricsEndpoints, Metrics } = await import('./metrics.ts');
  const metrics = new Metrics(ctx);
  installMetricsEndpoints(app, ctx, metrics);
  return metrics;
}

export async function installOps(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const metrics = await metricsIfRead(app, ctx);
  opsState(ctx).metrics = metrics;
  const { accessLogSample } = ctx.config.ops;
  const server = app.server;

  // Slow clients: headers within 10 s and the whole request within 30 s, or the connection is closed
  // (Fastify does not set these on a server from serverFactory).
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  // Idle keep-alive connections stay open for Fastify's default of 72 s (longer than the 60 s of common
  // load balancers), not Node's 5 s: otherwise every client that pauses for five seconds opens a new
  // connection, and past saturation the refusals wait behind a storm of new connections.
  server.keepAliveTimeout = 72_000;

  // First on every request, before the page cache answers anonymous readers: one id, echoed in the
  // response, and one access-log line and one metrics sample when the response is done.
  server.prependListener('request', (req: TrackedRequest, res: ServerResponse) => {
    const id = requestIdFor(req);
    req[REQUEST_ID] = id;
    req[STARTED] = performance.now();
    // Set as the head goes out, over whatever headers it carries: a cached page's stored headers must
    // not echo the id of the request that rendered it (and the cache never stores ours).
    const writeHead = res.writeHead;
    let live = false;
    res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
      const last = rest.at(-1);
      if (last && typeof last === 'object' && !Array.isArray(last)) {
        rest[rest.length - 1] = { ...(last as object), 'x-request-id': id };
        live = String((last as Record<string, unknown>)['content-type'] ?? '').startsWith('text/event-stream');
      } else {
        this.setHeader('x-request-id', id);
      }
      return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
    } as ServerResponse['writeHead'];
    // 'close' comes for every response, finished or cut off (then logged as aborted).
    res.once('close', () => {
      const seconds = (performance.now() - req[STARTED]!) / 1000;
      const status = res.statusCode;
      const cached = req[ROUTE] === undefined && status === 200;
      const route = req[ROUTE] ?? (cached ? 'page-cache' : 'unrouted');
      const method = req.method ?? 'GET';
      if (metrics) {
        metrics.requests.inc({ method, route, status });
        if (cached) metrics.pageCacheHits.inc();
        // A live stream lasts as long as the reader stays: not a latency.
        if (!live && !String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) metrics.requestSeconds.observe({ method, route, status }, seconds);
      }
      if (status >= 500 || accessLogSample >= 1 || Math.random() < accessLogSample) {
        (ctx.log as FastifyBaseLogger).info(
          { reqId: id, method, url: req.url, route, status, ms: Math.round(seconds * 10_000) / 10, ...(cached ? { cache: 'hit' } : {}), ...(res.writableFinished ? {} : { aborted: true }) },
          'request',
        );
      }
    });
  });
  app.addHook('onRequest', async (request) => {
    (request.raw as TrackedRequest)[ROUTE] = request.routeOptions.url ?? 'not-found';
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 500) return payload;
    return withRequestId(payload, request.id, String(reply.getHeader('content-type') ?? ''), request.i18n.t('errors.reference'));
  });

  installHealthRoutes(app, ctx);
  installLoadShedding(app, ctx, metrics);
}
