import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { avatarPath, readerPath } from '../accounts/presenter.ts';
import { findAccountByHandle } from '../accounts/store.ts';
import { commentUrl } from '../comments/presenter.ts';
import type { AppContext } from '../context.ts';
import { requireActor } from '../http/auth.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { HttpError } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import { activityFeed, isIdCursor, readerComments, type FeedComment } from './feed-store.ts';
import { followedConversations, isFollowingCursor } from './following-store.ts';

// The activity feed and a reader's comments as JSON: keyset pages, newest first.

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const FeedCommentJson = Type.Object({
  id: Type.Integer(),
  bodyHtml: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  parentId: Nullable(Type.Integer()),
  url: Type.String({ description: 'The comment in its thread.' }),
  author: Type.Object({ handle: Type.String(), displayName: Type.String(), avatarUrl: Type.String(), profileUrl: Type.String() }),
  article: Type.Object({ slug: Type.String(), headline: Type.String() }),
  via: Nullable(Type.Union([Type.Literal('reader'), Type.Literal('conversation')])),
});
const PageJson = Type.Object({ comments: Type.Array(FeedCommentJson), nextCursor: Nullable(Type.String()) });
const CursorQuery = Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 64 })) });

const present = (c: FeedComment) => ({
  ...c,
  url: commentUrl(c.article.slug, c),
  author: { ...c.author, avatarUrl: avatarPath(c.author.handle), profileUrl: readerPath(c.author.handle) },
});

export async function feedRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  api.get(
    '/api/v1/feed',
    { schema: { summary: 'Your activity: comments by readers you follow and in conversations you follow, newest first', tags: ['community'], querystring: CursorQuery, response: { 200: PageJson, 400: ErrorJson, 401: ErrorJson } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const page = await activityFeed(db, actor.userId, decodeCursor(request.query.cursor, isIdCursor));
      reply.header('cache-control', 'no-store');
      return { comments: page.comments.map(present), nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  api.get(
    '/api/v1/me/following',
    {
      schema: {
        summary: 'The conversations you follow, the most recently active first, with the replies since you last opened each',
        tags: ['community'],
        querystring: CursorQuery,
        response: {
          200: Type.Object({
            conversations: Type.Array(
              Type.Object({
                article: Type.Object({ slug: Type.String(), headline: Type.String(), url: Type.String() }),
                commentCount: Type.Integer(),
                newReplies: Type.Integer({ description: 'Readable comments by others since you last opened the article page (or followed it)' }),
                lastCommentAt: Nullable(Type.String({ format: 'date-time' })),
                lastSeenAt: Nullable(Type.String({ format: 'date-time' })),
              }),
            ),
            nextCursor: Nullable(Type.String()),
          }),
          400: ErrorJson,
          401: ErrorJson,
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const page = await followedConversations(db, actor.userId, decodeCursor(request.query.cursor, isFollowingCursor), 30);
      reply.header('cache-control', 'no-store');
      return {
        conversations: page.items.map((c) => ({
          article: { slug: c.slug, headline: c.headline, url: `/articles/${encodeURIComponent(c.slug)}` },
          commentCount: c.commentCount,
          newReplies: c.newReplies,
          lastCommentAt: c.lastCommentAt,
          lastSeenAt: c.lastSeenAt,
        })),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },
  );

  api.get(
    '/api/v1/readers/:handle/comments',
    {
      schema: {
        summary: "A reader's published comments, newest first",
        tags: ['readers'],
        params: Type.Object({ handle: Type.String({ minLength: 1, maxLength: 60 }) }),
        querystring: CursorQuery,
        response: { 200: PageJson, 400: ErrorJson, 404: ErrorJson },
      },
    },
    async (request) => {
      const reader = await findAccountByHandle(db, request.params.handle);
      if (!reader) throw HttpError.translated(404, 'not_found', 'errors.community.noSuchReader');
      const page = await readerComments(db, reader.id, decodeCursor(request.query.cursor, isIdCursor));
      return { comments: page.comments.map(present), nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );
}
