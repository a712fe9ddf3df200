import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Article } from './model.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { cacheablePage } from '../http/anonymous-cache.ts';
import { HttpError } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import { renderDocument } from '../ui/render.ts';
import type { SiteInfo } from '../ui/layout.tsx';
import type { ChromeFactory } from '../ui/chrome.ts';
import { ArticlePage } from './views.tsx';
import { articlePage, type SectionParts } from './article-page.tsx';
import { conversationLink, FrontPage } from './front-page.tsx';
import { alsoBeingDiscussed, frontPageBoxes, siteConversations } from '../conversations/boxes.ts';
import { ConversationBox } from '../ui/conversation-box.tsx';
import { noteConversationVisit } from '../community/following-store.ts';
import { ArticleJson, presentArticle } from './presenter.ts';
import { findArticleBySlug, listArticles, type ArticleCursor } from './store.ts';
import { renderAtomFeed } from './feed.ts';
import { defaultSite, findSiteById, findSiteByKey, forgetSites } from '../sites/store.ts';
import { DEFAULT_SITE_KEY } from '../sites/model.ts';
import { articleQuotes } from '../quotes/store.ts';
import { passageCounts } from '../passages/store.ts';

const FRONT_PAGE_SIZE = 20;
const API_PAGE_SIZE = 20;

const isArticleCursor = (v: unknown): v is ArticleCursor =>
  typeof v === 'object' && v !== null && typeof (v as ArticleCursor).sortAt === 'string' && Number.isInteger((v as ArticleCursor).id);

const CursorQuery = Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 512 })) });
const ListQuery = Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 512 })), site: Type.Optional(Type.String({ maxLength: 60, description: "Only this site's articles (its key)" })) });
const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) });

export interface ArticleRouteOptions {
  ctx: AppContext;
  chrome: ChromeFactory;
  site: SiteInfo;
  /**
   * The conversation section under an article, from the comments feature when it exists: `parts` is
   * the section as pieces of HTML for the page template (article-page.tsx).
   */
  commentsSection?: ((request: FastifyRequest, reply: FastifyReply, article: Article) => Promise<VNode | null>) & { parts?: SectionParts };
}

export async function articleRoutes(app: FastifyInstance, { ctx, chrome, site, commentsSection }: ArticleRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;
  // Sites are cached in memory (src/sites/store.ts): this costs no query per article. A site made a
  // moment ago by another process is not in the cache yet: read them again once.
  const siteKeyOf = async (article: Article) => {
    const cached = await findSiteById(db, article.siteId);
    if (cached) return cached.key;
    forgetSites(db);
    return (await findSiteById(db, article.siteId))?.key ?? DEFAULT_SITE_KEY;
  };


  api.get(
    '/',
    { schema: { hide: true, querystring: CursorQuery } },
    async (request, reply) => {
      const page = cacheablePage(request, ctx.pageCache);
      page.tag('articles');
      const after = decodeCursor(request.query.cursor, isArticleCursor);
      // Parley's own pages are the default site's; other sites' articles live on their publishers' pages.
      const siteId = (await defaultSite(db)).id;
      const [{ articles, next }, lists] = await Promise.all([listArticles(db, { limit: FRONT_PAGE_SIZE, after, siteId }), siteConversations(ctx, siteId)]);
      const { mostDiscussed: discussed, active } = frontPageBoxes(lists);
      // Every story and conversation shown: a comment on any of them changes a count or a box.
      for (const id of new Set([...articles.map((a) => a.id), ...discussed.map((c) => c.articleId), ...active.map((c) => c.articleId)])) page.tag(`article:${id}`);
      const nextHref = next ? `/?cursor=${encodeCursor(next)}` : null;
      return reply
        .type('text/html; charset=utf-8')
        .send(renderDocument(<FrontPage articles={articles} chrome={chrome(request, reply)} nextHref={nextHref} mostDiscussed={discussed} active={active} />, request.i18n));
    },
  );

  api.get(
    '/articles/:slug',
    { schema: { hide: true, params: SlugParams } },
    async (request, reply) => {
      if (commentsSection?.parts) {
        const html = await articlePage(ctx, chrome, request, reply, request.params.slug, commentsSection.parts);
        if (!html) throw HttpError.translated(404, 'not_found', 'articles.notFound');
        return reply.type('text/html; charset=utf-8').send(html);
      }
      const page = cacheablePage(request, ctx.pageCache);
      const article = await findArticleBySlug(db, request.params.slug);
      if (!article) throw HttpError.translated(404, 'not_found', 'articles.notFound');
      page.tag(`article:${article.id}`);
      const comments = commentsSection ? await commentsSection(request, reply, article) : null;
      const quoted = await articleQuotes(db, Number(article.id));
      // The margin's counts: one index range over a per-article aggregate (src/passages).
      const passages = comments ? await passageCounts(db, Number(article.id)) : null;
      const related = alsoBeingDiscussed(await siteConversations(ctx, article.siteId), Number(article.id));
      // "New replies since your last visit" on the Following page counts from here.
      if (request.actor) await noteConversationVisit(db, request.actor.userId, Number(article.id));
      return reply
        .type('text/html; charset=utf-8')
        .send(renderDocument(<ArticlePage article={article} chrome={chrome(request, reply)} comments={comments} quoted={quoted} passageCounts={passages} related={<ConversationBox id="also-discussed" title={request.i18n.t('articles.box.alsoDiscussed')} conversations={related.map(conversationLink)} />} />, request.i18n));
    },
  );

  api.get('/feed.xml', { schema: { hide: true } }, async (request, reply) => {
    const { articles } = await listArticles(db, { limit: 50, siteId: (await defaultSite(db)).id });
    return reply.type('application/atom+xml; charset=utf-8').send(renderAtomFeed(articles, site, request.i18n));
  });

  api.get(
    '/api/v1/articles',
    {
      schema: {
        summary: 'List articles, newest first',
        tags: ['articles'],
        querystring: ListQuery,
        response: {
          200: Type.Object({ articles: Type.Array(ArticleJson), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          400: ErrorJson,
          404: ErrorJson,
        },
      },
    },
    async (request) => {
      const after = decodeCursor(request.query.cursor, isArticleCursor);
      const site = request.query.site === undefined ? null : await findSiteByKey(db, request.query.site);
      if (request.query.site !== undefined && !site) throw HttpError.translated(404, 'not_found', 'errors.api.noSiteWithKey', { key: request.query.site });
      const { articles, next } = await listArticles(db, { limit: API_PAGE_SIZE, after, ...(site ? { siteId: site.id } : {}) });
      const presented = await Promise.all(articles.map(async (a) => presentArticle(a, await siteKeyOf(a))));
      return { articles: presented, nextCursor: next ? encodeCursor(next) : null };
    },
  );

  api.get(
    '/api/v1/articles/:slug',
    {
      schema: {
        summary: 'One article',
        tags: ['articles'],
        params: SlugParams,
        response: { 200: Type.Object({ article: ArticleJson }), 404: ErrorJson },
      },
    },
    async (request) => {
      const article = await findArticleBySlug(db, request.params.slug);
      if (!article) throw HttpError.translated(404, 'not_found', 'errors.api.noArticleWithSlug', { slug: request.params.slug });
      return { article: presentArticle(article, await siteKeyOf(article)) };
    },
  );
}
