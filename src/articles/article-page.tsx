import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { cacheablePage } from '../http/anonymous-cache.ts';
import type { ChromeFactory } from '../ui/chrome.ts';
import { renderDocument, renderFragment } from '../ui/render.ts';
import { ConversationBox } from '../ui/conversation-box.tsx';
import { alsoBeingDiscussed, siteConversations } from '../conversations/boxes.ts';
import { noteConversationVisit } from '../community/following-store.ts';
import { accountNavHtml } from '../accounts/nav-html.tsx';
import { articleQuotes } from '../quotes/store.ts';
import { passageCounts } from '../passages/store.ts';
import { conversationLink } from './front-page.tsx';
import type { Article } from './model.ts';
import { findArticleBySlug } from './store.ts';
import { ArticlePage } from './views.tsx';
import { cutTemplate, escapeHtml, fillTemplate, hole, type Chunk, type PageTemplate } from '../ui/page-template.ts';

// The article page with its conversation, for every reader. Everything on it but a few parts is the
// same for every reader of the article in a language: the story, its passages margin and quotes box,
// the page shell. That is rendered once into a template (page-template.ts), kept beside the cached
// pages and dropped by the article's events like them, and each request fills its holes: the
// reader's account area, the conversation section (its threads shared too, src/comments), the
// "Also being discussed" box (shared by the site's articles). An anonymous page is then stored whole
// by the anonymous page cache as before.

/** The section under the article, from the comments feature: pieces of HTML (comments/routes.tsx). */
export type SectionParts = (request: FastifyRequest, reply: FastifyReply, article: Article) => Promise<Chunk[]>;

interface Entry {
  article: Article;
  template: PageTemplate;
}

export async function articlePage(ctx: AppContext, chrome: ChromeFactory, request: FastifyRequest, reply: FastifyReply, slug: string, section: SectionParts): Promise<Buffer | null> {
  const cache = ctx.pageCache;
  const anonymousCache = cacheablePage(request, cache);
  const signedIn = request.actor !== null;
  const locale = request.i18n.locale;
  const key = `article-page:${slug}:${locale}:${signedIn ? 'in' : 'out'}`;
  let entry = cache.getShared<Entry>(key);
  if (!entry) {
    const begunAt = cache.begin();
    const article = await findArticleBySlug(ctx.db.kysely, slug);
    if (!article) return null;
    entry = { article, template: await template(ctx, chrome, request, reply, article) };
    cache.setShared(key, entry, entry.template.bytes + 4 * 1024, [`article:${article.id}`], begunAt);
  }
  const { article } = entry;
  anonymousCache.tag(`article:${article.id}`);
  const page = chrome(request, reply);
  const [comments, related] = await Promise.all([section(request, reply, article), relatedBox(ctx, request, article)]);
  // "New replies since your last visit" on the Following page counts from here.
  if (request.actor) await noteConversationVisit(ctx.db.kysely, request.actor.userId, Number(article.id));
  return fillTemplate(entry.template, {
    viewer: escapeHtml(request.actor?.handle ?? ''),
    account: page.actor ? accountNavHtml(request.i18n, { actor: page.actor, csrf: page.csrf, path: page.path, unread: request.unreadCount, held: request.heldCount }) : page.account ? renderFragment(page.account, request.i18n) : '',
    comments,
    related,
  });
}

/** The page with holes for the reader's parts: one render per article, language and signed in or not. */
async function template(ctx: AppContext, chrome: ChromeFactory, request: FastifyRequest, reply: FastifyReply, article: Article): Promise<PageTemplate> {
  const db = ctx.db.kysely;
  const [quoted, passages] = await Promise.all([articleQuotes(db, Number(article.id)), passageCounts(db, Number(article.id))]);
  const page = chrome(request, reply);
  const actor = page.actor ? { ...page.actor, handle: hole('viewer') } : null;
  const html = renderDocument(
    <ArticlePage article={article} chrome={{ ...page, actor, account: <>{hole('account')}</> }} comments={<>{hole('comments')}</>} quoted={quoted} passageCounts={passages} related={<>{hole('related')}</>} />,
    request.i18n,
  );
  return cutTemplate(html);
}

/** "Also being discussed" under the article: the same for every reader until a conversation on the site changes. */
async function relatedBox(ctx: AppContext, request: FastifyRequest, article: Article): Promise<Buffer> {
  const key = `related-box:${article.id}:${article.siteId}:${request.i18n.locale}`;
  const hit = ctx.pageCache.getShared<Buffer>(key);
  if (hit) return hit;
  const begunAt = ctx.pageCache.begin();
  const related = alsoBeingDiscussed(await siteConversations(ctx, article.siteId), Number(article.id));
  const html = Buffer.from(renderFragment(<ConversationBox id="also-discussed" title={request.i18n.t('articles.box.alsoDiscussed')} conversations={related.map(conversationLink)} />, request.i18n));
  ctx.pageCache.setShared(key, html, html.length + 200, ['articles'], begunAt);
  return html;
}
