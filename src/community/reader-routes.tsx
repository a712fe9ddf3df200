import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HttpError } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import type { AppContext } from '../context.ts';
import type { ChromeFactory } from '../ui/chrome.ts';
import { presentReader, ReaderJson } from '../accounts/presenter.ts';
import { findAccountByHandle } from '../accounts/store.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { isIdCursor, readerComments } from './feed-store.ts';
import { sendHtml } from './pages.tsx';
import { presentReaderCommunity, ReaderCommunityJson } from './presenter.ts';
import { ReaderPage } from './reader-page.tsx';
import { readerStats, relationship } from './store.ts';

// Readers' public pages and the same as JSON: who they are (from accounts) with what the community
// knows of them. They live here so that accounts, which is identity alone, never imports community.

const HandleParams = Type.Object({ handle: Type.String({ minLength: 1, maxLength: 60 }) });
const noSuchReader = () => HttpError.translated(404, 'not_found', 'errors.community.noSuchReader');

export async function readerRoutes(app: FastifyInstance, { ctx, chrome }: { ctx: AppContext; chrome: ChromeFactory }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  // The community's part (counts, how the viewer stands, their comments) comes from its stores.
  const community = async (readerId: number, viewerId: number | null) => {
    const viewer = viewerId !== null && viewerId !== readerId ? await relationship(db, viewerId, readerId) : null;
    return presentReaderCommunity(await readerStats(db, readerId), viewer);
  };

  api.get('/readers/:handle', { schema: { hide: true, params: HandleParams, querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 64 })) }) } }, async (request, reply) => {
    const reader = await findAccountByHandle(db, request.params.handle);
    if (!reader) throw noSuchReader();
    const comments = await readerComments(db, reader.id, decodeCursor(request.query.cursor, isIdCursor));
    const extra = { community: await community(reader.id, request.actor?.userId ?? null), comments: comments.comments, next: comments.next ? encodeCursor(comments.next) : null };
    return sendHtml(reply, 200, <ReaderPage chrome={chrome(request, reply)} reader={reader} {...extra} />);
  });

  api.get(
    '/api/v1/readers/:handle',
    { schema: { summary: 'A reader’s public profile', tags: ['readers'], params: HandleParams, response: { 200: Type.Object({ reader: ReaderJson, community: ReaderCommunityJson }), 404: ErrorJson } } },
    async (request) => {
      const reader = await findAccountByHandle(db, request.params.handle);
      if (!reader) throw noSuchReader();
      return { reader: presentReader(reader), community: await community(reader.id, request.actor?.userId ?? null) };
    },
  );
}
