import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fresh from 'fresh';
import { FAVICON, ICONS, MANIFEST_PATH, webManifest, type IconFile } from './icons.ts';

const YEAR = 'public, max-age=31536000, immutable';
/** Fixed names: cached for a week, then revalidated (the ETag makes that a 304). */
const WEEK = 'public, max-age=604800';

interface Served {
  type: string;
  body: Buffer | string;
  etag: string;
  cacheControl: string;
}

const served = (type: string, body: Buffer | string, cacheControl: string): Served => ({
  type,
  body,
  cacheControl,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
});

function send(request: FastifyRequest, reply: FastifyReply, file: Served) {
  reply.type(file.type).header('cache-control', file.cacheControl).header('etag', file.etag);
  if (fresh(request.headers, { etag: file.etag })) return reply.code(304).send();
  return reply.send(file.body);
}

export async function iconRoutes(app: FastifyInstance, { siteName }: { siteName: string }) {
  const favicon = served(FAVICON.type, FAVICON.body, WEEK);
  const manifest = served('application/manifest+json; charset=utf-8', webManifest(siteName), WEEK);
  // The icons' names carry their content hash, so one route serves them all for a year.
  const byName = new Map(Object.values(ICONS).map((icon: IconFile) => [icon.path.slice('/assets/icons/'.length), served(icon.type, icon.body, YEAR)]));
  app.get(FAVICON.path, { schema: { hide: true } }, (request, reply) => send(request, reply, favicon));
  app.get(MANIFEST_PATH, { schema: { hide: true } }, (request, reply) => send(request, reply, manifest));
  app.get<{ Params: { file: string } }>('/assets/icons/:file', { schema: { hide: true } }, (request, reply) => {
    const file = byName.get(request.params.file);
    if (!file) return reply.callNotFound();
    return send(request, reply, file);
  });
}
