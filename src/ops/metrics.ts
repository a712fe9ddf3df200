import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { sql } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { lastEventId } from '../events/outbox.ts';
import { liveHub } from '../events/live.ts';
import { opsState } from './state.ts';

// Prometheus metrics (prom-client), one registry per application (tests run several in a process).
// Off the public internet by default: /metrics on the main port answers only with METRICS_TOKEN as a
// bearer token; METRICS_PORT serves it alone on a second port, for a scraper inside the network.

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly requestSeconds: Histogram<'method' | 'route' | 'status'>;
  readonly pageCacheHits: Counter;
  readonly queries: Histogram<'outcome'>;
  readonly commits: Histogram<'outcome'>;
  readonly unavailable: Counter<'kind'>;
  readonly shed: Counter<'reason'>;
  /** Write admission (shedding.ts): its adaptive limit, the writes holding a slot and those waiting for one. */
  private admission: { limit: number; writesInProgress: number; writesWaiting: number } | null = null;
  /** The ceiling on admitted writes a second (write-rate.ts); +Inf while there is none. */
  private writeRate: { ceiling: number } | null = null;
  private readonly writeRateCeiling = new Gauge({
    name: 'parley_write_rate_ceiling',
    help: 'Write admission: the most writes a second admitted now, set from the event loop utilisation (+Inf: no ceiling)',
    registers: [],
    collect: () => {
      if (this.writeRate) this.writeRateCeiling.set(this.writeRate.ceiling);
    },
  });
  private readonly writeSlots = new Gauge({
    name: 'parley_write_slots',
    help: 'Write admission: the adaptive limit on writes in progress, the writes in progress, and those waiting for a slot',
    labelNames: ['state'],
    registers: [],
    collect: () => {
      const admission = this.admission;
      if (!admission) return;
      this.writeSlots.set({ state: 'limit' }, admission.limit);
      this.writeSlots.set({ state: 'in_progress' }, admission.writesInProgress);
      this.writeSlots.set({ state: 'waiting' }, admission.writesWaiting);
    },
  });

  constructor(ctx: AppContext) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: 'parley_http_requests_total', help: 'HTTP requests answered, by route and status', labelNames: ['method', 'route', 'status'], registers });
    this.requestSeconds = new Histogram({
      name: 'parley_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (live streams excluded), by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.pageCacheHits = new Counter({ name: 'parley_page_cache_hits_total', help: 'Anonymous pages served from the page cache', registers });
    this.queries = new Histogram({ name: 'parley_db_query_duration_seconds', help: 'Time of each database statement', labelNames: ['outcome'], buckets: QUERY_BUCKETS, registers });
    this.commits = new Histogram({ name: 'parley_db_commit_duration_seconds', help: 'Time of each transaction commit', labelNames: ['outcome'], buckets: QUERY_BUCKETS, registers });
    new Gauge({
      name: 'parley_page_cache_entries',
      help: 'Anonymous pages held in the page cache',
      registers,
      collect() {
        this.set(ctx.pageCache.size);
      },
    });
    new Gauge({
      name: 'parley_page_cache_bytes',
      help: 'Bytes held by the page cache (pages, their compressed copies, shared conversation parts; PAGE_CACHE_MAX_MB bounds it)',
      registers,
      collect() {
        this.set(ctx.pageCache.bytes);
      },
    });
    this.unavailable = new Counter({ name: 'parley_db_unavailable_total', help: 'Database errors that made a request answer 503 (connection lost, storage full)', labelNames: ['kind'], registers });
    this.shed = new Counter({ name: 'parley_shed_requests_total', help: 'Writes refused with 503 because the server was saturated', labelNames: ['reason'], registers });
    new Gauge({
      name: 'parley_live_connections',
      help: 'Open live (Server-Sent Events) connections',
      registers,
      collect() {
        this.set(liveHub(ctx).size);
      },
    });
    new Gauge({
      name: 'parley_subscriber_lag_events',
      help: 'Events committed after the last one each durable subscriber handled',
      labelNames: ['subscriber'],
      registers,
      async collect() {
        this.reset();
        const head = await lastEventId(ctx.db.kysely);
        const rows = await ctx.db.kysely.selectFrom('subscriber_positions').select(['name', 'last_event_id']).execute();
        for (const row of rows) this.set({ subscriber: row.name }, Math.max(0, head - Number(row.last_event_id)));
      },
    });
    new Gauge({
      name: 'parley_jobs_queued',
      help: 'Jobs waiting or running, by kind',
      labelNames: ['kind'],
      registers,
      async collect() {
        this.reset();
        const rows = await ctx.db.kysely
          .selectFrom('jobs')
          .select(['kind', sql<number>`count(*)`.as('n')])
          .where('done_at', 'is', null)
          .where('failed_at', 'is', null)
          .groupBy('kind')
          .execute();
        for (const row of rows) this.set({ kind: row.kind }, Number(row.n));
      },
    });
    new Gauge({
      name: 'parley_jobs_failed',
      help: 'Jobs that gave up (shown at /admin/jobs), by kind',
      labelNames: ['kind'],
      registers,
      async collect() {
        this.reset();
        const rows = await ctx.db.kysely.selectFrom('jobs').select(['kind', sql<number>`count(*)`.as('n')]).where('failed_at', 'is not', null).groupBy('kind').execute();
        for (const row of rows) this.set({ kind: row.kind }, Number(row.n));
      },
    });
    new Gauge({
      name: 'parley_jobs_running',
      help: 'Jobs this process is running now',
      registers,
      collect() {
        this.set(opsState(ctx).community?.jobs.active ?? 0);
      },
    });
    new Gauge({
      name: 'parley_db_reachable',
      help: '1 while the database answers, 0 while it cannot be reached',
      registers,
      collect() {
        this.set(ctx.db.guard.unreachable ? 0 : 1);
      },
    });
    new Gauge({
      name: 'parley_bus_reconnects',
      help: 'Times the PostgreSQL LISTEN connection was made again after a loss',
      registers,
      collect() {
        this.set(ctx.bus.reconnects);
      },
    });

    this.registry.registerMetric(this.writeSlots);
    this.registry.registerMetric(this.writeRateCeiling);
    // Every statement is timed: children bound to their label once skip prom-client's hashing of the
    // labels at each observation.
    const queries = { ok: this.queries.labels('ok'), error: this.queries.labels('error') };
    const commits = { ok: this.commits.labels('ok'), error: this.commits.labels('error') };
    ctx.db.guard.observer = {
      query: (seconds, ok) => (ok ? queries.ok : queries.error).observe(seconds),
      commit: (seconds, ok) => (ok ? commits.ok : commits.error).observe(seconds),
      unavailable: (kind) => this.unavailable.inc({ kind }),
    };
  }

  watchWriteAdmission(admission: { limit: number; writesInProgress: number; writesWaiting: number }, rate: { ceiling: number }): void {
    this.admission = admission;
    this.writeRate = rate;
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** /metrics behind METRICS_TOKEN on the main port, and alone on METRICS_PORT when set. */
export function installMetricsEndpoints(app: FastifyInstance, ctx: AppContext, metrics: Metrics): void {
  const { metricsToken, metricsPort } = ctx.config.ops;
  if (metricsToken) {
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      const header = request.headers.authorization ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      if (!sameToken(given, metricsToken)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .send({ error: { code: 'unauthenticated', message: 'Metrics need the METRICS_TOKEN as a bearer token.' } });
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
  if (metricsPort !== null) {
    const server = http.createServer((req, res) => {
      if (req.url !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('only /metrics here\n');
        return;
      }
      metrics.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
        () => res.writeHead(503, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
      );
    });
    app.addHook('onListen', async () => {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(metricsPort, ctx.config.host, () => resolve());
      });
      const address = server.address();
      if (address && typeof address !== 'string') opsState(ctx).metricsAddress = { port: address.port };
    });
    app.addHook('onClose', async () => {
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    });
  }
}
