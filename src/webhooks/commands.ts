import { randomBytes } from 'node:crypto';
import { CommandRefused, runCommand, type CommandContext } from '../events/command.ts';
import { createTranslator, type Translator } from '../i18n/index.ts';
import { keyedResult } from '../i18n/recording.ts';
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

const ENGLISH = createTranslator('en');

/** What is wrong with a receiver's address, in words for the admin (English unless `i18n` says); null when nothing is. */
export function webhookUrlProblem(raw: string, { t }: Translator = ENGLISH): string | null {
  if (!raw.trim()) return t('errors.webhooks.urlMissing');
  if (raw.length > MAX_URL) return t('errors.webhooks.urlTooLong', { max: MAX_URL });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return t('errors.webhooks.urlInvalid', { url: raw.slice(0, 100) });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return t('errors.webhooks.urlScheme');
  if (url.username || url.password) return t('errors.webhooks.urlCredentials');
  if (url.hash) return t('errors.webhooks.urlFragment');
  return null;
}

export function eventsProblem(events: string[], { t }: Translator = ENGLISH): string | null {
  if (events.length === 0) return t('errors.webhooks.noEvents');
  const unknown = events.find((e) => !isWebhookEventName(e));
  if (unknown !== undefined) return t('errors.webhooks.unknownEvent', { event: unknown.slice(0, 60), events: WEBHOOK_EVENT_NAMES.join(', ') });
  return null;
}

export function descriptionProblem(description: string, { t }: Translator = ENGLISH): string | null {
  return description.length > MAX_DESCRIPTION ? t('errors.webhooks.descriptionTooLong', { max: MAX_DESCRIPTION }) : null;
}

/** The events in our order, each once. */
const normaliseEvents = (events: string[]): WebhookEventName[] => WEBHOOK_EVENT_NAMES.filter((e) => events.includes(e));

/** Refuses with the first problem a check finds, in words each admin reads in their language. */
function refuseIf(...checks: ((i18n: Translator) => string | null)[]): void {
  for (const check of checks) {
    const problem = keyedResult(check);
    if (problem) throw problem.key ? WebhookRefused.keyed(400, 'invalid_webhook', problem.key, problem.values) : new WebhookRefused(400, 'invalid_webhook', problem.english);
  }
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
  refuseIf((i18n) => webhookUrlProblem(input.url, i18n), (i18n) => eventsProblem(input.events, i18n), (i18n) => descriptionProblem(input.description ?? '', i18n));
  const siteKey = input.site?.trim() || 'default';
  const site = await findSiteByKey(ctx.db.kysely, siteKey);
  if (!site) throw WebhookRefused.keyed(400, 'unknown_site', 'errors.sites.noSiteWithKey', { key: siteKey.slice(0, 60) });
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
  if (patch.url !== undefined) refuseIf((i18n) => webhookUrlProblem(patch.url!, i18n));
  if (patch.events !== undefined) refuseIf((i18n) => eventsProblem(patch.events!, i18n));
  if (patch.description !== undefined) refuseIf((i18n) => descriptionProblem(patch.description!, i18n));
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
