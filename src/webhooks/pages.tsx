import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { endpointOr404 as findEndpointOr404 } from './store.ts';
import { Type } from 'typebox';
import type { CommentRouteOptions } from '../comments/requests.ts';
import { canAdminister } from '../moderation/policy.ts';
import { check } from '../moderation/requests.ts';
import { listSites } from '../sites/store.ts';
import { renderDocument } from '../ui/render.ts';
import type { Translator } from '../i18n/index.ts';
import { createEndpoint, deleteEndpoint, descriptionProblem, eventsProblem, sendTestEvent, updateEndpoint, WebhookRefused, webhookUrlProblem } from './commands.ts';
import { listDeliveries, listEndpoints, type WebhookEndpoint } from './store.ts';
import { WebhookPage, WebhooksPage, type EndpointFormState } from './views.tsx';

// The webhooks pages for admins: plain forms that POST and redirect.

const Form = Type.Object({}, { additionalProperties: Type.String({ maxLength: 5000 }) });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) });
const Notices = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 5 })), tested: Type.Optional(Type.String({ maxLength: 5 })), deleted: Type.Optional(Type.String({ maxLength: 5 })) });
const hidden = { hide: true };
const html = (reply: FastifyReply, status: number, body: string) => reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

type Body = Record<string, string>;

/** The form's fields as typed, and the problem of each. */
function endpointFromForm(body: Body, i18n: Translator): EndpointFormState {
  const values = {
    site: (body.site ?? '').trim(),
    url: (body.url ?? '').trim(),
    description: (body.description ?? '').trim(),
    events: Object.keys(body)
      .filter((k) => k.startsWith('event:') && body[k] === '1')
      .map((k) => k.slice(6)),
    enabled: body.enabled === '1',
  };
  const errors: EndpointFormState['errors'] = {};
  const url = webhookUrlProblem(values.url, i18n);
  if (url) errors.url = url;
  const events = eventsProblem(values.events, i18n);
  if (events) errors.events = events;
  const description = descriptionProblem(values.description, i18n);
  if (description) errors.description = description;
  return { values, errors };
}

const stored = (e: WebhookEndpoint): EndpointFormState => ({ values: { url: e.url, description: e.description, events: e.events, enabled: e.enabled }, errors: {} });

export async function webhookPageRoutes(app: FastifyInstance, { ctx, chrome }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;
  const endpointOr404 = (id: number) => findEndpointOr404(db, id);
  const listPage = async (request: Parameters<typeof chrome>[0], reply: FastifyReply, status: number, form: EndpointFormState, notice: string | null = null) =>
    html(reply, status, renderDocument(<WebhooksPage chrome={chrome(request, reply)} endpoints={await listEndpoints(db)} sites={await listSites(db)} form={form} notice={notice} />, request.i18n));
  const endpointPage = async (request: Parameters<typeof chrome>[0], reply: FastifyReply, status: number, endpoint: WebhookEndpoint, extra: { form?: EndpointFormState; notice?: string | null; secret?: string | null } = {}) =>
    html(
      reply,
      status,
      renderDocument(<WebhookPage chrome={chrome(request, reply)} endpoint={endpoint} deliveries={await listDeliveries(db, endpoint.id)} form={extra.form ?? stored(endpoint)} notice={extra.notice} secret={extra.secret} />, request.i18n),
    );

  api.get('/admin/webhooks', { schema: { ...hidden, querystring: Notices } }, async (request, reply) => {
    check(canAdminister(request.actor));
    return listPage(request, reply, 200, { values: { events: [] }, errors: {} }, request.query.deleted ? request.i18n.t('webhooks.notice.deleted') : null);
  });

  // The new secret is shown on this answer only: it is in no address, log or later page.
  api.post('/admin/webhooks', { schema: { ...hidden, body: Form } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const form = endpointFromForm(request.body as Body, request.i18n);
    if (Object.keys(form.errors).length) return listPage(request, reply, 400, form);
    try {
      const { endpoint, secret } = await createEndpoint(ctx, request.actor!.userId, { site: form.values.site, url: form.values.url!, description: form.values.description, events: form.values.events! });
      return endpointPage(request, reply, 201, endpoint, { notice: request.i18n.t('webhooks.notice.created'), secret });
    } catch (error) {
      if (!(error instanceof WebhookRefused)) throw error;
      return listPage(request, reply, error.status, { ...form, general: error.messageIn(request.i18n) });
    }
  });

  api.get('/admin/webhooks/:id', { schema: { ...hidden, params: IdParams, querystring: Notices } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const notice = request.query.tested ? request.i18n.t('webhooks.notice.tested') : request.query.saved ? request.i18n.t('webhooks.notice.saved') : null;
    return endpointPage(request, reply, 200, await endpointOr404(request.params.id), { notice });
  });

  api.post('/admin/webhooks/:id', { schema: { ...hidden, params: IdParams, body: Form } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const endpoint = await endpointOr404(request.params.id);
    const form = endpointFromForm(request.body as Body, request.i18n);
    if (Object.keys(form.errors).length) return endpointPage(request, reply, 400, endpoint, { form });
    await updateEndpoint(ctx, request.actor!.userId, endpoint, { url: form.values.url, description: form.values.description, events: form.values.events, enabled: form.values.enabled });
    return reply.redirect(`/admin/webhooks/${endpoint.id}?saved=1`, 303);
  });

  api.post('/admin/webhooks/:id/test', { schema: { ...hidden, params: IdParams, body: Form } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const endpoint = await endpointOr404(request.params.id);
    await sendTestEvent(ctx, request.actor!.userId, endpoint);
    return reply.redirect(`/admin/webhooks/${endpoint.id}?tested=1#delivery-log`, 303);
  });

  api.post('/admin/webhooks/:id/secret', { schema: { ...hidden, params: IdParams, body: Form } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const { endpoint, secret } = await updateEndpoint(ctx, request.actor!.userId, await endpointOr404(request.params.id), { rotateSecret: true });
    return endpointPage(request, reply, 200, endpoint, { notice: request.i18n.t('webhooks.notice.secret'), secret });
  });

  api.post('/admin/webhooks/:id/delete', { schema: { ...hidden, params: IdParams, body: Form } }, async (request, reply) => {
    check(canAdminister(request.actor));
    await deleteEndpoint(ctx, request.actor!.userId, await endpointOr404(request.params.id));
    return reply.redirect('/admin/webhooks?deleted=1', 303);
  });
}
