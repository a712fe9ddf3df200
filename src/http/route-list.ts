import type { FastifyInstance } from 'fastify';

// Every route the application serves, as method and URL, collected while the app is built: the
// authorization table test (test/moderation/authorization.test.ts) fails when a route is not in it.

const lists = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

export function collectRoutes(app: FastifyInstance): void {
  const list: { method: string; url: string }[] = [];
  lists.set(app, list);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') list.push({ method, url: route.url });
  });
}

export const routesOf = (app: FastifyInstance) => lists.get(app) ?? [];
