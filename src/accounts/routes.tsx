import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { requireActor } from '../http/auth.ts';
import { csrfToken } from '../http/csrf.ts';
import { ErrorJson } from '../http/schemas.ts';
import type { ChromeFactory } from '../ui/chrome.ts';
import type { Actor } from './model.ts';

export interface AccountRouteOptions {
  ctx: AppContext;
  chrome: ChromeFactory;
}

export const UserJson = Type.Object({
  handle: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  emailVerified: Type.Boolean(),
});

export const presentActor = (actor: Actor) => ({
  handle: actor.handle,
  displayName: actor.displayName,
  role: actor.role,
  emailVerified: actor.emailVerified,
});

export async function accountRoutes(app: FastifyInstance, _options: AccountRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/api/v1/auth/csrf',
    { schema: { summary: 'A CSRF token for API calls made with the session cookie', tags: ['auth'], response: { 200: Type.Object({ token: Type.String() }) } } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { token: csrfToken(reply) };
    },
  );

  api.get(
    '/api/v1/me',
    { schema: { summary: 'The signed-in reader', tags: ['auth'], response: { 200: Type.Object({ user: UserJson }), 401: ErrorJson } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { user: presentActor(requireActor(request)) };
    },
  );
}
