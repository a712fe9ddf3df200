import type { FastifyInstance } from 'fastify';
import type { CommentRouteOptions } from '../comments/requests.ts';
import { adminApiRoutes } from './api.ts';
import { adminPageRoutes } from './pages.tsx';
import { adminSitesApiRoutes } from './sites-api.ts';
import { adminSitesPageRoutes } from './sites-pages.tsx';

export async function adminRoutes(app: FastifyInstance, options: CommentRouteOptions) {
  await app.register(adminApiRoutes, options);
  await app.register(adminPageRoutes, options);
  await app.register(adminSitesApiRoutes, options);
  await app.register(adminSitesPageRoutes, options);
}
