import { lazyModule } from '../lazy-module.ts';
import type { AppContext } from '../context.ts';
import { PermanentJobError, type Job, type JobHandler, type NewJob } from '../events/jobs.ts';
import { FetchRefused, postPublic } from '../http/outbound.ts';
import { TEST_EVENT, type WebhookMessage } from './events.ts';
import { findEndpoint, recordDelivery, secretOf, type WebhookDelivery } from './store.ts';

// Loaded by the first delivery, not when the server starts (src/lazy-module.ts).
const standardWebhooks = lazyModule<typeof import('standardwebhooks')>('standardwebhooks');

// One delivery is one job: the message, the endpoint and the webhook-id, fixed when the job is
// enqueued, so every attempt sends the same bytes under the same id (a receiver de-duplicates on
// it). The secret is read when sending, never stored in the job. Each attempt is signed afresh
// (Standard Webhooks: the signature covers id, timestamp and body) and logged.

export const WEBHOOK_JOB = 'webhook.delivery';
/** A receiver that has not answered in this time is given up on for this attempt. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** With the runner's back-off (10 s doubling, at most an hour): about 21 minutes of tries. */
export const WEBHOOK_MAX_ATTEMPTS = 8;

interface DeliveryPayload {
  endpointId: number;
  messageId: string;
  type: string;
  /** The exact body, as signed: the same string on every attempt. */
  body: string;
}

export function deliveryJob(input: { endpointId: number; messageId: string; message: WebhookMessage; maxAttempts?: number }): NewJob {
  const payload: DeliveryPayload = { endpointId: input.endpointId, messageId: input.messageId, type: input.message.type, body: JSON.stringify(input.message) };
  return { kind: WEBHOOK_JOB, dedupeKey: `webhook:${input.messageId}`, payload: { ...payload }, maxAttempts: input.maxAttempts ?? WEBHOOK_MAX_ATTEMPTS };
}

/** The webhook-id of an event's message to one endpoint: stable, so retries carry the same one. */
export const eventMessageId = (eventId: number, endpointId: number) => `msg_${eventId}_${endpointId}`;

/** The headers of one attempt (exported for tests and the README's example). */
export function signedHeaders(secret: string, messageId: string, body: string, at: Date): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new (standardWebhooks().Webhook)(secret).sign(messageId, at, body),
  };
}

/** A 2xx is delivered; 410 Gone says the receiver is no more; anything else may pass. */
const isPermanentStatus = (status: number) => status === 410;

async function deliver(ctx: AppContext, job: Job, signal: AbortSignal, timeoutMs: number): Promise<void> {
  const payload = job.payload as unknown as DeliveryPayload;
  const db = ctx.db.kysely;
  const endpoint = await findEndpoint(db, payload.endpointId);
  // Deleted or paused since the event: the message is dropped, not retried. A test is sent even to a
  // paused endpoint: checking a receiver before turning it on is what it is for.
  if (!endpoint || (!endpoint.enabled && payload.type !== TEST_EVENT)) return;
  const secret = await secretOf(db, endpoint.id);
  if (!secret) return;
  const started = performance.now();
  let status: number | null = null;
  let failure: Error | null = null;
  try {
    ({ status } = await postPublic(endpoint.url, { allowPrivate: ctx.config.fetchAllowPrivate, body: payload.body, headers: signedHeaders(secret, payload.messageId, payload.body, new Date()), timeoutMs, signal }));
    if (status < 200 || status >= 300) {
      const words = `${new URL(endpoint.url).host} answered ${status}`;
      failure = isPermanentStatus(status) ? new PermanentJobError(words) : new Error(words);
    }
  } catch (error) {
    failure = error instanceof FetchRefused && error.permanent ? new PermanentJobError(error.message) : error instanceof Error ? error : new Error(String(error));
  }
  const durationMs = Math.round(performance.now() - started);
  const last = failure instanceof PermanentJobError || job.attempts >= job.maxAttempts;
  const outcome: WebhookDelivery['outcome'] = failure === null ? 'delivered' : last ? 'failed' : 'retrying';
  await recordDelivery(db, endpoint.id, { messageId: payload.messageId, eventType: payload.type, jobId: job.id, attempt: job.attempts, outcome, responseStatus: status, durationMs, error: failure ? failure.message.slice(0, 500) : null });
  if (failure) throw failure;
}

export function webhookJobHandlers(ctx: AppContext, options: { timeoutMs?: number } = {}): Record<string, JobHandler> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return { [WEBHOOK_JOB]: (job, run) => deliver(ctx, job, run.signal, timeoutMs) };
}
