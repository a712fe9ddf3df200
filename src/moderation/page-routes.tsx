import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../accounts/model.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { renderToString } from 'preact-render-to-string';
import { Type } from 'typebox';
import { findArticleBySlug } from '../articles/store.ts';
import { commentOr404, type CommentRouteOptions } from '../comments/requests.ts';
import { commentUrl } from '../comments/presenter.ts';
import { lastEventId } from '../events/outbox.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { renderDocument } from '../ui/render.ts';
import { getSettings } from '../settings/store.ts';
import { readerOr404 } from './api.ts';
import { acknowledgeWarning, DECISIONS, decideComment, REPORT_REASONS, reportComment, sanctionReader, type DecisionKind, type ReportReason } from './commands.ts';
import { ModeratePage, ReportPage, WarningPage } from './pages.tsx';
import { canAcknowledge, canModerate, canModerateSite, canReport, canSanction } from './policy.ts';
import { moderatedSites, siteOfArticle } from './scope.ts';
import { isQueue, listQueue, type Queue } from './queues.ts';
import { check, isBeforeCursor } from './requests.ts';
import { authorStatusOf } from './sanctions.ts';
import { findSanction } from './store.ts';
import { QueueList, queueHref, type QueueView } from './views.tsx';

// The moderation pages and their plain forms (no JavaScript needed), and the queue fragment.

const Form = Type.Object({}, { additionalProperties: Type.String({ maxLength: 2000 }) });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const QueueQuery = Type.Object({ queue: Type.Optional(Type.String({ maxLength: 20 })), article: Type.Optional(Type.String({ maxLength: 200 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) });
const hidden = { hide: true };
const html = (reply: FastifyReply, status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').send(body);

/** Only our own queue pages are places to go back to. */
const safeBack = (value: unknown) => (typeof value === 'string' && /^\/moderate(\?[^#\s]*)?$/.test(value) ? value : '/moderate');

export async function moderationPageRoutes(app: FastifyInstance, { ctx, chrome }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  async function queueView(query: { queue?: string; article?: string; cursor?: string }, csrf: () => string, actor: Actor | null, siteIds: number[]): Promise<QueueView> {
    const queue: Queue = query.queue === undefined || query.queue === '' ? 'held' : isQueue(query.queue) ? query.queue : (() => { throw notFound(`There is no queue "${query.queue}".`); })();
    let articleId: number | null = null;
    const articleSlug = query.article ? query.article : null;
    if (articleSlug) {
      const article = await findArticleBySlug(db, articleSlug);
      if (!article) throw notFound('There is no article with that slug.');
      check(canModerateSite(actor, siteIds, article.siteId));
      articleId = Number(article.id);
    }
    const before = decodeCursor(query.cursor, isBeforeCursor)?.b ?? null;
    const { items, next } = await listQueue(db, queue, { articleId, before, limit: 50, siteIds });
    return { queue, articleSlug, items, nextCursor: next ? encodeCursor({ b: next }) : null, csrf, maySanction: siteIds.length === 0 };
  }

  api.get('/moderate', { schema: { ...hidden, querystring: QueueQuery } }, async (request, reply) => {
    check(canModerate(request.actor));
    const eventId = await lastEventId(db);
    const page = chrome(request, reply);
    const siteIds = await moderatedSites(db, request.actor);
    const v = await queueView(request.query, page.csrf, request.actor, siteIds);
    let articleQuery = db.selectFrom('articles').select(['slug', 'headline']);
    if (siteIds.length) articleQuery = articleQuery.where('site_id', 'in', siteIds);
    const articles = await articleQuery.orderBy('sort_at', 'desc').limit(100).execute();
    reply.header('cache-control', 'no-store');
    return html(reply, 200, renderDocument(<ModeratePage chrome={page} v={v} lastEventId={eventId} articles={articles} />));
  });

  api.get('/fragments/moderate', { schema: { ...hidden, querystring: QueueQuery } }, async (request, reply) => {
    check(canModerate(request.actor));
    const page = chrome(request, reply);
    const v = await queueView(request.query, page.csrf, request.actor, await moderatedSites(db, request.actor));
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderToString(<QueueList v={v} />));
  });

  api.post('/moderate/comments/:id/decision', { schema: { ...hidden, params: IdParams, body: Form } }, async (request, reply) => {
    check(canModerate(request.actor));
    const body = request.body as Record<string, string>;
    if (!(DECISIONS as readonly string[]).includes(body.decision ?? '')) throw new HttpError(400, 'invalid_decision', `The decision must be one of ${DECISIONS.join(', ')}.`);
    const comment = await commentOr404(ctx, request.params.id, request.actor);
    check(canModerateSite(request.actor, await moderatedSites(db, request.actor), (await siteOfArticle(db, comment.articleId))!));
    await decideComment(ctx, request.actor!, comment.id, body.decision as DecisionKind, body.reason?.trim() || null);
    return reply.redirect(safeBack(body.back), 303);
  });

  api.post('/moderate/readers/:handle/sanction', { schema: { ...hidden, params: Type.Object({ handle: Type.String({ maxLength: 60 }) }), body: Form } }, async (request, reply) => {
    check(canModerate(request.actor));
    const body = request.body as Record<string, string>;
    const kind = body.kind;
    if (kind !== 'warn' && kind !== 'suspend' && kind !== 'ban' && kind !== 'lift') throw new HttpError(400, 'invalid_kind', 'Choose warn, suspend, ban or lift.');
    const target = await readerOr404(db, request.params.handle);
    check(canSanction(request.actor, target, await moderatedSites(db, request.actor)));
    // datetime-local has no zone: the form's times are read as UTC, as the queue shows them.
    const until = body.until ? new Date(/Z|[+-]\d\d:\d\d$/.test(body.until) ? body.until : `${body.until}Z`) : null;
    if (until && Number.isNaN(until.getTime())) throw new HttpError(400, 'invalid_until', 'The end of the suspension must be a date and time.');
    await sanctionReader(ctx, request.actor!, target.id, { kind, until, reason: body.reason ?? '', rejectComments: body.rejectComments === '1' });
    return reply.redirect(safeBack(body.back), 303);
  });

  api.get('/comments/:id/report', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const actor = request.actor;
    check(canReport(actor, authorStatusOf(actor ? await findSanction(db, actor.userId) : null)));
    const comment = await commentOr404(ctx, request.params.id, actor);
    const article = (await db.selectFrom('articles').select('slug').where('id', '=', comment.articleId).executeTakeFirstOrThrow());
    return html(reply, 200, renderDocument(<ReportPage chrome={chrome(request, reply)} commentId={comment.id} author={comment.author.displayName} back={commentUrl(article.slug, comment)} />));
  });

  api.post('/comments/:id/report', { schema: { ...hidden, params: IdParams, body: Form } }, async (request, reply) => {
    const actor = request.actor;
    check(canReport(actor, authorStatusOf(actor ? await findSanction(db, actor.userId) : null)));
    const comment = await commentOr404(ctx, request.params.id, actor);
    const article = (await db.selectFrom('articles').select('slug').where('id', '=', comment.articleId).executeTakeFirstOrThrow());
    const back = commentUrl(article.slug, comment);
    const body = request.body as Record<string, string>;
    const reason = body.reason ?? '';
    const text = body.text?.trim() || null;
    const problem = !(REPORT_REASONS as readonly string[]).includes(reason) ? 'Choose what is wrong with the comment.' : reason === 'other' && !text ? 'Say in a few words what is wrong with the comment.' : null;
    const page = () => chrome(request, reply);
    if (problem) return html(reply, 400, renderDocument(<ReportPage chrome={page()} commentId={comment.id} author={comment.author.displayName} back={back} error={problem} />));
    await reportComment(ctx, actor!.userId, comment.id, reason as ReportReason, text, await getSettings(db));
    return reply.redirect(`${back}#c-${comment.id}`, 303);
  });

  api.get('/moderation/warning', { schema: hidden }, async (request, reply) => {
    check(canAcknowledge(request.actor));
    return html(reply, 200, renderDocument(<WarningPage chrome={chrome(request, reply)} sanction={await findSanction(db, request.actor!.userId)} />));
  });

  api.post('/moderation/warning', { schema: { ...hidden, body: Form } }, async (request, reply) => {
    check(canAcknowledge(request.actor));
    await acknowledgeWarning(ctx, request.actor!.userId);
    return reply.redirect('/moderation/warning', 303);
  });
}

export { queueHref };
