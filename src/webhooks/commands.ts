import { randomBytes } from 'node:crypto';
import { CommandRefused, runCommand, type CommandContext } from '../events/command.ts';
import { queueJob } from '../events/jobs.ts';
import { audit } from '../moderation/audit.ts';
import { findSiteByKey } from '../sites/store.ts';
import { isWebhookEventName, testMessage, WEBHOOK_EVENT_NAMES, type WebhookEventName } from './events.ts';
import { deliveryJob } from './delivery-job.ts';
import { findEndpoint, generateWebhookSecret, insertEndpoint, removeEndpoint, writeEndpoint, type WebhookEndpoint } from './store.ts';

// Admins' changes to webhook endpoints (the admin page and the API), each audited in the change's
// own transaction. The secret is never in the audit log or the log: a new one is "replaced".

export class WebhookRefused extends CommandRefused {
  override readonly name = 'WebhookRefused';
}

const MAX_URL = 2000;
const MAX_DESCRIPTION = 300;

/** What is wrong with a receiver's address, in words for the admin; null when nothing is. */
export function webhookUrlProblem(raw: string): string | null {
  if (!raw.trim()) return 'Give the address that receives the events.';
  if (raw.length > MAX_URL) return `The address is longer than ${MAX_URL} characters.`;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return `“${raw.slice(0, 100)}” is not an address: give a full one, such as https://hooks.example.com/parley.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The address must start with https:// (or http://).';
  if (url.username || url.password) return 'The address must not contain a user name or password: the signature proves who is sending.';
  if (url.hash) return 'The address must not contain a fragment (#…).';
  return null;
}

export function eventsProblem(events: string[]): string | null {
  if (events.length === 0) return 'Choose at least one event.';
  const unknown = events.find((e) => !isWebhookEventName(e));
  if (unknown !== undefined) return `“${unknown.slice(0, 60)}” is not an event webhooks send; they are: ${WEBHOOK_EVENT_NAMES.join(', ')}.`;
  return null;
}

export function descriptionProblem(description: string): string | null {
  return description.length > MAX_DESCRIPTION ? `The description is longer than ${MAX_DESCRIPTION} characters.` : null;
}

/** The events in our order, each once. */
const normaliseEvents = (events: string[]): WebhookEventName[] => WEBHOOK_EVENT_NAMES.filter((e) => events.includes(e));

function refuseIf(problem: string | null): void {
  if (problem) throw new WebhookRefused(400, 'invalid_webhook', problem);
}

export interface NewEndpoint {
  site?: string;
  url: string;
  events: string[];
  description?: string;
  enabled?: boolean;
}

/** Registers an endpoint with a new secret; the secret is returned to be shown once. */
export async function createEndpoint(ctx: CommandContext, actorId: number, input: NewEndpoint, now = new Date()): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  refuseIf(webhookUrlProblem(input.url) ?? eventsProblem(input.events) ?? descriptionProblem(input.description ?? ''));
  const siteKey = input.site?.trim() || 'default';
  const site = await findSiteByKey(ctx.db.kysely, siteKey);
  if (!site) throw new WebhookRefused(400, 'unknown_site', `There is no site with the key “${siteKey.slice(0, 60)}”.`);
  const secret = generateWebhookSecret();
  const events = normaliseEvents(input.events);
  const url = input.url.trim();
  const id = await runCommand(ctx, async (tx) => {
    const created = await insertEndpoint(tx.db, { siteId: site.id, url, description: (input.description ?? '').trim(), events, enabled: input.enabled ?? true, secret, createdBy: actorId }, now);
    await audit(tx, { actorId, action: 'webhook.create', targetType: 'site', targetId: site.key, detail: { webhook: created, url, events, enabled: input.enabled ?? true, secret: 'set' } }, now);
    return created;
  });
  return { endpoint: (await findEndpoint(ctx.db.kysely, id))!, secret };
}

export interface EndpointPatch {
  url?: string;
  events?: string[];
  description?: string;
  enabled?: boolean;
  /** Replace the secret; the new one is returned once. */
  rotateSecret?: boolean;
}

/** Changes an endpoint; audited with what changed from what (the secret only as "replaced"). */
export async function updateEndpoint(ctx: CommandContext, actorId: number, endpoint: WebhookEndpoint, patch: EndpointPatch, now = new Date()): Promise<{ endpoint: WebhookEndpoint; secret: string | null }> {
  if (patch.url !== undefined) refuseIf(webhookUrlProblem(patch.url));
  if (patch.events !== undefined) refuseIf(eventsProblem(patch.events));
  if (patch.description !== undefined) refuseIf(descriptionProblem(patch.description));
  const next = {
    url: patch.url?.trim(),
    description: patch.description?.trim(),
    events: patch.events ? normaliseEvents(patch.events) : undefined,
    enabled: patch.enabled,
  };
  const changed: Record<string, { from: unknown; to: unknown } | string> = {};
  for (const key of ['url', 'description', 'events', 'enabled'] as const) {
    if (next[key] !== undefined && JSON.stringify(next[key]) !== JSON.stringify(endpoint[key])) changed[key] = { from: endpoint[key], to: next[key] };
  }
  const secret = patch.rotateSecret ? generateWebhookSecret() : null;
  if (secret) changed.secret = 'replaced';
  if (Object.keys(changed).length > 0) {
    await runCommand(ctx, async (tx) => {
      await writeEndpoint(tx.db, endpoint.id, { ...next, ...(secret ? { secret } : {}) }, now);
      await audit(tx, { actorId, action: 'webhook.update', targetType: 'site', targetId: endpoint.siteKey, detail: { webhook: endpoint.id, changed } }, now);
    });
  }
  return { endpoint: (await findEndpoint(ctx.db.kysely, endpoint.id))!, secret };
}

/** Removes an endpoint and its log; deliveries still queued for it are dropped when they come up. */
export async function deleteEndpoint(ctx: CommandContext, actorId: number, endpoint: WebhookEndpoint, now = new Date()): Promise<void> {
  await runCommand(ctx, async (tx) => {
    await removeEndpoint(tx.db, endpoint.id);
    await audit(tx, { actorId, action: 'webhook.delete', targetType: 'site', targetId: endpoint.siteKey, detail: { webhook: endpoint.id, url: endpoint.url, events: endpoint.events } }, now);
  });
}

/** Queues a test message to one endpoint (one attempt: its result is what the admin wants to see). */
export async function sendTestEvent(ctx: CommandContext, actorId: number, endpoint: WebhookEndpoint, now = new Date()): Promise<{ messageId: string }> {
  const messageId = `msg_test_${randomBytes(12).toString('hex')}`;
  await runCommand(ctx, async (tx) => {
    await queueJob(tx, deliveryJob({ endpointId: endpoint.id, messageId, message: testMessage(endpoint, now), maxAttempts: 1 }), now);
    await audit(tx, { actorId, action: 'webhook.test', targetType: 'site', targetId: endpoint.siteKey, detail: { webhook: endpoint.id, messageId } }, now);
  });
  return { messageId };
}
