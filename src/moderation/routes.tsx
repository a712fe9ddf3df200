import type { FastifyInstance } from 'fastify';
import type { CommentRouteOptions } from '../comments/requests.ts';
import { moderationApiRoutes } from './api.ts';
import { moderationPageRoutes } from './page-routes.tsx';
import { articleControlRoutes } from './article-control-routes.ts';

/** Everything moderation serves: the API and the pages (/moderate, reports, warnings). */
export async function moderationRoutes(app: FastifyInstance, options: CommentRouteOptions) {
  await app.register(moderationApiRoutes, options);
  await app.register(moderationPageRoutes, options);
  await app.register(articleControlRoutes, options);
}
