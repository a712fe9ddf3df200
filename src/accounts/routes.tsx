import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { csrfToken } from '../http/csrf.ts';
import type { ChromeFactory } from '../ui/chrome.ts';
import { accountPageRoutes } from './account-pages.tsx';
import { apiAuthRoutes } from './api-auth.ts';
import { apiMeRoutes } from './api-me.ts';
import { authPageRoutes } from './auth-pages.tsx';
import type { AccountRouteDeps } from './http-helpers.ts';
import { createAccountLimiter } from './limits.ts';
import { avatarRoutes } from './avatar-routes.ts';

export { presentActor, UserJson } from './presenter.ts';

export interface AccountRouteOptions {
  ctx: AppContext;
  chrome: ChromeFactory;
}

/** Everything of the accounts feature: the JSON API, the pages, and readers' avatars (their public pages are the community's). */
export async function accountRoutes(app: FastifyInstance, { ctx, chrome }: AccountRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  // One set of counters for the pages and the API, so an attacker cannot double the allowance.
  const deps: AccountRouteDeps = { ctx, chrome, limiter: createAccountLimiter(app) };

  api.get(
    '/api/v1/auth/csrf',
    { schema: { summary: 'A CSRF token for API calls made with the session cookie', tags: ['auth'], response: { 200: Type.Object({ token: Type.String() }) } } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { token: csrfToken(reply) };
    },
  );

  await apiAuthRoutes(app, deps);
  await apiMeRoutes(app, deps);
  await authPageRoutes(app, deps);
  await accountPageRoutes(app, deps);
  await avatarRoutes(app, deps);
}
