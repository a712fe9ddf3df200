import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { atLeast } from '../accounts/model.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { NOT_APPROVED } from './queues.ts';
import { moderatedSites } from './scope.ts';

// The held queue's size in the header of every page a moderator opens. One indexed count
// (comments_unapproved), remembered per moderator until the next change anywhere: every change of a
// comment's status is a command with events, and the bus wakes this process after each commit (on
// PostgreSQL, after other processes' commits too). The age limit covers a missed wake-up.

declare module 'fastify' {
  interface FastifyRequest {
    /** For moderators' HTML pages: comments waiting in the held queue of the sites they moderate; else null. */
    heldCount: number | null;
  }
}

const MAX_AGE_MS = 30_000;

export function countHeldQuery(db: Kysely<Database>, siteIds: readonly number[]) {
  let query = db.selectFrom('comments as c').select((eb) => eb.fn.countAll<number | string>().as('n')).where('c.status', '=', 'held').where(...NOT_APPROVED).where('c.deleted_at', 'is', null);
  if (siteIds.length) query = query.where('c.article_id', 'in', (eb) => eb.selectFrom('articles').select('id').where('site_id', 'in', [...siteIds]));
  return query;
}

export async function countHeld(db: Kysely<Database>, siteIds: readonly number[]): Promise<number> {
  return Number((await countHeldQuery(db, siteIds).executeTakeFirstOrThrow()).n);
}

export function installHeldCount(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.db.kysely;
  const remembered = new Map<number, { count: number; at: number }>();
  // A count read while a change commits may be stale: it is used once but not remembered.
  let generation = 0;
  const stop = ctx.bus.subscribe(() => {
    generation++;
    remembered.clear();
  });
  app.addHook('onClose', async () => void stop());
  app.decorateRequest('heldCount', null);
  app.addHook('preHandler', async (request) => {
    const actor = request.actor;
    if (!actor || !atLeast(actor, 'moderator') || request.method !== 'GET' || /^\/(api|assets)\//.test(request.url)) return;
    const known = remembered.get(actor.userId);
    if (known && Date.now() - known.at < MAX_AGE_MS) {
      request.heldCount = known.count;
      return;
    }
    const started = generation;
    const count = await countHeld(db, await moderatedSites(db, actor));
    if (started === generation) remembered.set(actor.userId, { count, at: Date.now() });
    request.heldCount = count;
  });
}
