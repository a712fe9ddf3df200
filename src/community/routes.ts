import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findAccountByHandle, type Account } from '../accounts/store.ts';
import { findArticleBySlug } from '../articles/store.ts';
import type { AppContext } from '../context.ts';
import { requireActor } from '../http/auth.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { HttpError } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import { followArticle, followReader, muteReader, unfollowArticle, unfollowReader, unmuteReader } from './commands.ts';
import { isFollowCursor, LIST_PAGE_SIZE, type FollowList } from './model.ts';
import { canViewFollowList } from './policy.ts';
import { presentListedReader, presentReaderCommunity, ReaderCommunityJson, ReaderListJson } from './presenter.ts';
import { meRoutes } from './me-routes.ts';
import { notificationRoutes } from './notification-routes.ts';
import type { ChromeFactory } from '../ui/chrome.ts';
import { bellRoutes } from './bell.ts';
import { feedRoutes } from './feed-routes.ts';
import { communityPages } from './pages.tsx';
import { notificationOpenRoutes } from './notification-open.ts';
import { readerRoutes } from './reader-routes.tsx';
import { settingsPages } from './settings-page.tsx';
import { listFollows, readerStats, relationship } from './store.ts';

// The community API: following readers and conversations; muting; the lists (authors: me-routes.ts). Thin: parse,
// authenticate, ask the policy, run the command, present.

const HandleParams = Type.Object({ handle: Type.String({ minLength: 1, maxLength: 60 }) });
const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) });
const Errors = { 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson };
const tags = ['community'];

export interface CommunityRouteOptions {
  ctx: AppContext;
  chrome: ChromeFactory;
}

export async function communityRoutes(app: FastifyInstance, { ctx, chrome }: CommunityRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  const readerOr404 = async (handle: string): Promise<Account> => {
    const reader = await findAccountByHandle(db, handle);
    if (!reader) throw HttpError.translated(404, 'not_found', 'errors.community.noSuchReader');
    return reader;
  };
  const articleOr404 = async (slug: string) => {
    const article = await findArticleBySlug(db, slug);
    if (!article) throw HttpError.translated(404, 'not_found', 'errors.community.noSuchArticle');
    return article;
  };

  api.get(
    '/api/v1/readers/:handle/community',
    {
      schema: {
        summary: "A reader's follower and following counts, and how the signed-in viewer stands to them",
        tags,
        params: HandleParams,
        response: { 200: Type.Object({ community: ReaderCommunityJson }), ...Errors },
      },
    },
    async (request) => {
      const reader = await readerOr404(request.params.handle);
      const viewer = request.actor && request.actor.userId !== reader.id ? await relationship(db, request.actor.userId, reader.id) : null;
      return { community: presentReaderCommunity(await readerStats(db, reader.id), viewer) };
    },
  );

  for (const method of ['PUT', 'DELETE'] as const) {
    const on = method === 'PUT';
    api.route({
      method,
      url: '/api/v1/readers/:handle/follow',
      schema: {
        summary: on ? 'Follow a reader (again is fine)' : 'Stop following a reader',
        tags,
        params: HandleParams,
        response: { 200: Type.Object({ following: Type.Boolean(), followerCount: Type.Integer() }), ...Errors },
      },
      handler: async (request) => {
        const actor = requireActor(request);
        const reader = await readerOr404(request.params.handle);
        const result = await (on ? followReader(ctx, actor.userId, reader.id) : unfollowReader(ctx, actor.userId, reader.id));
        return { following: on, followerCount: result.stats.followerCount };
      },
    });

    api.route({
      method,
      url: '/api/v1/readers/:handle/mute',
      schema: {
        summary: on ? 'Mute a reader: their comments fold away for you and cause you no notifications; they cannot follow you' : 'Unmute a reader',
        tags,
        params: HandleParams,
        response: { 200: Type.Object({ muted: Type.Boolean() }), ...Errors },
      },
      handler: async (request) => {
        const actor = requireActor(request);
        const reader = await readerOr404(request.params.handle);
        await (on ? muteReader(ctx, actor.userId, reader.id) : unmuteReader(ctx, actor.userId, reader.id));
        return { muted: on };
      },
    });

    api.route({
      method,
      url: '/api/v1/articles/:slug/follow',
      schema: {
        summary: on ? "Follow an article's conversation" : "Stop following an article's conversation",
        tags,
        params: SlugParams,
        response: { 200: Type.Object({ following: Type.Boolean() }), ...Errors },
      },
      handler: async (request) => {
        const actor = requireActor(request);
        const article = await articleOr404(request.params.slug);
        await (on ? followArticle(ctx, actor.userId, Number(article.id)) : unfollowArticle(ctx, actor.userId, Number(article.id)));
        return { following: on };
      },
    });
  }

  for (const list of ['followers', 'following'] as const satisfies readonly FollowList[]) {
    api.get(
      `/api/v1/readers/:handle/${list}`,
      {
        schema: {
          summary: list === 'followers' ? "A reader's followers, newest first" : 'The readers a reader follows, newest first',
          tags,
          params: HandleParams,
          querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 512 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
          response: { 200: ReaderListJson, ...Errors },
        },
      },
      async (request: FastifyRequest<{ Params: { handle: string }; Querystring: { cursor?: string; limit?: number } }>) => {
        const reader = await readerOr404(request.params.handle);
        const stats = await readerStats(db, reader.id);
        if (!canViewFollowList(request.actor?.userId ?? null, reader.id, list, stats)) {
          throw HttpError.translated(403, 'list_private', 'errors.community.listPrivate', { name: reader.displayName, list });
        }
        const after = decodeCursor(request.query.cursor, isFollowCursor);
        const page = await listFollows(db, reader.id, list, after, request.query.limit ?? LIST_PAGE_SIZE);
        return { readers: page.readers.map(presentListedReader), nextCursor: page.next ? encodeCursor(page.next) : null };
      },
    );
  }

  await meRoutes(app, { ctx });
  await notificationRoutes(app, { ctx });
  await bellRoutes(app, { ctx });
  await feedRoutes(app, { ctx });
  await communityPages(app, { ctx, chrome });
  await notificationOpenRoutes(app, { ctx });
  await readerRoutes(app, { ctx, chrome });
  await settingsPages(app, { ctx, chrome });
}
