import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fresh from 'fresh';
import { FAVICON, ICONS, MANIFEST_PATH, webManifest } from './icons.ts';

const YEAR = 'public, max-age=31536000, immutable';
/** Fixed names: cached for a week, then revalidated (the ETag makes that a 304). */
const WEEK = 'public, max-age=604800';

export async function iconRoutes(app: FastifyInstance, { siteName }: { siteName: string }) {
  const serve = (path: string, type: string, body: Buffer | string, cacheControl: string) => {
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    app.get(path, { schema: { hide: true } }, async (request, reply) => {
      reply.type(type).header('cache-control', cacheControl).header('etag', etag);
      if (fresh(request.headers, { etag })) return reply.code(304).send();
      return reply.send(body);
    });
  };
  serve(FAVICON.path, FAVICON.type, FAVICON.body, WEEK);
  serve(MANIFEST_PATH, 'application/manifest+json; charset=utf-8', webManifest(siteName), WEEK);
  for (const icon of Object.values(ICONS)) serve(icon.path, icon.type, icon.body, YEAR);
}
