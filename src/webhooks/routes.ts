import type { FastifyInstance } from 'fastify';
import type { CommentRouteOptions } from '../comments/requests.ts';
import { webhookApiRoutes } from './api.ts';
import { webhookPageRoutes } from './pages.tsx';

/** Webhooks for admins: the API (/api/v1/admin/webhooks…) and the pages (/admin/webhooks…). */
export async function webhookRoutes(app: FastifyInstance, options: CommentRouteOptions) {
  await app.register(webhookApiRoutes, options);
  await app.register(webhookPageRoutes, options);
}
