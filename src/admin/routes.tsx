import type { FastifyInstance } from 'fastify';
import type { CommentRouteOptions } from '../comments/requests.ts';
import { adminApiRoutes } from './api.ts';
import { adminPageRoutes } from './pages.tsx';

export async function adminRoutes(app: FastifyInstance, options: CommentRouteOptions) {
  await app.register(adminApiRoutes, options);
  await app.register(adminPageRoutes, options);
}
