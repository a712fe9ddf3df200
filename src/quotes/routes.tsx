import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findArticleBySlug } from '../articles/store.ts';
import type { CommentRouteOptions } from '../comments/requests.ts';
import { asHttpError, HttpError } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import { renderDocument } from '../ui/render.ts';
import { defaultSite, findSiteByKey } from '../sites/store.ts';
import { correctQuote } from './commands.ts';
import { sourcesCsv } from './csv.ts';
import { paragraphAnchor, type Correction } from './model.ts';
import { mayReviewSources } from './policy.ts';
import { articleQuotes, findPerson, personQuotes, quotesForReview, sourcesReport, type SourcesFilter } from './store.ts';
import { PersonPage, SourcesPage, type SourcesQuery } from './views.tsx';

const hidden = { hide: true };
const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) });
const QuoteParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
const SourcesQuerySchema = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 20 })),
  to: Type.Optional(Type.String({ maxLength: 20 })),
  section: Type.Optional(Type.String({ maxLength: 60 })),
  article: Type.Optional(Type.String({ maxLength: 200 })),
  person: Type.Optional(Type.String({ maxLength: 100 })),
  corrected: Type.Optional(Type.String({ maxLength: 10 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
const CorrectionForm = Type.Object({}, { additionalProperties: Type.String({ maxLength: 2000 }) });

const QuoteJson = Type.Object({ id: Type.Integer(), paragraph: Type.Integer({ description: 'Index in the article body, from 0' }), anchor: Type.String({ description: 'The paragraph’s id on the article page' }), text: Type.String(), corrected: Type.Boolean() });
const PersonJson = Type.Object({ slug: Type.String(), name: Type.String(), role: Type.Union([Type.String(), Type.Null()]), url: Type.String(), quotes: Type.Array(QuoteJson) });

/** A day typed in a form (YYYY-MM-DD) as the instant it starts; `next` gives the day after, for an inclusive end. */
function dayStart(value: string | undefined, field: 'from' | 'to', next = false): string | null {
  if (!value) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== value) throw HttpError.translated(400, 'invalid_date', 'quotes.sources.invalidDate', { field });
  if (next) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}

export async function quoteRoutes(app: FastifyInstance, { ctx, chrome }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;
  const html = (reply: FastifyReply, body: string, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(body);

  api.get(
    '/api/v1/articles/:slug/quotes',
    {
      schema: {
        summary: 'Who the article quotes: each person, their role when the article gives one, and their direct quotes with paragraph anchors',
        tags: ['articles'],
        params: SlugParams,
        response: { 200: Type.Object({ article: Type.Object({ slug: Type.String() }), people: Type.Array(PersonJson) }), 404: ErrorJson },
      },
    },
    async (request) => {
      const article = await findArticleBySlug(db, request.params.slug);
      if (!article) throw HttpError.translated(404, 'not_found', 'quotes.api.noArticle', { slug: request.params.slug });
      const people = await articleQuotes(db, Number(article.id));
      return {
        article: { slug: article.slug },
        people: people.map((p) => ({ ...p, url: `${ctx.config.publicUrl}/people/${p.slug}`, quotes: p.quotes.map((q) => ({ ...q, anchor: paragraphAnchor(q.paragraph) })) })),
      };
    },
  );

  api.get('/people/:slug', { schema: { ...hidden, params: SlugParams, querystring: Type.Object({ site: Type.Optional(Type.String({ maxLength: 60 })) }) } }, async (request, reply) => {
    const site = request.query.site ? await findSiteByKey(db, request.query.site) : await defaultSite(db);
    if (!site) throw HttpError.translated(404, 'not_found', 'quotes.person.noSite', { key: request.query.site ?? '' });
    const person = await findPerson(db, site.id, request.params.slug);
    if (!person) throw HttpError.translated(404, 'not_found', 'quotes.person.notFound');
    return html(reply, renderDocument(<PersonPage chrome={chrome(request, reply)} person={person} quotes={await personQuotes(db, person.id)} />, request.i18n));
  });

  /** The report's filter from the query; the default site, as the admin pages show Parley's own articles. */
  async function filterFrom(query: { from?: string; to?: string; section?: string }): Promise<SourcesFilter> {
    const from = dayStart(query.from, 'from');
    const to = dayStart(query.to, 'to', true);
    if (from && to && from >= to) throw HttpError.translated(400, 'invalid_period', 'quotes.sources.invalidPeriod');
    return { siteId: (await defaultSite(db)).id, from, to, section: query.section || null };
  }

  api.get('/admin/sources', { schema: { ...hidden, querystring: SourcesQuerySchema } }, async (request, reply) => {
    mayReviewSources(request.actor);
    const q = request.query;
    const page = q.page ?? 1;
    const query: SourcesQuery = { from: q.from ?? '', to: q.to ?? '', section: q.section ?? '', article: q.article ?? '', person: q.person ?? '', page: page > 1 ? String(page) : '' };
    const filter = await filterFrom(q);
    const report = await sourcesReport(db, filter);
    const review = await quotesForReview(db, { ...filter, articleSlug: query.article || null, personSlug: query.person || null }, page);
    const notice = q.corrected === 'speaker' || q.corrected === 'not_quote' ? request.i18n.t('quotes.sources.corrected', { action: q.corrected }) : null;
    return html(reply, renderDocument(<SourcesPage chrome={chrome(request, reply)} query={query} sections={report.sections} rows={report.rows} review={review.quotes} more={review.more} notice={notice} truncated={report.truncated} />, request.i18n));
  });

  api.get('/admin/sources.csv', { schema: { ...hidden, querystring: SourcesQuerySchema } }, async (request, reply) => {
    mayReviewSources(request.actor);
    const filter = await filterFrom(request.query);
    const { rows } = await sourcesReport(db, filter);
    const name = `sources-${request.query.from || 'start'}-to-${request.query.to || 'now'}${filter.section ? `-${filter.section.replace(/[^a-z0-9-]/gi, '')}` : ''}.csv`;
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'private, no-store').send(sourcesCsv(rows, ctx.config.publicUrl));
  });

  api.post(
    '/admin/sources/quotes/:id',
    { schema: { ...hidden, params: QuoteParams, body: CorrectionForm }, config: { rateLimit: { max: 60, timeWindow: 60_000 } } },
    async (request, reply) => {
      mayReviewSources(request.actor);
      const body = request.body as Record<string, string>;
      let correction: Correction;
      if (body.action === 'speaker') correction = { action: 'speaker', speaker: body.speaker ?? '' };
      else if (body.action === 'not_quote') correction = { action: 'not_quote' };
      else throw HttpError.translated(400, 'invalid_action', 'quotes.sources.invalidAction');
      try {
        await correctQuote(ctx, request.actor!, request.params.id, correction);
      } catch (error) {
        throw asHttpError(error);
      }
      // Back to the list the editor was reading; only our own query string is accepted.
      const back = /^\?[\w%=&.+-]*$/.test(body.back ?? '') ? body.back! : '';
      const params = new URLSearchParams(back.slice(1));
      params.set('corrected', correction.action);
      return reply.redirect(`/admin/sources?${params.toString()}#review`, 303);
    },
  );
}

