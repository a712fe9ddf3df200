import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { renderAvatar } from './avatar.tsx';
import { findAccountByHandle } from './store.ts';

// A reader's generated avatar (their initials): part of who they are, so it stays with accounts; their
// public page is the community's (community/reader-routes.tsx).

const HandleParams = Type.Object({ handle: Type.String({ minLength: 1, maxLength: 60 }) });

export async function avatarRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  api.get('/readers/:handle/avatar.svg', { schema: { hide: true, params: HandleParams } }, async (request, reply) => {
    const reader = await findAccountByHandle(db, request.params.handle);
    if (!reader) throw HttpError.translated(404, 'not_found', 'errors.community.noSuchReader');
    return reply
      .type('image/svg+xml; charset=utf-8')
      // Short: a new display name means new initials.
      .header('cache-control', 'public, max-age=300')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(renderAvatar(reader.handle, reader.displayName));
  });
}
