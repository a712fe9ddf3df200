import type { FastifyInstance, FastifySchema } from 'fastify';

// Every route the application serves, as method and URL (and the schema it validates its input with),
// collected while the app is built: the authorization table test (test/moderation/authorization.test.ts)
// fails when a route is not in it, and the robustness test (test/robustness/no-server-errors.slow.test.ts)
// sends every route malformed input built from its schema.

export interface RouteEntry {
  method: string;
  url: string;
  schema?: FastifySchema;
}

const lists = new WeakMap<FastifyInstance, RouteEntry[]>();

export function collectRoutes(app: FastifyInstance): void {
  const list: RouteEntry[] = [];
  lists.set(app, list);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') list.push({ method, url: route.url, schema: route.schema });
  });
}

export const routesOf = (app: FastifyInstance): RouteEntry[] => lists.get(app) ?? [];
