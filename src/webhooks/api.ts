import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { endpointOr404 as findEndpointOr404 } from './store.ts';
import { Type } from 'typebox';
import type { CommentRouteOptions } from '../comments/requests.ts';
import { ErrorJson } from '../http/schemas.ts';
import { canAdminister } from '../moderation/policy.ts';
import { check } from '../moderation/requests.ts';
import { findSiteByKey } from '../sites/store.ts';
import { createEndpoint, deleteEndpoint, sendTestEvent, updateEndpoint, WebhookRefused } from './commands.ts';
import { TEST_EVENT, WEBHOOK_EVENT_NAMES, type WebhookEventName } from './events.ts';
import { listDeliveries, listEndpoints, type WebhookEndpoint } from './store.ts';

// Webhook endpoints for admins (issue 15 §3): register, read, change, remove, test, and read the
// delivery log. The secret is in the answer that made it (create, or PATCH with rotateSecret) only.

const Errors = { 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson };
const tags = ['admin'];
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });
const EventName = Type.Unsafe<WebhookEventName>(Type.String({ enum: [...WEBHOOK_EVENT_NAMES], description: 'A public event name' }));

const EndpointJson = Type.Object({
  id: Type.Integer(),
  site: Type.String({ description: 'The key of the site whose events it hears' }),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(EventName),
  enabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const DeliveryJson = Type.Object({
  id: Type.Integer(),
  messageId: Type.String({ description: 'The webhook-id header: the same on every attempt of one message' }),
  eventType: Type.String(),
  attempt: Type.Integer(),
  outcome: Type.Union([Type.Literal('delivered'), Type.Literal('retrying'), Type.Literal('failed')]),
  responseStatus: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

const NewEndpointJson = Type.Object(
  {
    site: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'Site key; the default site when left out' })),
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    events: Type.Array(EventName, { minItems: 1, maxItems: WEBHOOK_EVENT_NAMES.length, uniqueItems: true }),
    description: Type.Optional(Type.String({ maxLength: 300 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const EndpointPatchJson = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    events: Type.Optional(Type.Array(EventName, { minItems: 1, maxItems: WEBHOOK_EVENT_NAMES.length, uniqueItems: true })),
    description: Type.Optional(Type.String({ maxLength: 300 })),
    enabled: Type.Optional(Type.Boolean()),
    rotateSecret: Type.Optional(Type.Boolean({ description: 'Replace the signing secret; the answer carries the new one, once' })),
  },
  { additionalProperties: false },
);

const Secret = Type.String({ description: 'The signing secret (whsec_…), shown in this answer only' });

export const presentEndpoint = (e: WebhookEndpoint) => ({ id: e.id, site: e.siteKey, url: e.url, description: e.description, events: e.events, enabled: e.enabled, createdAt: e.createdAt, updatedAt: e.updatedAt });

export async function webhookApiRoutes(app: FastifyInstance, { ctx }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;
  const endpointOr404 = (id: number) => findEndpointOr404(db, id);

  api.get(
    '/api/v1/admin/webhooks',
    {
      schema: {
        summary: 'Webhook endpoints, of every site or of one (admins)',
        tags,
        querystring: Type.Object({ site: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })) }),
        response: { 200: Type.Object({ endpoints: Type.Array(EndpointJson) }), ...Errors },
      },
    },
    async (request) => {
      check(canAdminister(request.actor));
      let siteId: number | undefined;
      if (request.query.site !== undefined) {
        const site = await findSiteByKey(db, request.query.site);
        if (!site) throw WebhookRefused.keyed(400, 'unknown_site', 'errors.sites.noSiteWithKey', { key: request.query.site });
        siteId = site.id;
      }
      return { endpoints: (await listEndpoints(db, { siteId })).map(presentEndpoint) };
    },
  );

  api.post(
    '/api/v1/admin/webhooks',
    {
      schema: {
        summary: 'Register a webhook endpoint (admins); audited. The answer carries its signing secret, once',
        tags,
        body: NewEndpointJson,
        response: { 201: Type.Object({ endpoint: EndpointJson, secret: Secret }), ...Errors },
      },
    },
    async (request, reply) => {
      check(canAdminister(request.actor));
      const { endpoint, secret } = await createEndpoint(ctx, request.actor!.userId, request.body);
      return reply.status(201).header('cache-control', 'no-store').send({ endpoint: presentEndpoint(endpoint), secret });
    },
  );

  api.get('/api/v1/admin/webhooks/:id', { schema: { summary: 'One webhook endpoint (admins); never its secret', tags, params: IdParams, response: { 200: Type.Object({ endpoint: EndpointJson }), ...Errors } } }, async (request) => {
    check(canAdminister(request.actor));
    return { endpoint: presentEndpoint(await endpointOr404(request.params.id)) };
  });

  api.patch(
    '/api/v1/admin/webhooks/:id',
    {
      schema: {
        summary: 'Change a webhook endpoint (admins); audited. Fields left out stay',
        tags,
        params: IdParams,
        body: EndpointPatchJson,
        response: { 200: Type.Object({ endpoint: EndpointJson, secret: Type.Optional(Secret) }), ...Errors },
      },
    },
    async (request, reply) => {
      check(canAdminister(request.actor));
      const { endpoint, secret } = await updateEndpoint(ctx, request.actor!.userId, await endpointOr404(request.params.id), request.body);
      return reply.header('cache-control', 'no-store').send({ endpoint: presentEndpoint(endpoint), ...(secret ? { secret } : {}) });
    },
  );

  api.delete('/api/v1/admin/webhooks/:id', { schema: { summary: 'Remove a webhook endpoint and its log (admins); audited', tags, params: IdParams, response: { 204: Type.Null(), ...Errors } } }, async (request, reply) => {
    check(canAdminister(request.actor));
    await deleteEndpoint(ctx, request.actor!.userId, await endpointOr404(request.params.id));
    return reply.status(204).send(null);
  });

  api.post(
    '/api/v1/admin/webhooks/:id/test',
    {
      schema: {
        summary: `Send a test event (${TEST_EVENT}) to the endpoint (admins); its result appears in the delivery log`,
        tags,
        params: IdParams,
        response: { 202: Type.Object({ messageId: Type.String() }), ...Errors },
      },
    },
    async (request, reply) => {
      check(canAdminister(request.actor));
      const sent = await sendTestEvent(ctx, request.actor!.userId, await endpointOr404(request.params.id));
      return reply.status(202).send(sent);
    },
  );

  api.get(
    '/api/v1/admin/webhooks/:id/deliveries',
    { schema: { summary: 'The endpoint’s latest delivery attempts, newest first (admins)', tags, params: IdParams, response: { 200: Type.Object({ deliveries: Type.Array(DeliveryJson) }), ...Errors } } },
    async (request) => {
      check(canAdminister(request.actor));
      const endpoint = await endpointOr404(request.params.id);
      return { deliveries: await listDeliveries(db, endpoint.id) };
    },
  );
}
