import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../accounts/model.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findArticleBySlug } from '../articles/store.ts';
import { commentOr404, type CommentRouteOptions } from '../comments/requests.ts';
import { commentUrl } from '../comments/presenter.ts';
import { lastEventId } from '../events/outbox.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { HttpError, notFound } from '../http/errors.ts';
import type { Translator } from '../i18n/translator.ts';
import { renderDocument, renderFragment } from '../ui/render.ts';
import { getSettings } from '../settings/store.ts';
import { readerOr404 } from './api.ts';
import { acknowledgeWarning, BULK_LIMIT, ModerationRefused, DECISIONS, decideComment, decideComments, REPORT_REASONS, reportComment, sanctionReader, type DecisionKind, type ReportReason } from './commands.ts';
import { countHeld } from './held-count.ts';
import { addModeratorNote, notesOf } from './notes.ts';
import { ModeratePage, ReaderModerationPage, ReadersPage, ReportPage, WarningPage } from './pages.tsx';
import { readerComments, readerSummary, recentlyNotedReaders, sanctionedReaders } from './readers.ts';
import { canAcknowledge, canModerate, canModerateSite, canReport, canSanction } from './policy.ts';
import { moderatedSites, siteOfArticle } from './scope.ts';
import { isQueue, listQueue, type Queue } from './queues.ts';
import { check, isBeforeCursor } from './requests.ts';
import { authorStatusOf } from './sanctions.ts';
import { findSanction, findUserByHandle, hasReported } from './store.ts';
import { QueueList, queueHref, readerModerationHref, type QueueView } from './views.tsx';

// The moderation pages and their plain forms (no JavaScript needed), and the queue fragment.

const Form = Type.Object({}, { additionalProperties: Type.String({ maxLength: 2000 }) });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const QueueQuery = Type.Object({ queue: Type.Optional(Type.String({ maxLength: 20 })), article: Type.Optional(Type.String({ maxLength: 200 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) });
const PageQuery = Type.Intersect([QueueQuery, Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) })]);
const HandleParams = Type.Object({ handle: Type.String({ maxLength: 60 }) });
// One checkbox gives a string, several an array; the command says how many it takes.
const BulkForm = Type.Object(
  { ids: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 500 })])) },
  { additionalProperties: Type.String({ maxLength: 2000 }) },
);
const hidden = { hide: true };
const html = (reply: FastifyReply, status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').send(body);

/** Only our own moderation pages are places to go back to. */
const safeBack = (value: unknown) => (typeof value === 'string' && /^\/moderate(\/readers\/[^/?#\s]+)?(\?[^#\s]*)?$/.test(value) ? value : '/moderate');
const withQuery = (path: string, key: string, value: string) => `${path}${path.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(value)}`;

/** What the queue page says after a bulk decision (`?done=approve-3-1`: decision, decided, skipped). */
function bulkNotice(t: Translator['t'], done: string | undefined): string | null {
  const m = /^(approve|reject)-(\d{1,3})-(\d{1,3})$/.exec(done ?? '');
  if (!m) return null;
  const [decision, decided, skipped] = [m[1]!, Number(m[2]), Number(m[3])];
  return skipped ? t('moderation.bulk.noticeSkipped', { decision, decided, skipped }) : t('moderation.bulk.notice', { decision, decided });
}

export async function moderationPageRoutes(app: FastifyInstance, { ctx, chrome }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  async function queueView(request: FastifyRequest, query: { queue?: string; article?: string; cursor?: string }, csrf: () => string, actor: Actor | null, siteIds: number[]): Promise<QueueView> {
    const queue: Queue = query.queue === undefined || query.queue === '' ? 'held' : isQueue(query.queue) ? query.queue : (() => { throw notFound(request.i18n.t('moderation.error.noQueue', { queue: query.queue })); })();
    let articleId: number | null = null;
    const articleSlug = query.article ? query.article : null;
    if (articleSlug) {
      const article = await findArticleBySlug(db, articleSlug);
      if (!article) throw notFound(request.i18n.t('moderation.error.noArticle'));
      check(canModerateSite(actor, siteIds, article.siteId));
      articleId = Number(article.id);
    }
    const before = decodeCursor(query.cursor, isBeforeCursor)?.b ?? null;
    const { items, next } = await listQueue(db, queue, { articleId, before, limit: 50, siteIds });
    return { queue, articleSlug, items, nextCursor: next ? encodeCursor({ b: next }) : null, csrf, maySanction: siteIds.length === 0 };
  }

  api.get('/moderate', { schema: { ...hidden, querystring: PageQuery } }, async (request, reply) => {
    check(canModerate(request.actor));
    const eventId = await lastEventId(db);
    const page = chrome(request, reply);
    const siteIds = await moderatedSites(db, request.actor);
    const v = await queueView(request, request.query, page.csrf, request.actor, siteIds);
    let articleQuery = db.selectFrom('articles').select(['slug', 'headline']);
    if (siteIds.length) articleQuery = articleQuery.where('site_id', 'in', siteIds);
    const articles = await articleQuery.orderBy('sort_at', 'desc').limit(100).execute();
    reply.header('cache-control', 'no-store');
    const held = request.heldCount ?? (await countHeld(db, siteIds));
    return html(reply, 200, renderDocument(<ModeratePage chrome={page} v={v} lastEventId={eventId} articles={articles} held={held} notice={bulkNotice(request.i18n.t, request.query.done)} />, request.i18n));
  });

  api.get('/fragments/moderate', { schema: { ...hidden, querystring: QueueQuery } }, async (request, reply) => {
    check(canModerate(request.actor));
    const page = chrome(request, reply);
    const v = await queueView(request, request.query, page.csrf, request.actor, await moderatedSites(db, request.actor));
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderFragment(<QueueList v={v} />, request.i18n));
  });

  api.post('/moderate/comments/:id/decision', { schema: { ...hidden, params: IdParams, body: Form } }, async (request, reply) => {
    check(canModerate(request.actor));
    const body = request.body as Record<string, string>;
    if (!(DECISIONS as readonly string[]).includes(body.decision ?? '')) throw new HttpError(400, 'invalid_decision', request.i18n.t('moderation.error.decision', { choices: DECISIONS.join(', ') }));
    const comment = await commentOr404(ctx, request.params.id, request.actor);
    check(canModerateSite(request.actor, await moderatedSites(db, request.actor), (await siteOfArticle(db, comment.articleId))!));
    await decideComment(ctx, request.actor!, comment.id, body.decision as DecisionKind, body.reason?.trim() || null);
    return reply.redirect(safeBack(body.back), 303);
  });

  api.post('/moderate/bulk', { schema: { ...hidden, body: BulkForm } }, async (request, reply) => {
    check(canModerate(request.actor));
    const body = request.body as Record<string, string | string[] | undefined>;
    const decision = body.decision;
    if (decision !== 'approve' && decision !== 'reject') throw new HttpError(400, 'invalid_decision', request.i18n.t('moderation.error.decisionBulk'));
    const raw = body.ids === undefined ? [] : Array.isArray(body.ids) ? body.ids : [body.ids];
    const ids = raw.map((id) => (/^\d{1,15}$/.test(id) ? Number(id) : NaN));
    if (ids.some((id) => !Number.isSafeInteger(id) || id < 1)) throw new HttpError(400, 'invalid_ids', request.i18n.t('moderation.error.bulkIds'));
    if (ids.length === 0) throw new HttpError(400, 'nothing_selected', request.i18n.t('moderation.error.bulkNone'));
    if (ids.length > BULK_LIMIT) throw new HttpError(400, 'too_many', request.i18n.t('moderation.error.bulkTooMany', { limit: BULK_LIMIT }));
    // Every comment is authorised on its own: a moderator limited to some sites may not slip another site's comment in.
    const siteIds = await moderatedSites(db, request.actor);
    for (const id of new Set(ids)) {
      const comment = await commentOr404(ctx, id, request.actor);
      check(canModerateSite(request.actor, siteIds, (await siteOfArticle(db, comment.articleId))!));
    }
    const reason = typeof body.reason === 'string' ? body.reason.trim() || null : null;
    const { decided, skipped } = await decideComments(ctx, request.actor!, ids, decision, reason);
    return reply.redirect(withQuery(safeBack(body.back), 'done', `${decision}-${decided}-${skipped}`), 303);
  });

  api.get('/moderate/readers', { schema: { ...hidden, querystring: Type.Object({ handle: Type.Optional(Type.String({ maxLength: 60 })) }) } }, async (request, reply) => {
    check(canModerate(request.actor));
    const handle = (request.query.handle ?? '').trim().replace(/^@/, '');
    let error: string | null = null;
    if (handle) {
      const user = await findUserByHandle(db, handle);
      if (user) return reply.redirect(readerModerationHref(user.handle), 303);
      error = request.i18n.t('moderation.error.noReader', { handle });
    }
    const [sanctioned, noted] = await Promise.all([sanctionedReaders(db), recentlyNotedReaders(db)]);
    reply.header('cache-control', 'no-store');
    return html(reply, error ? 404 : 200, renderDocument(<ReadersPage chrome={chrome(request, reply)} sanctioned={sanctioned} noted={noted} error={error} query={handle} />, request.i18n));
  });

  async function readerPage(request: FastifyRequest, reply: FastifyReply, handle: string, status: number, extra: { error?: string | null; notice?: string | null }) {
    const target = await readerOr404(db, handle);
    const siteIds = await moderatedSites(db, request.actor);
    const [reader, notes, comments] = await Promise.all([readerSummary(db, target.id), notesOf(db, [target.id], 100), readerComments(db, target.id, siteIds)]);
    if (!reader) throw notFound(request.i18n.t('moderation.error.noReaderThat'));
    const maySanction = canSanction(request.actor, target, siteIds).allowed;
    reply.header('cache-control', 'no-store');
    return html(reply, status, renderDocument(<ReaderModerationPage chrome={chrome(request, reply)} reader={reader} notes={notes.get(target.id) ?? []} comments={comments} maySanction={maySanction} {...extra} />, request.i18n));
  }

  api.get('/moderate/readers/:handle', { schema: { ...hidden, params: HandleParams, querystring: Type.Object({ noted: Type.Optional(Type.String({ maxLength: 5 })) }) } }, async (request, reply) => {
    check(canModerate(request.actor));
    return readerPage(request, reply, request.params.handle, 200, { notice: request.query.noted ? request.i18n.t('moderation.reader.noted') : null });
  });

  api.post('/moderate/readers/:handle/notes', { schema: { ...hidden, params: HandleParams, body: Form } }, async (request, reply) => {
    check(canModerate(request.actor));
    const target = await readerOr404(db, request.params.handle);
    const body = (request.body as Record<string, string>).body ?? '';
    try {
      await addModeratorNote(ctx, request.actor!, target.id, body);
    } catch (error) {
      if (!(error instanceof ModerationRefused)) throw error;
      return readerPage(request, reply, target.handle, error.status, { error: error.messageIn(request.i18n) });
    }
    return reply.redirect(`${readerModerationHref(target.handle)}?noted=1#notes`, 303);
  });

  api.post('/moderate/readers/:handle/sanction', { schema: { ...hidden, params: Type.Object({ handle: Type.String({ maxLength: 60 }) }), body: Form } }, async (request, reply) => {
    check(canModerate(request.actor));
    const body = request.body as Record<string, string>;
    const kind = body.kind;
    if (kind !== 'warn' && kind !== 'suspend' && kind !== 'ban' && kind !== 'lift') throw new HttpError(400, 'invalid_kind', request.i18n.t('moderation.error.sanctionKind'));
    const target = await readerOr404(db, request.params.handle);
    check(canSanction(request.actor, target, await moderatedSites(db, request.actor)));
    // datetime-local has no zone: the form's times are read as UTC, as the queue shows them.
    const until = body.until ? new Date(/Z|[+-]\d\d:\d\d$/.test(body.until) ? body.until : `${body.until}Z`) : null;
    if (until && Number.isNaN(until.getTime())) throw new HttpError(400, 'invalid_until', request.i18n.t('moderation.error.until'));
    await sanctionReader(ctx, request.actor!, target.id, { kind, until, reason: body.reason ?? '', rejectComments: body.rejectComments === '1' });
    return reply.redirect(safeBack(body.back), 303);
  });

  api.get('/comments/:id/report', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const actor = request.actor;
    check(canReport(actor, authorStatusOf(actor ? await findSanction(db, actor.userId) : null)));
    const comment = await commentOr404(ctx, request.params.id, actor);
    const article = (await db.selectFrom('articles').select('slug').where('id', '=', comment.articleId).executeTakeFirstOrThrow());
    // Once reported, the form does not come back: the reader is thanked instead.
    const done = await hasReported(db, comment.id, actor!.userId);
    return html(reply, 200, renderDocument(<ReportPage chrome={chrome(request, reply)} commentId={comment.id} author={comment.author.displayName} back={`${commentUrl(article.slug, comment)}#c-${comment.id}`} done={done} />, request.i18n));
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
    const problem = !(REPORT_REASONS as readonly string[]).includes(reason) ? request.i18n.t('moderation.report.chooseReason') : reason === 'other' && !text ? request.i18n.t('moderation.report.sayWhat') : null;
    const page = () => chrome(request, reply);
    if (problem) return html(reply, 400, renderDocument(<ReportPage chrome={page()} commentId={comment.id} author={comment.author.displayName} back={back} error={problem} />, request.i18n));
    try {
      await reportComment(ctx, actor!.userId, comment.id, reason as ReportReason, text, await getSettings(db));
    } catch (error) {
      // A second submission (another tab, a double click) lands on the same thanks.
      if (!(error instanceof ModerationRefused && error.code === 'already_reported')) throw error;
    }
    return reply.redirect(`/comments/${comment.id}/report`, 303);
  });

  api.get('/moderation/warning', { schema: hidden }, async (request, reply) => {
    check(canAcknowledge(request.actor));
    return html(reply, 200, renderDocument(<WarningPage chrome={chrome(request, reply)} sanction={await findSanction(db, request.actor!.userId)} />, request.i18n));
  });

  api.post('/moderation/warning', { schema: { ...hidden, body: Form } }, async (request, reply) => {
    check(canAcknowledge(request.actor));
    await acknowledgeWarning(ctx, request.actor!.userId);
    return reply.redirect('/moderation/warning', 303);
  });
}

export { queueHref };
