import type pg from 'pg';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { AppContext } from '../context.ts';
import { asUnavailable } from './database-guard.ts';

// @fastify/rate-limit's counters in PostgreSQL, so that every node behind the load balancer counts
// against one limit (in memory, N nodes would allow N times as many attempts). One statement per hit:
// an upsert that starts a new window when the old one has ended. SQLite keeps the plugin's in-memory
// store: one server per SQLite file (ops/sqlite-lock.ts).

interface Counter {
  current: number;
  ttl: number;
}
type Callback = (error: Error | null, result?: Counter) => void;

interface LimiterParams {
  routeInfo?: { method?: string | string[]; url?: string };
  groupId?: string;
  max?: unknown;
  timeWindow?: unknown;
}

const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * A limiter's namespace: its route, or its groupId, or (app.createRateLimit without one) its limits.
 * The same code on every node gives the same names.
 */
function namespaceOf(params: LimiterParams): string {
  const route = params.routeInfo?.url ? `${String(params.routeInfo.method)} ${params.routeInfo.url}` : null;
  return route ?? params.groupId ?? `limit:${String(params.max)}/${String(params.timeWindow)}`;
}

export function postgresRateLimitStore(pool: pg.Pool) {
  let lastSweep = 0;
  const sweep = (now: number) => {
    if (now - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = now;
    pool.query('delete from rate_limits where window_ends_at < $1', [now]).catch(() => undefined);
  };

  return class PostgresRateLimitStore {
    private readonly prefix: string;

    constructor(params: object = {}, prefix = '') {
      this.prefix = prefix || `${namespaceOf(params as LimiterParams)}|`;
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      const now = Date.now();
      sweep(now);
      pool
        .query<{ hits: number; window_ends_at: string | number }>(
          `insert into rate_limits (key, hits, window_ends_at) values ($1, 1, $2::bigint + $3::bigint)
           on conflict (key) do update set
             hits = case when rate_limits.window_ends_at <= $2::bigint then 1 else rate_limits.hits + 1 end,
             window_ends_at = case when rate_limits.window_ends_at <= $2::bigint then $2::bigint + $3::bigint else rate_limits.window_ends_at end
           returning hits, window_ends_at`,
          [this.prefix + key, now, timeWindow],
        )
        .then(
          ({ rows }) => callback(null, { current: rows[0]!.hits, ttl: Math.max(0, Number(rows[0]!.window_ends_at) - now) }),
          (error) => callback(asUnavailable(error) as Error),
        );
    }

    read(key: string, callback: Callback): void {
      const now = Date.now();
      pool.query<{ hits: number; window_ends_at: string | number }>('select hits, window_ends_at from rate_limits where key = $1 and window_ends_at > $2', [this.prefix + key, now]).then(
        ({ rows }) => callback(null, rows[0] ? { current: rows[0].hits, ttl: Number(rows[0].window_ends_at) - now } : { current: 0, ttl: 0 }),
        (error) => callback(asUnavailable(error) as Error),
      );
    }

    child(params: object): PostgresRateLimitStore {
      return new PostgresRateLimitStore(params, `${namespaceOf(params as LimiterParams)}|`);
    }
  };
}

/** The `store` option for @fastify/rate-limit: shared on PostgreSQL, the plugin's own in memory otherwise. */
export function sharedRateLimitStore(ctx: AppContext): { store?: FastifyRateLimitStoreCtor } {
  return ctx.db.pgPool ? { store: postgresRateLimitStore(ctx.db.pgPool) as unknown as FastifyRateLimitStoreCtor } : {};
}
