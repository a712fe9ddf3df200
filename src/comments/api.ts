import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { setCommentsOpen } from '../articles/commands.ts';
import { findArticleById } from '../articles/store.ts';
import { requireActor } from '../http/auth.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { HttpError } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import { liveHub, resumeFrom, type LivePresenter } from '../events/live.ts';
import { getSettings } from '../settings/store.ts';
import { commentStream, COMMENT_EVENTS, deleteOwnComment, setReaction } from './commands.ts';
import { bodyProblem, isReplyCursor, isThreadCursor, sortOrDefault, SORTS } from './model.ts';
import { can, canManageArticle } from './policy.ts';
import { CommentJson, presentComment, presentThread, ThreadCommentJson } from './presenter.ts';
import { articleOr404, attemptEdit, attemptPost, commentOr404, parseParentId, policyArticle, postTargetOr404, refusal, type CommentRouteOptions } from './requests.ts';
import { findAncestors, findComment, listReplies, listRevisions, listThreads, markReactions } from './store.ts';
import { PassageInputJson } from '../passages/presenter.ts';
import { passageThreads } from '../passages/api.ts';

const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Errors = { 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson, 409: ErrorJson, 429: ErrorJson };
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
// The text's real limit is a setting; this only keeps absurd bodies out before the setting is read.
const BodyText = Type.String({ maxLength: 200_000 });

export async function commentApiRoutes(app: FastifyInstance, { ctx }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;
  const tags = ['comments'];

  api.get(
    '/api/v1/articles/:slug/comments',
    {
      schema: {
        summary: "One page of an article's threads, each with its first replies",
        tags,
        params: SlugParams,
        querystring: Type.Object({
          sort: Type.Optional(Type.Union(SORTS.map((s) => Type.Literal(s)))),
          cursor: Type.Optional(Type.String({ maxLength: 512 })),
          passage: Type.Optional(Type.Integer({ minimum: 1, description: 'Only the comments discussing this paragraph (its #p-N number), newest first' })),
        }),
        response: { 200: Type.Object({ comments: Type.Array(ThreadCommentJson), nextCursor: Nullable(Type.String()) }), ...Errors },
      },
    },
    async (request) => {
      const article = await articleOr404(ctx, request.params.slug);
      const settings = await getSettings(db);
      if (request.query.passage !== undefined) return passageThreads(db, article, request.query.passage, request.query.cursor, settings.threadsPerPage, request.actor?.userId ?? null);
      const after = decodeCursor(request.query.cursor, isThreadCursor);
      const sort = after?.s ?? sortOrDefault(request.query.sort);
      if (after && request.query.sort && request.query.sort !== after.s) throw HttpError.translated(400, 'invalid_cursor', 'comments.refused.cursorOtherOrder');
      const { threads, next } = await listThreads(db, Number(article.id), { sort, after, limit: settings.threadsPerPage, repliesPerThread: settings.repliesPerThread, viewerId: request.actor?.userId ?? null });
      await markReactions(db, request.actor?.userId ?? null, threads.flatMap((t) => [t.root, ...t.replies]));
      return { comments: threads.map((t) => presentThread(t, article.slug, request.actor?.userId ?? null)), nextCursor: next ? encodeCursor(next) : null };
    },
  );

  api.post(
    '/api/v1/articles/:slug/comments',
    {
      schema: {
        summary: 'Post a comment, or a reply when parentId is given',
        tags,
        params: SlugParams,
        body: Type.Object({ body: BodyText, parentId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))), passage: Type.Optional(Nullable(PassageInputJson)) }, { additionalProperties: false }),
        response: { 201: Type.Object({ comment: CommentJson }), ...Errors },
      },
    },
    async (request, reply) => {
      const article = await postTargetOr404(ctx, request.params.slug);
      const settings = await getSettings(db);
      const comment = await attemptPost(ctx, request.actor, article, settings, request.body.body, parseParentId(request.body.parentId), request.body.passage ?? null);
      return reply.status(201).send({ comment: presentComment(comment, article.slug, request.actor?.userId ?? null) });
    },
  );

  api.get(
    '/api/v1/comments/:id',
    {
      schema: {
        summary: 'One comment with the comments above it (for permalinks); moderators also get earlier versions',
        tags,
        params: IdParams,
        response: {
          200: Type.Object({
            comment: CommentJson,
            ancestors: Type.Array(CommentJson),
            article: Type.Object({ slug: Type.String() }),
            revisions: Type.Optional(Type.Array(Type.Object({ body: Type.String(), writtenAt: Type.String(), replacedAt: Type.String() }))),
          }),
          ...Errors,
        },
      },
    },
    async (request) => {
      const comment = await commentOr404(ctx, request.params.id, request.actor);
      const article = (await findArticleById(db, comment.articleId))!;
      const ancestors = await findAncestors(db, comment);
      await markReactions(db, request.actor?.userId ?? null, [comment, ...ancestors]);
      const settings = await getSettings(db);
      const mayViewRevisions = can(request.actor, 'viewRevisions', comment, { article: policyArticle(article), settings }).allowed;
      const revisions = mayViewRevisions
        ? (await listRevisions(db, comment.id)).map((r) => ({ body: r.body, writtenAt: r.writtenAt.toISOString(), replacedAt: r.replacedAt.toISOString() }))
        : undefined;
      return {
        comment: presentComment(comment, article.slug, request.actor?.userId ?? null),
        ancestors: ancestors.map((a) => presentComment(a, article.slug, request.actor?.userId ?? null)),
        article: { slug: article.slug },
        ...(revisions ? { revisions } : {}),
      };
    },
  );

  api.get(
    '/api/v1/comments/:id/replies',
    {
      schema: {
        summary: 'The replies below a comment, depth first and oldest first, one slice at a time',
        tags,
        params: IdParams,
        querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 4096 })) }),
        response: { 200: Type.Object({ replies: Type.Array(CommentJson), nextCursor: Nullable(Type.String()) }), ...Errors },
      },
    },
    async (request) => {
      const parent = await commentOr404(ctx, request.params.id, request.actor);
      const after = decodeCursor(request.query.cursor, isReplyCursor);
      if (after && after.c !== parent.id) throw HttpError.translated(400, 'invalid_cursor', 'comments.refused.cursorOtherComment');
      const settings = await getSettings(db);
      const article = (await findArticleById(db, parent.articleId))!;
      const { replies, next } = await listReplies(db, parent, { after: after?.p ?? null, limit: settings.repliesPerPage, viewerId: request.actor?.userId ?? null });
      await markReactions(db, request.actor?.userId ?? null, replies);
      return { replies: replies.map((r) => presentComment(r, article.slug, request.actor?.userId ?? null)), nextCursor: next ? encodeCursor(next) : null };
    },
  );

  api.patch(
    '/api/v1/comments/:id',
    {
      schema: {
        summary: 'Edit your comment within the edit window',
        tags,
        params: IdParams,
        body: Type.Object({ body: BodyText }, { additionalProperties: false }),
        response: { 200: Type.Object({ comment: CommentJson }), ...Errors },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const comment = await commentOr404(ctx, request.params.id, request.actor);
      const article = (await findArticleById(db, comment.articleId))!;
      const settings = await getSettings(db);
      const denied = refusal(can(actor, 'edit', comment, { article: policyArticle(article), settings }));
      if (denied) throw denied;
      const problem = bodyProblem(request.body.body, settings);
      if (problem) throw HttpError.translated(400, 'invalid_comment', problem.key, problem.values);
      const edited = await attemptEdit(ctx, actor, comment, article, settings, request.body.body);
      return { comment: presentComment(edited, article.slug, actor.userId) };
    },
  );

  api.delete(
    '/api/v1/comments/:id',
    { schema: { summary: 'Delete your comment: its text goes, its place in the thread stays', tags, params: IdParams, response: { 200: Type.Object({ comment: CommentJson }), ...Errors } } },
    async (request) => {
      const actor = requireActor(request);
      const comment = await commentOr404(ctx, request.params.id, request.actor);
      const article = (await findArticleById(db, comment.articleId))!;
      const denied = refusal(can(actor, 'delete', comment, { article: policyArticle(article), settings: await getSettings(db) }));
      if (denied) throw denied;
      return { comment: presentComment(await deleteOwnComment(ctx, comment, actor.userId), article.slug) };
    },
  );

  for (const method of ['PUT', 'DELETE'] as const) {
    api.route({
      method,
      url: '/api/v1/comments/:id/reaction',
      schema: {
        summary: method === 'PUT' ? 'Give your respect to a comment (once)' : 'Take your respect back',
        tags,
        params: IdParams,
        response: { 200: Type.Object({ reactionCount: Type.Integer(), reacted: Type.Boolean() }), ...Errors },
      },
      handler: async (request) => {
        const actor = requireActor(request);
        const comment = await commentOr404(ctx, request.params.id, request.actor);
        const article = (await findArticleById(db, comment.articleId))!;
        const denied = refusal(can(actor, 'react', comment, { article: policyArticle(article), settings: await getSettings(db) }));
        if (denied) throw denied;
        return setReaction(ctx, comment, actor.userId, method === 'PUT');
      },
    });

    api.route({
      method,
      url: '/api/v1/articles/:slug/comments-open',
      schema: {
        summary: method === 'PUT' ? 'Open the conversation under an article (staff)' : 'Close the conversation under an article (staff)',
        tags,
        params: SlugParams,
        response: { 200: Type.Object({ commentsOpen: Type.Boolean() }), ...Errors },
      },
      handler: async (request) => {
        const article = await articleOr404(ctx, request.params.slug);
        const denied = refusal(canManageArticle(request.actor, method === 'PUT' ? 'open' : 'close'));
        if (denied) throw denied;
        await setCommentsOpen(ctx, Number(article.id), method === 'PUT', request.actor!.userId);
        return { commentsOpen: method === 'PUT' };
      },
    });
  }

  // Live: what changed under the article, as Server-Sent Events. The presenter reads the comment as it
  // is now, so a replayed event never brings back the text of a comment deleted since.
  const presentLive: LivePresenter = async (event) => {
    if (!(COMMENT_EVENTS as readonly string[]).includes(event.type)) return null;
    const commentId = Number(event.payload.commentId);
    if (event.type === 'comment.reaction_changed') return { event: event.type, data: { id: commentId, reactionCount: event.payload.reactionCount } };
    const comment = await findComment(db, commentId);
    if (!comment) return null;
    const article = await findArticleById(db, comment.articleId);
    return { event: event.type, data: { comment: presentComment(comment, article?.slug ?? ''), commentCount: article?.commentCount ?? null } };
  };

  api.get(
    '/api/v1/articles/:slug/live',
    {
      schema: {
        summary: 'Server-Sent Events: comment.created, comment.edited, comment.deleted, comment.reaction_changed',
        description: 'Reconnect with Last-Event-ID (or ?after=ID) to receive what was missed.',
        tags,
        params: SlugParams,
        querystring: Type.Object({ after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) }),
      },
    },
    async (request, reply) => {
      const article = await articleOr404(ctx, request.params.slug);
      reply.hijack();
      await liveHub(ctx).open(reply.raw, {
        streams: [commentStream(Number(article.id))],
        present: presentLive,
        after: resumeFrom(request.headers['last-event-id'], request.query.after),
        headers: reply.getHeaders(),
      });
    },
  );
}
