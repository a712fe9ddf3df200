import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import fresh from 'fresh';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { findMedia, mediaPath } from './store.ts';

// GET /media/<sha256>.<ext>: the pictures Parley keeps. The name is the content's hash, so an address
// always means the same bytes and browsers may keep them for a year without asking again.

const MediaParams = Type.Object({ file: Type.String() });
const NAME = /^([0-9a-f]{64})\.[a-z0-9]+$/;

export async function mediaRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get('/media/:file', { schema: { hide: true, params: MediaParams } }, async (request, reply) => {
    const sha256 = NAME.exec(request.params.file)?.[1];
    const media = sha256 ? await findMedia(ctx.db.kysely, sha256) : null;
    // Only the name the picture was published under: another extension would serve it under a false one.
    if (!media || mediaPath(media.sha256, media.contentType) !== `/media/${request.params.file}`) {
      throw HttpError.translated(404, 'not_found', 'errors.media.noPicture');
    }
    reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', `"${media.sha256}"`);
    if (fresh(request.headers, { etag: `"${media.sha256}"` })) return reply.code(304).send();
    return reply.type(media.contentType).header('content-length', media.byteSize).send(media.bytes);
  });
}
