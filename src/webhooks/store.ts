import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { HttpError } from '../http/errors.ts';
import type { WebhookDeliveriesTable } from '../db/tables/webhooks.ts';
import type { WebhookEventName } from './events.ts';

// Webhook endpoints and their delivery log, as rows. The secret leaves this module only through
// `secretOf` (the signer) and the answer that created or replaced it.

export interface WebhookEndpoint {
  id: number;
  siteId: number;
  siteKey: string;
  url: string;
  description: string;
  events: WebhookEventName[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDelivery {
  id: number;
  messageId: string;
  eventType: string;
  attempt: number;
  outcome: 'delivered' | 'retrying' | 'failed';
  responseStatus: number | null;
  durationMs: number;
  error: string | null;
  createdAt: string;
}

type AnyDb = Kysely<Database> | Transaction<Database>;

/** The deliveries kept per endpoint; older ones are dropped as new ones are written. */
export const DELIVERIES_KEPT = 100;

/** A new signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

const endpointColumns = ['e.id', 'e.site_id', 's.key as site_key', 'e.url', 'e.description', 'e.events', 'e.enabled', 'e.created_at', 'e.updated_at'] as const;

function toEndpoint(row: { id: number; site_id: number; site_key: string; url: string; description: string; events: string; enabled: number; created_at: string; updated_at: string }): WebhookEndpoint {
  return {
    id: Number(row.id),
    siteId: Number(row.site_id),
    siteKey: row.site_key,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as WebhookEventName[],
    enabled: Number(row.enabled) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function endpoints(db: AnyDb) {
  return db.selectFrom('webhook_endpoints as e').innerJoin('sites as s', 's.id', 'e.site_id').select([...endpointColumns]);
}

export async function listEndpoints(db: AnyDb, filter: { siteId?: number } = {}): Promise<WebhookEndpoint[]> {
  const rows = await endpoints(db)
    .$if(filter.siteId !== undefined, (q) => q.where('e.site_id', '=', filter.siteId!))
    .orderBy('s.key')
    .orderBy('e.id')
    .execute();
  return rows.map(toEndpoint);
}

export async function findEndpoint(db: AnyDb, id: number): Promise<WebhookEndpoint | null> {
  const row = await endpoints(db).where('e.id', '=', id).executeTakeFirst();
  return row ? toEndpoint(row) : null;
}

/** The endpoint, or the 404 that says there is none. */
export async function endpointOr404(db: AnyDb, id: number): Promise<WebhookEndpoint> {
  const endpoint = await findEndpoint(db, id);
  if (!endpoint) throw HttpError.translated(404, 'not_found', 'webhooks.notFound', { id: String(id) });
  return endpoint;
}

/** The enabled endpoints of these sites (null: every site) that want this event. */
export async function endpointsFor(db: AnyDb, siteIds: number[] | null, event: WebhookEventName): Promise<WebhookEndpoint[]> {
  if (siteIds !== null && siteIds.length === 0) return [];
  const rows = await endpoints(db)
    .where('e.enabled', '=', 1)
    .$if(siteIds !== null, (q) => q.where('e.site_id', 'in', siteIds!))
    .orderBy('e.id')
    .execute();
  return rows.map(toEndpoint).filter((e) => e.events.includes(event));
}

export async function secretOf(db: AnyDb, id: number): Promise<string | null> {
  const row = await db.selectFrom('webhook_endpoints').select('secret').where('id', '=', id).executeTakeFirst();
  return row?.secret ?? null;
}

export async function insertEndpoint(
  db: AnyDb,
  input: { siteId: number; url: string; description: string; events: WebhookEventName[]; enabled: boolean; secret: string; createdBy: number | null },
  now = new Date(),
): Promise<number> {
  const row = await db
    .insertInto('webhook_endpoints')
    .values({
      site_id: input.siteId,
      url: input.url,
      description: input.description,
      events: JSON.stringify(input.events),
      secret: input.secret,
      enabled: input.enabled ? 1 : 0,
      created_by: input.createdBy,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function writeEndpoint(
  db: AnyDb,
  id: number,
  change: { url?: string; description?: string; events?: WebhookEventName[]; enabled?: boolean; secret?: string },
  now = new Date(),
): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({
      ...(change.url !== undefined ? { url: change.url } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.events !== undefined ? { events: JSON.stringify(change.events) } : {}),
      ...(change.enabled !== undefined ? { enabled: change.enabled ? 1 : 0 } : {}),
      ...(change.secret !== undefined ? { secret: change.secret } : {}),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

export async function removeEndpoint(db: AnyDb, id: number): Promise<void> {
  await db.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
  await db.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
}

const toDelivery = (row: Selectable<WebhookDeliveriesTable>): WebhookDelivery => ({
  id: Number(row.id),
  messageId: row.message_id,
  eventType: row.event_type,
  attempt: Number(row.attempt),
  outcome: row.outcome as WebhookDelivery['outcome'],
  responseStatus: row.response_status === null ? null : Number(row.response_status),
  durationMs: Number(row.duration_ms),
  error: row.error,
  createdAt: row.created_at,
});

/** Records one attempt and drops the endpoint's attempts beyond the last DELIVERIES_KEPT. */
export async function recordDelivery(
  db: Kysely<Database>,
  endpointId: number,
  attempt: Omit<WebhookDelivery, 'id' | 'createdAt'> & { jobId: number | null },
  now = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // The endpoint may have been deleted while its message was on the way: nothing to log then.
    const exists = await trx.selectFrom('webhook_endpoints').select('id').where('id', '=', endpointId).executeTakeFirst();
    if (!exists) return;
    await trx
      .insertInto('webhook_deliveries')
      .values({
        endpoint_id: endpointId,
        message_id: attempt.messageId,
        event_type: attempt.eventType,
        job_id: attempt.jobId,
        attempt: attempt.attempt,
        outcome: attempt.outcome,
        response_status: attempt.responseStatus,
        duration_ms: attempt.durationMs,
        error: attempt.error,
        created_at: now.toISOString(),
      })
      .execute();
    const kept = trx.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpointId).orderBy('id', 'desc').limit(DELIVERIES_KEPT);
    await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', endpointId).where('id', 'not in', kept).execute();
  });
}

export async function listDeliveries(db: AnyDb, endpointId: number, limit = DELIVERIES_KEPT): Promise<WebhookDelivery[]> {
  const rows = await db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toDelivery);
}
