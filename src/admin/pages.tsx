import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { isRole } from '../accounts/model.ts';
import type { CommentRouteOptions } from '../comments/requests.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { HttpError } from '../http/errors.ts';
import { readerOr404 } from '../moderation/api.ts';
import { canAdminister } from '../moderation/policy.ts';
import { check, isBeforeCursor } from '../moderation/requests.ts';
import { listAudit } from '../moderation/store.ts';
import { auditNames, describeAudit } from '../moderation/audit-text.ts';
import { renderDocument } from '../ui/render.ts';
import { getSettings } from '../settings/store.ts';
import { listFailedJobs } from '../events/failed-jobs.ts';
import { AdminRefused, changeRole, retryFailedJob, updateSettings } from './commands.ts';
import { AuditPage, JobsPage, SettingsPage } from './views.tsx';
import { moderatorSitesSection } from './sites-pages.tsx';

const Form = Type.Object({}, { additionalProperties: Type.String({ maxLength: 50_000 }) });
const hidden = { hide: true };
const html = (reply: FastifyReply, status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').send(body);

const NUMBER_KEYS = ['newReaderHoldCount', 'reportHoldThreshold', 'spamHoldThreshold', 'editWindowMinutes', 'commentIntervalSeconds', 'commentMaxLength', 'autoCloseDays'] as const;

/** The settings form's fields as typed values; the settings model judges them. */
function settingsFromForm(body: Record<string, string>): Record<string, unknown> {
  const words = (text: string | undefined) => (text ?? '').split(/\r?\n/).map((w) => w.trim()).filter(Boolean);
  const changes: Record<string, unknown> = {
    bannedWords: words(body.bannedWords),
    suspectWords: words(body.suspectWords),
    premodAll: body.premodAll === '1',
    holdLinks: body.holdLinks === '1',
  };
  for (const key of NUMBER_KEYS) {
    const raw = (body[key] ?? '').trim();
    changes[key] = raw === '' ? null : Number(raw);
  }
  return changes;
}

export async function adminPageRoutes(app: FastifyInstance, { ctx, chrome }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get('/admin', { schema: hidden }, async (request, reply) => {
    check(canAdminister(request.actor));
    const notice = (request.query as Record<string, string>).saved ? request.i18n.t('admin.saved') : null;
    const page = chrome(request, reply);
    return html(reply, 200, renderDocument(<SettingsPage chrome={page} settings={await getSettings(ctx.db.kysely)} notice={notice} moderatorSites={await moderatorSitesSection(ctx.db.kysely, page)} />, request.i18n));
  });

  api.post('/admin/settings', { schema: { ...hidden, body: Form } }, async (request, reply) => {
    check(canAdminister(request.actor));
    try {
      await updateSettings(ctx, request.actor!, settingsFromForm(request.body as Record<string, string>));
    } catch (error) {
      if (!(error instanceof AdminRefused)) throw error;
      const page = chrome(request, reply);
      return html(reply, error.status, renderDocument(<SettingsPage chrome={page} settings={await getSettings(ctx.db.kysely)} error={error.messageIn(request.i18n)} moderatorSites={await moderatorSitesSection(ctx.db.kysely, page)} />, request.i18n));
    }
    return reply.redirect('/admin?saved=1', 303);
  });

  api.post('/admin/role', { schema: { ...hidden, body: Form } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const body = request.body as Record<string, string>;
    if (!isRole(body.role ?? '')) throw new HttpError(400, 'invalid_role', request.i18n.t('admin.roles.invalid'));
    const target = await readerOr404(ctx.db.kysely, (body.handle ?? '').trim().replace(/^@/, ''));
    await changeRole(ctx, request.actor!, target, body.role as 'reader', null);
    return reply.redirect('/admin?saved=1', 303);
  });

  api.get('/admin/audit', { schema: { ...hidden, querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 200 })), action: Type.Optional(Type.String({ maxLength: 60 })), actor: Type.Optional(Type.String({ maxLength: 60 })) }) } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const before = decodeCursor(request.query.cursor, isBeforeCursor)?.b ?? null;
    const filter = { action: request.query.action ?? '', actor: request.query.actor ?? '' };
    const { entries, next } = await listAudit(ctx.db.kysely, { before, limit: 100, action: filter.action || undefined, actorHandle: filter.actor || undefined });
    const names = await auditNames(ctx.db.kysely, entries);
    const worded = entries.map((e) => ({ ...e, text: describeAudit(e, names, request.i18n) }));
    return html(reply, 200, renderDocument(<AuditPage chrome={chrome(request, reply)} entries={worded} next={next ? encodeCursor({ b: next }) : null} filter={filter} />, request.i18n));
  });

  const JobParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
  const CursorQuery = Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 200 })), retried: Type.Optional(Type.String({ maxLength: 20 })) });

  api.get('/admin/jobs', { schema: { ...hidden, querystring: CursorQuery } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const before = decodeCursor(request.query.cursor, isBeforeCursor)?.b ?? null;
    const { jobs, next } = await listFailedJobs(ctx.db.kysely, { before, limit: 50 });
    const notice = request.query.retried ? request.i18n.t('admin.jobs.retried', { id: request.query.retried }) : null;
    return html(reply, 200, renderDocument(<JobsPage chrome={chrome(request, reply)} jobs={jobs} next={next ? encodeCursor({ b: next }) : null} notice={notice} />, request.i18n));
  });

  api.post('/admin/jobs/:id/retry', { schema: { ...hidden, params: JobParams, body: Form } }, async (request, reply) => {
    check(canAdminister(request.actor));
    await retryFailedJob(ctx, request.actor!, request.params.id);
    return reply.redirect(`/admin/jobs?retried=${request.params.id}`, 303);
  });
}
