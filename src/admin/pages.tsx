import type { FastifyInstance } from 'fastify';
import type { CommentRouteOptions } from '../comments/requests.ts';

export async function adminPageRoutes(_app: FastifyInstance, _options: CommentRouteOptions) {}
