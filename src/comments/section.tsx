import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { escapeAttribute, escapeText } from 'entities';
import type { Article } from '../articles/model.ts';
import type { AppContext } from '../context.ts';
import { lastEventId } from '../events/outbox.ts';
import { decodeCursor } from '../http/cursor.ts';
import type { Translator } from '../i18n/index.ts';
import type { ChromeFactory } from '../ui/chrome.ts';
import { cutTemplate, fillTemplate, hole, type PageTemplate } from '../ui/page-template.ts';
import { renderFragment } from '../ui/render.ts';
import { getSettings } from '../settings/store.ts';
import { actionFlags, actionsHtml, type ConversationExtrasFor } from './actions.ts';
import { commentStream } from './commands.ts';
import { featuredComments } from './featured.ts';
import { isThreadCursor, sortOrDefault, type Sort, type ThreadCursor } from './model.ts';
import { can } from './policy.ts';
import { pageViewer, viewerFor } from './requests.ts';
import { joinSlots, sharedConversation } from './shared-conversation.tsx';
import { listThreads } from './store.ts';
import { islandMessagesAttribute, streamWords } from './stream-words.ts';
import { NO_SCRIPT_PARAM, SCRIPTED_COOKIE, viewerState, viewerStateHtml } from './viewer-json.ts';
import { markUnverifiedAddress, markViewer, viewerFacts } from './viewer-state.ts';
import { CommentsSection as CommentsSectionView, SectionTop } from './section-views.tsx';
import type { CommentViewer, EmbedView } from './views.tsx';

// The comments section under an article, assembled for one reader: the shared threads (cached for
// every reader) with the viewer's part beside them, or rendered for them alone when their own held
// comment or muted readers change the threads themselves.

/** The page's order and cursor, from its query. */
export function listQuery(request: FastifyRequest) {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const after = decodeCursor(typeof query.cursor === 'string' ? query.cursor : undefined, isThreadCursor);
  return { after, sort: after?.s ?? sortOrDefault(query.sort) };
}

/** The section as pieces of the page to send: HTML text, or bytes cached and encoded once. */
export type SectionChunk = string | Buffer;

export interface CommentsSection {
  /** The section as one component (the embedded frame): rendered for this reader from scratch. */
  (request: FastifyRequest, reply: FastifyReply, article: Article, embed?: EmbedView): Promise<VNode>;
  /**
   * The section under an article on Parley's own page (articles/signed-in-page.tsx). The threads come
   * from the shared HTML (shared-conversation.tsx) for every reader, with the viewer's actions written
   * into its slots or, for a browser that runs the island, carried as a compact state beside them
   * (viewer-json.ts); the part above them is the viewer's own (small) render. A reader whose own held
   * comment or muted readers change the threads themselves gets them rendered for them alone.
   */
  parts(request: FastifyRequest, reply: FastifyReply, article: Article): Promise<SectionChunk[]>;
}

export function commentsSectionFor(ctx: AppContext, chrome: ChromeFactory, extrasFor?: ConversationExtrasFor): CommentsSection {
  const db = ctx.db.kysely;

  async function prepare(request: FastifyRequest, reply: FastifyReply, article: Article, embed?: EmbedView) {
    const { after, sort } = listQuery(request);
    const { v } = await pageViewer(ctx, chrome, request, reply, article);
    if (embed) v.embed = { ...embed, unread: request.unreadCount };
    await markUnverifiedAddress(db, v);
    // A moderator's panel and buttons (server.ts): per viewer, beside the shared HTML, never in it.
    const extras = !embed && request.actor && extrasFor ? await extrasFor(request, reply, article) : null;
    if (extras?.actions) v.moreActions = extras.actions;
    return { v, extras, after, sort };
  }

  const section = async (request: FastifyRequest, reply: FastifyReply, article: Article, embed?: EmbedView): Promise<VNode> => {
    const { v, extras, after, sort } = await prepare(request, reply, article, embed);
    const node = await renderedSection(request, article, v, after, sort);
    return extras?.panel ? (
      <>
        {extras.panel}
        {node}
      </>
    ) : (
      node
    );
  };

  section.parts = async (request: FastifyRequest, reply: FastifyReply, article: Article): Promise<SectionChunk[]> => {
    const { after, sort } = listQuery(request);
    const actor = request.actor;
    const settings = await getSettings(db);
    const v = viewerFor(actor, chrome(request, reply).csrf, article, settings);
    // The shared threads first: the viewer's facts are read for the comments on them, all at once.
    const shared = await sharedConversation(ctx, article, settings, sort, after, request.i18n);
    let ownHidden = false;
    if (actor) {
      const facts = await viewerFacts(db, actor.userId, Number(article.id), shared.slots.map((s) => s.id));
      ownHidden = facts.ownHidden;
      Object.assign(v, { muted: facts.muted, following: facts.following, followingArticle: facts.followingArticle, sanction: facts.sanction, reacted: facts.reacted, reported: facts.reported });
    }
    await markUnverifiedAddress(db, v);
    // A moderator's panel and buttons (server.ts): per viewer, beside the shared HTML, never in it.
    const extras = actor && extrasFor ? await extrasFor(request, reply, article) : null;
    if (extras?.actions) v.moreActions = extras.actions;
    const panel = extras?.panel ? renderFragment(extras.panel, request.i18n) : '';
    const personal = actor !== null && (ownHidden || shared.slots.some((s) => v.muted?.has(s.author.id)));
    if (personal) return [panel, renderFragment(await renderedSection(request, article, v, after, sort), request.i18n)];
    const open = `<section id="comments" class="comments" aria-labelledby="comments-heading" data-slug="${escapeAttribute(v.slug)}" data-after="${shared.lastEventId}" data-sort="${sort}" ${islandMessagesAttribute(request.i18n)}>`;
    const top = sectionTop(v, article, request.i18n);
    let threads: SectionChunk[];
    if (!actor) threads = [shared.plain];
    else if (scripted(request, reply) && !v.moreActions) {
      // The island writes the links from the viewer's state (viewer-json.ts); a browser that has
      // stopped running it is told so, with a way to the merged links.
      threads = [viewerStateHtml(viewerState(shared.slots, (facts) => actionFlags(facts, v))) + noScriptNotice(request), shared.plain];
    } else {
      const words = streamWords(request.i18n);
      threads = joinSlots(shared, (facts) => actionsHtml(facts, v, words));
    }
    return [panel, open, top, ...threads, '</section>'];
  };

  /**
   * The heading, following and the composer. For a reader who may post (nearly every reader) it is
   * the same for all of them but the CSRF token and whether they follow the conversation: rendered
   * once for each, kept beside the shared threads, and filled with the token.
   */
  function sectionTop(v: CommentViewer, article: Article, i18n: Translator): SectionChunk {
    const decision = can(v.actor, 'post', null, { article: v.article, settings: v.settings, now: v.now, sanction: v.sanction });
    if (!v.actor || !decision.allowed || v.embed) return renderFragment(<SectionTop v={v} commentCount={article.commentCount} />, i18n);
    // One per language too: the same heading and composer in the reader's words.
    const key = `section-top:${article.id}:${i18n.locale}:${article.commentCount}:${v.followingArticle}:${v.settings.commentMaxLength}`;
    let template = ctx.pageCache.getShared<PageTemplate>(key);
    if (!template) {
      const begunAt = ctx.pageCache.begin();
      template = cutTemplate(renderFragment(<SectionTop v={{ ...v, csrf: () => hole('csrf') }} commentCount={article.commentCount} />, i18n));
      ctx.pageCache.setShared(key, template, template.bytes, [commentStream(Number(article.id))], begunAt);
    }
    return fillTemplate(template, { csrf: v.csrf() });
  }

  /** The section rendered for this reader alone, from the database. */
  async function renderedSection(request: FastifyRequest, article: Article, v: CommentViewer, after: ThreadCursor | null, sort: Sort): Promise<VNode> {
    const settings = v.settings;
    const actor = request.actor;
    // Read before the threads: the live stream resumes from here, so nothing between is missed.
    const eventId = await lastEventId(db);
    const [{ threads, next }, featured] = await Promise.all([
      listThreads(db, Number(article.id), { sort, after, limit: settings.threadsPerPage, repliesPerThread: settings.repliesPerThread, viewerId: actor?.userId ?? null }),
      after === null ? featuredComments(db, Number(article.id)) : [],
    ]);
    await markViewer(db, v, threads.flatMap((t) => [t.root, ...t.replies]));
    return <CommentsSectionView v={v} commentCount={article.commentCount} threads={threads} sort={sort} next={next} lastEventId={eventId} paged={after !== null} featured={featured} />;
  }

  return section;
}

/**
 * Whether the reader's browser runs the island (it sets SCRIPTED_COOKIE): then the page carries the
 * viewer's compact state instead of links merged into every comment. `?js=0`, the notice's link for a
 * browser that has stopped running scripts, forgets the cookie and merges the links.
 */
function scripted(request: FastifyRequest, reply: FastifyReply): boolean {
  const query = (request.query ?? {}) as Record<string, unknown>;
  if (query[NO_SCRIPT_PARAM] === '0') {
    if (request.cookies[SCRIPTED_COOKIE] !== undefined) reply.clearCookie(SCRIPTED_COOKIE, { path: '/' });
    return false;
  }
  return request.cookies[SCRIPTED_COOKIE] === '1';
}

const noScriptWords = new Map<string, { before: string; link: string; after: string }>();

/** For a browser that said it runs scripts and no longer does: the same page with the links merged in. */
function noScriptNotice(request: FastifyRequest): string {
  // Most pages have no query: no URL to parse for them (a path that starts "//" would read as a host).
  const path = request.url.split('#')[0]!;
  let target: string;
  if (!path.includes('?') && !path.startsWith('//')) target = `${path}?${NO_SCRIPT_PARAM}=0`;
  else {
    const url = new URL(path, 'http://x');
    url.searchParams.set(NO_SCRIPT_PARAM, '0');
    target = `${url.pathname}${url.search}`;
  }
  const href = escapeAttribute(`${target}#comments`);
  // The sentence around the link, formatted and escaped once per language (every scripted page has it).
  let words = noScriptWords.get(request.i18n.locale);
  if (!words) {
    const { t } = request.i18n;
    // The catalog's words carry no markup; the link is put in whole.
    const [before = '', after = ''] = escapeText(t('comments.noscript', { link: '\u0000' })).split('\u0000');
    words = { before, link: escapeText(t('comments.noscriptLink')), after };
    noScriptWords.set(request.i18n.locale, words);
  }
  return `<noscript><p class="comments__prompt comments__noscript">${words.before}<a href="${href}">${words.link}</a>${words.after}</p></noscript>`;
}
