import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { migrationStatus } from '../db/migrate.ts';
import { lastEventId } from '../events/outbox.ts';
import { opsState } from './state.ts';

// /livez: the process answers (a restart helps only when this fails).
// /readyz (and /healthz, kept for existing probes): this node can serve — the database answers and
// takes writes, its schema is current, the LISTEN connection is up (PostgreSQL), and the background
// work is alive and keeping up. A load balancer stops sending to a node that is not ready.

/** A durable subscriber this far behind the head of the events table is not keeping up. */
export const MAX_SUBSCRIBER_LAG = 5000;
/** A due job waiting this long for a runner means no runner is running them. */
export const MAX_JOB_WAIT_MS = 5 * 60_000;

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export async function readiness(ctx: AppContext): Promise<Readiness> {
  const checks: Readiness['checks'] = {};
  const state = opsState(ctx);
  if (state.stopping) checks.process = { ok: false, detail: 'shutting down' };
  try {
    await within(2000, sql`select 1`.execute(ctx.db.kysely));
    checks.database = { ok: true };
  } catch (error) {
    checks.database = { ok: false, detail: (error as Error).message };
    return { ready: false, checks };
  }
  checks.storage = ctx.db.guard.storageFailing ? { ok: false, detail: 'the last write failed for lack of storage (disk full or failing)' } : { ok: true };
  try {
    const { pending, unknown } = await within(2000, migrationStatus(ctx.db));
    checks.migrations = pending.length > 0 ? { ok: false, detail: `not applied: ${pending.join(', ')}` } : { ok: true, ...(unknown.length ? { detail: `newer than this code: ${unknown.join(', ')}` } : {}) };
  } catch (error) {
    checks.migrations = { ok: false, detail: (error as Error).message };
  }
  const listening = ctx.bus.listening;
  if (listening !== null) checks.listen = listening ? { ok: true } : { ok: false, detail: 'the PostgreSQL LISTEN connection is down; reconnecting' };
  const community = state.community;
  if (!community) {
    checks.background = { ok: false, detail: 'jobs and subscribers are not running' };
  } else {
    try {
      const head = await lastEventId(ctx.db.kysely);
      const names = community.subscribers.map((s) => s.name);
      const rows = names.length ? await ctx.db.kysely.selectFrom('subscriber_positions').select(['name', 'last_event_id']).where('name', 'in', names).execute() : [];
      const behind = rows.filter((r) => head - Number(r.last_event_id) > MAX_SUBSCRIBER_LAG).map((r) => `${r.name} is ${head - Number(r.last_event_id)} events behind`);
      checks.subscribers = behind.length ? { ok: false, detail: behind.join('; ') } : { ok: true };
      const cutoff = new Date(Date.now() - MAX_JOB_WAIT_MS).toISOString();
      const waiting = await ctx.db.kysely
        .selectFrom('jobs')
        .select(sql<number>`count(*)`.as('n'))
        .where('done_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('run_at', '<', cutoff)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', new Date().toISOString())]))
        .executeTakeFirstOrThrow();
      checks.jobs = Number(waiting.n) > 0 ? { ok: false, detail: `${Number(waiting.n)} due jobs have waited over ${MAX_JOB_WAIT_MS / 60_000} minutes` } : { ok: true };
    } catch (error) {
      checks.background = { ok: false, detail: (error as Error).message };
    }
  }
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}

export function installHealthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/livez', { schema: { hide: true } }, async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  const ready = async (_request: unknown, reply: import('fastify').FastifyReply) => {
    const result = await readiness(ctx);
    reply.header('cache-control', 'no-store');
    if (!result.ready) reply.status(503).header('retry-after', '5');
    return reply.send({ status: result.ready ? 'ok' : 'unavailable', checks: result.checks });
  };
  app.get('/readyz', { schema: { hide: true } }, ready);
  app.get('/healthz', { schema: { hide: true } }, ready);
}
