import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findArticleBySlug } from '../articles/store.ts';
import { MODERATION_STREAM } from '../comments/commands.ts';
import { commentOr404, type CommentRouteOptions } from '../comments/requests.ts';
import { liveHub, resumeFrom, type LivePresenter } from '../events/live.ts';
import { requireActor } from '../http/auth.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { HttpError } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import { getSettings } from '../settings/store.ts';
import { acknowledgeWarning, BULK_LIMIT, DECISIONS, decideComment, decideComments, REPORT_REASONS, reportComment, sanctionReader, setArticleMode } from './commands.ts';
import { auditNames, describeAudit } from './audit-text.ts';
import { addModeratorNote, NOTE_MAX_LENGTH, notesOf } from './notes.ts';
import { canAcknowledge, canAdminister, canModerate, canModerateSite, canReport, canSanction } from './policy.ts';
import { moderatedSites, siteOfArticle } from './scope.ts';
import { isQueue, listQueue, QUEUES } from './queues.ts';
import { check, isBeforeCursor } from './requests.ts';
import { authorStatusOf } from './sanctions.ts';
import { findSanction, findUserByHandle, listAudit } from './store.ts';
import { isRole } from '../accounts/model.ts';

// The moderation API (issue 6 §11). Every route asks the policy first; commands do the rest.

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const HandleParams = Type.Object({ handle: Type.String({ minLength: 1, maxLength: 60 }) });
const Errors = { 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson, 409: ErrorJson };
const Reason = Type.String({ maxLength: 1000 });
const tags = ['moderation'];

export async function readerOr404(db: CommentRouteOptions['ctx']['db']['kysely'], handle: string) {
  const user = await findUserByHandle(db, handle);
  if (!user) throw HttpError.translated(404, 'not_found', 'moderation.refused.noSuchReader');
  return { id: Number(user.id), handle: user.handle, role: isRole(user.role) ? user.role : 'reader' } as const;
}

export async function moderationApiRoutes(app: FastifyInstance, { ctx }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  api.get(
    '/api/v1/moderation/queue/:queue',
    {
      schema: {
        summary: 'A moderation queue, newest first: held, reported, recent (unseen), approved, rejected, featured',
        tags,
        params: Type.Object({ queue: Type.String({ maxLength: 20 }) }),
        querystring: Type.Object({ articleSlug: Type.Optional(Type.String({ maxLength: 200 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: Type.Object({ items: Type.Array(Type.Any()), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...Errors },
      },
    },
    async (request) => {
      check(canModerate(request.actor));
      const { queue } = request.params;
      if (!isQueue(queue)) throw HttpError.translated(404, 'not_found', 'moderation.refused.noSuchQueue', { queue, queues: QUEUES.join(', ') });
      const siteIds = await moderatedSites(db, request.actor);
      let articleId: number | null = null;
      if (request.query.articleSlug) {
        const article = await findArticleBySlug(db, request.query.articleSlug);
        if (!article) throw HttpError.translated(404, 'not_found', 'moderation.refused.noSuchArticle');
        check(canModerateSite(request.actor, siteIds, article.siteId));
        articleId = Number(article.id);
      }
      const before = decodeCursor(request.query.cursor, isBeforeCursor)?.b ?? null;
      const { items, next } = await listQueue(db, queue, { articleId, before, limit: 50, siteIds });
      return { items, nextCursor: next ? encodeCursor({ b: next }) : null };
    },
  );

  api.post(
    '/api/v1/moderation/comments/:id/decision',
    {
      schema: {
        summary: 'Approve, reject (with a reason the author sees), feature or unfeature a comment',
        tags,
        params: IdParams,
        body: Type.Object({ decision: Type.Union(DECISIONS.map((d) => Type.Literal(d))), reason: Type.Optional(Reason) }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Type.Integer(), status: Type.String(), featured: Type.Boolean() }), ...Errors },
      },
    },
    async (request) => {
      check(canModerate(request.actor));
      const comment = await commentOr404(ctx, request.params.id, request.actor);
      check(canModerateSite(request.actor, await moderatedSites(db, request.actor), (await siteOfArticle(db, comment.articleId))!));
      await decideComment(ctx, request.actor!, comment.id, request.body.decision, request.body.reason ?? null);
      const after = await commentOr404(ctx, comment.id, request.actor);
      return { id: after.id, status: after.status, featured: after.featured };
    },
  );

  api.post(
    '/api/v1/moderation/decisions',
    {
      schema: {
        summary: `Approve or reject several comments at once (at most ${BULK_LIMIT}), with one reason; all of them or none`,
        tags,
        body: Type.Object(
          {
            ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: BULK_LIMIT }),
            decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
            reason: Type.Optional(Reason),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ decided: Type.Integer(), skipped: Type.Integer() }), ...Errors },
      },
    },
    async (request) => {
      check(canModerate(request.actor));
      const siteIds = await moderatedSites(db, request.actor);
      // Each comment on its own: a moderator limited to some sites may not decide on another site's comment.
      for (const id of new Set(request.body.ids)) {
        const comment = await commentOr404(ctx, id, request.actor);
        check(canModerateSite(request.actor, siteIds, (await siteOfArticle(db, comment.articleId))!));
      }
      return decideComments(ctx, request.actor!, request.body.ids, request.body.decision, request.body.reason?.trim() || null);
    },
  );

  const NoteJson = Type.Object({ id: Type.Integer(), body: Type.String(), createdAt: Type.String(), author: Type.Union([Type.Object({ handle: Type.String(), displayName: Type.String() }), Type.Null()]) });

  api.get(
    '/api/v1/moderation/readers/:handle/notes',
    {
      schema: {
        summary: "Moderators' notes on a reader, newest first (moderators only)",
        tags,
        params: HandleParams,
        response: { 200: Type.Object({ notes: Type.Array(NoteJson) }), ...Errors },
      },
    },
    async (request, reply) => {
      check(canModerate(request.actor));
      const target = await readerOr404(db, request.params.handle);
      reply.header('cache-control', 'no-store');
      return { notes: (await notesOf(db, [target.id], 100)).get(target.id) ?? [] };
    },
  );

  api.post(
    '/api/v1/moderation/readers/:handle/notes',
    {
      schema: {
        summary: 'Add a note on a reader for the other moderators (audited; the reader never sees it)',
        tags,
        params: HandleParams,
        body: Type.Object({ body: Type.String({ minLength: 1, maxLength: NOTE_MAX_LENGTH }) }, { additionalProperties: false }),
        response: { 201: NoteJson, ...Errors },
      },
    },
    async (request, reply) => {
      check(canModerate(request.actor));
      const target = await readerOr404(db, request.params.handle);
      return reply.status(201).send(await addModeratorNote(ctx, request.actor!, target.id, request.body.body));
    },
  );

  api.post(
    '/api/v1/comments/:id/report',
    {
      schema: {
        summary: 'Report a comment to the moderators (once per reader)',
        tags,
        params: IdParams,
        body: Type.Object({ reason: Type.Union(REPORT_REASONS.map((r) => Type.Literal(r))), text: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ reported: Type.Boolean() }), ...Errors },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      check(canReport(actor, authorStatusOf(actor ? await findSanction(db, actor.userId) : null)));
      if (request.body.reason === 'other' && !request.body.text?.trim()) throw HttpError.translated(400, 'text_required', 'moderation.refused.reportTextRequired');
      const comment = await commentOr404(ctx, request.params.id, actor);
      await reportComment(ctx, actor!.userId, comment.id, request.body.reason, request.body.text?.trim() || null, await getSettings(db));
      return reply.status(201).send({ reported: true });
    },
  );

  api.post(
    '/api/v1/moderation/readers/:handle/sanction',
    {
      schema: {
        summary: 'Warn, suspend (until a time), ban (optionally rejecting all their comments) or lift',
        tags,
        params: HandleParams,
        body: Type.Object(
          {
            kind: Type.Union(['warn', 'suspend', 'ban', 'lift'].map((k) => Type.Literal(k as 'warn'))),
            until: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
            reason: Reason,
            rejectComments: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ kind: Type.String(), rejected: Type.Integer() }), ...Errors },
      },
    },
    async (request) => {
      check(canModerate(request.actor));
      const target = await readerOr404(db, request.params.handle);
      check(canSanction(request.actor, target, await moderatedSites(db, request.actor)));
      const until = request.body.until ? new Date(request.body.until) : null;
      if (until && Number.isNaN(until.getTime())) throw HttpError.translated(400, 'invalid_until', 'moderation.refused.untilNotADate');
      const kind = request.body.kind as 'warn' | 'suspend' | 'ban' | 'lift';
      const { rejected } = await sanctionReader(ctx, request.actor!, target.id, { kind, until, reason: request.body.reason, rejectComments: request.body.rejectComments });
      return { kind, rejected };
    },
  );

  api.post(
    '/api/v1/moderation/warning/acknowledge',
    { schema: { summary: 'Acknowledge a warning from the moderators, so that you can comment again', tags, response: { 200: Type.Object({ acknowledged: Type.Boolean() }), ...Errors } } },
    async (request) => {
      check(canAcknowledge(request.actor));
      return { acknowledged: await acknowledgeWarning(ctx, request.actor!.userId) };
    },
  );

  api.put(
    '/api/v1/articles/:slug/moderation-mode',
    {
      schema: {
        summary: "Set an article's moderation: post (default), pre (every comment held) or closed",
        tags,
        params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) }),
        body: Type.Object({ mode: Type.Union([Type.Literal('post'), Type.Literal('pre'), Type.Literal('closed')]) }, { additionalProperties: false }),
        response: { 200: Type.Object({ mode: Type.String() }), ...Errors },
      },
    },
    async (request) => {
      check(canModerate(request.actor));
      const article = await findArticleBySlug(db, request.params.slug);
      if (!article) throw HttpError.translated(404, 'not_found', 'moderation.refused.noSuchArticle');
      check(canModerateSite(request.actor, await moderatedSites(db, request.actor), article.siteId));
      await setArticleMode(ctx, request.actor!, Number(article.id), request.body.mode);
      return { mode: request.body.mode };
    },
  );

  api.get(
    '/api/v1/moderation/audit',
    {
      schema: {
        summary: 'The audit log, newest first (admins)',
        tags,
        querystring: Type.Object({
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          action: Type.Optional(Type.String({ maxLength: 60 })),
          actor: Type.Optional(Type.String({ maxLength: 60 })),
          targetType: Type.Optional(Type.String({ maxLength: 20 })),
        }),
        response: { 200: Type.Object({ entries: Type.Array(Type.Any()), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...Errors },
      },
    },
    async (request) => {
      check(canAdminister(request.actor));
      const before = decodeCursor(request.query.cursor, isBeforeCursor)?.b ?? null;
      const { entries, next } = await listAudit(db, { before, limit: 50, action: request.query.action, actorHandle: request.query.actor, targetType: request.query.targetType });
      const names = await auditNames(db, entries);
      return { entries: entries.map((e) => ({ ...e, text: describeAudit(e, names) })), nextCursor: next ? encodeCursor({ b: next }) : null };
    },
  );

  // The queue page's live stream: what changed, so the island can fetch the queue again.
  const presentModeration: LivePresenter = (event) => ({ event: event.type, data: { ...event.payload } });
  // A moderator limited to some sites hears only of their articles' comments (and of sanctions, which hold everywhere).
  const presentForSites = (siteIds: readonly number[]): LivePresenter => {
    const siteByArticle = new Map<number, number | null>();
    return async (event) => {
      const articleId = Number((event.payload as { articleId?: unknown }).articleId);
      if (Number.isSafeInteger(articleId) && articleId > 0) {
        if (!siteByArticle.has(articleId)) siteByArticle.set(articleId, await siteOfArticle(db, articleId));
        const siteId = siteByArticle.get(articleId);
        if (siteId === null || siteId === undefined || !siteIds.includes(siteId)) return null;
      }
      return presentModeration(event);
    };
  };

  api.get(
    '/api/v1/moderation/live',
    {
      schema: {
        summary: 'Server-Sent Events for moderators: moderation.comment, comment.moderated, comment.reported, reader.sanctioned',
        tags,
        querystring: Type.Object({ after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) }),
      },
    },
    async (request, reply) => {
      check(canModerate(request.actor));
      const siteIds = await moderatedSites(db, request.actor);
      reply.hijack();
      await liveHub(ctx).open(reply.raw, { streams: [MODERATION_STREAM], present: siteIds.length ? presentForSites(siteIds) : presentModeration, after: resumeFrom(request.headers['last-event-id'], request.query.after), headers: reply.getHeaders() });
    },
  );
}
