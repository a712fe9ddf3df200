import type { Generated } from 'kysely';

/** An address a site's other systems listen on (src/webhooks). */
export interface WebhookEndpointsTable {
  id: Generated<number>;
  site_id: number;
  url: string;
  description: string;
  /** JSON array of public event names (src/webhooks/events.ts), e.g. ["comment.created"]. */
  events: string;
  /** The signing secret, `whsec_` + base64 (Standard Webhooks); shown to the admin once. */
  secret: string;
  /** 0: paused (nothing is enqueued, pending deliveries are dropped). */
  enabled: number;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** One attempt to deliver one message; the last few per endpoint are kept (src/webhooks/deliveries.ts). */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: number;
  /** The `webhook-id` header: the same on every attempt of one message. */
  message_id: string;
  event_type: string;
  job_id: number | null;
  attempt: number;
  /** delivered | retrying | failed */
  outcome: string;
  response_status: number | null;
  duration_ms: number;
  error: string | null;
  created_at: string;
}

export interface WebhookTables {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
