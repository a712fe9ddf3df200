import type { FastifyInstance } from 'fastify';
import type { CommentRouteOptions } from '../comments/requests.ts';

export async function moderationPageRoutes(_app: FastifyInstance, _options: CommentRouteOptions) {}
