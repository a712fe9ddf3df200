import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { Type } from 'typebox';
import type { Article } from '../articles/model.ts';
import { findArticleById } from '../articles/store.ts';
import type { AppContext } from '../context.ts';
import { liveHub } from '../events/live.ts';
import { lastEventId } from '../events/outbox.ts';
import { requireActor } from '../http/auth.ts';
import { decodeCursor } from '../http/cursor.ts';
import { asHttpError, badRequest, HttpError, notFound } from '../http/errors.ts';
import type { ChromeFactory } from '../ui/chrome.ts';
import { renderDocument, renderFragment } from '../ui/render.ts';
import { cutTemplate, fillTemplate, hole, type PageTemplate } from '../ui/page-template.ts';
import { getSettings } from '../settings/store.ts';
import { commentApiRoutes } from './api.ts';
import { cacheablePage } from '../http/anonymous-cache.ts';
import { commentStream, deleteOwnComment, setReaction } from './commands.ts';
import { bodyProblem, isDeleted, isReplyCursor, isThreadCursor, sortOrDefault, visibleTo, type Comment, type Sort, type ThreadCursor } from './model.ts';
import { ActionPage, ComposerPage, EditPage, ThreadPage } from './pages.tsx';
import { can } from './policy.ts';
import { commentUrl } from './presenter.ts';
import { articleHref } from './views.tsx';
import { articleOr404, attemptEdit, attemptPost, commentOr404, pageViewer, parseParentId, policyArticle, refusal, viewerFor, type CommentRouteOptions } from './requests.ts';
import { findAncestors, listReplies, listThreads } from './store.ts';
import { quoteAsMarkdown } from './quote.ts';
import { composerRoutes, previewPage } from './preview.tsx';
import { featuredComments } from './featured.ts';
import { CommentsSection as CommentsSectionView, type CommentViewer, type EmbedView, FeaturedSection, JoinArea, MoreReplies, MoreThreads, ReplyItem, SectionTop, ThreadItem } from './views.tsx';
import { actionFlags, actionsHtml, type ConversationExtrasFor } from './actions.ts';
import { joinSlots, sharedConversation } from './shared-conversation.tsx';
import { NO_SCRIPT_PARAM, SCRIPTED_COOKIE, viewerState, viewerStateHtml } from './viewer-json.ts';
import { hasOwnHiddenComment, markUnverifiedAddress, markViewer, viewerMarks } from './viewer-state.ts';

// The conversation for people: the section under the article, a comment's own page, the plain forms
// that work without JavaScript, and the HTML fragments the island fetches.

const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const FormBody = Type.Object({
  body: Type.Optional(Type.String({ maxLength: 200_000 })),
  parentId: Type.Optional(Type.String({ maxLength: 20 })),
  on: Type.Optional(Type.String({ maxLength: 1 })),
  back: Type.Optional(Type.String({ maxLength: 1000 })),
  /** The composer's Preview button: show the text as it will look, post nothing. */
  preview: Type.Optional(Type.String({ maxLength: 1 })),
});
const hidden = { hide: true };

function listQuery(request: FastifyRequest) {
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
    const { v, extras, after, sort } = await prepare(request, reply, article);
    const panel = extras?.panel ? renderFragment(extras.panel, request.i18n) : '';
    const actor = request.actor;
    const shared = await sharedConversation(ctx, article, v.settings, sort, after);
    const personal = actor !== null && (shared.slots.some((s) => v.muted?.has(s.author.id)) || (await hasOwnHiddenComment(db, actor.userId, Number(article.id))));
    if (personal) return [panel, renderFragment(await renderedSection(request, article, v, after, sort), request.i18n)];
    if (actor) Object.assign(v, await viewerMarks(db, actor.userId, shared.slots.map((s) => s.id)));
    const open = `<section id="comments" class="comments" aria-labelledby="comments-heading" data-slug="${escapeAttribute(v.slug)}" data-after="${shared.lastEventId}" data-sort="${sort}">`;
    const top = sectionTop(v, article);
    let threads: SectionChunk[];
    if (!actor) threads = [shared.plain];
    else if (scripted(request, reply) && !v.moreActions) {
      // The island writes the links from the viewer's state (viewer-json.ts); a browser that has
      // stopped running it is told so, with a way to the merged links.
      threads = [viewerStateHtml(viewerState(shared.slots, (facts) => actionFlags(facts, v))) + noScriptNotice(request), shared.plain];
    } else threads = joinSlots(shared, (facts) => actionsHtml(facts, v));
    return [panel, open, top, ...threads, '</section>'];
  };

  /**
   * The heading, following and the composer. For a reader who may post (nearly every reader) it is
   * the same for all of them but the CSRF token and whether they follow the conversation: rendered
   * once for each, kept beside the shared threads, and filled with the token.
   */
  function sectionTop(v: CommentViewer, article: Article): SectionChunk {
    const decision = can(v.actor, 'post', null, { article: v.article, settings: v.settings, now: v.now, sanction: v.sanction });
    if (!v.actor || !decision.allowed || v.embed) return renderToString(<SectionTop v={v} commentCount={article.commentCount} />);
    const key = `section-top:${article.id}:${article.commentCount}:${v.followingArticle}:${v.settings.commentMaxLength}`;
    let template = ctx.pageCache.getShared<PageTemplate>(key);
    if (!template) {
      const begunAt = ctx.pageCache.begin();
      template = cutTemplate(renderToString(<SectionTop v={{ ...v, csrf: () => hole('csrf') }} commentCount={article.commentCount} />));
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

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

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

/** For a browser that said it runs scripts and no longer does: the same page with the links merged in. */
function noScriptNotice(request: FastifyRequest): string {
  const url = new URL(request.url, 'http://x');
  url.searchParams.set(NO_SCRIPT_PARAM, '0');
  const href = `${url.pathname}${url.search}#comments`.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<noscript><p class="comments__prompt comments__noscript">Scripts are off in this browser. <a href="${href}">Show the actions under each comment</a>.</p></noscript>`;
}

const html = (reply: FastifyReply, status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').send(body);

/**
 * Where a no-JavaScript action goes back to: the article page the reader came from (its order and
 * page kept), at the comment. Never the comment's own page, which offers to reply.
 */
function backTo(request: FastifyRequest, article: Pick<Article, 'slug'>, commentId: number): string {
  const referer = request.headers.referer;
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.host === request.headers.host && url.pathname.startsWith('/articles/')) return `${url.pathname}${url.search}#c-${commentId}`;
    } catch {
      // Falls back below.
    }
  }
  return `${articleHref(article.slug)}#c-${commentId}`;
}

/** A `back` field from one of our action forms, if it is one of our article pages; else the article. */
function safeBack(raw: unknown, article: Pick<Article, 'slug'>, commentId: number): string {
  if (typeof raw === 'string' && /^\/articles\/[^\s#\\]*#c-\d+$/.test(raw) && !raw.startsWith('//')) return raw;
  return `${articleHref(article.slug)}#c-${commentId}`;
}

/**
 * Whether a request comes from a conversation on Parley's own pages (the article page, a comment's
 * page), where a moderator gets their buttons, rather than from a publisher's frame (bearer token,
 * or a page under /embed/), where the page gives none.
 */
function fromOwnPage(request: FastifyRequest): boolean {
  if (request.authVia !== 'cookie') return false;
  const referer = request.headers.referer;
  if (!referer) return true;
  try {
    return !new URL(referer).pathname.startsWith('/embed/');
  } catch {
    return true;
  }
}

export async function commentRoutes(app: FastifyInstance, options: CommentRouteOptions & { extrasFor?: ConversationExtrasFor }) {
  const { ctx, chrome, extrasFor } = options;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;
  await app.register(commentApiRoutes, options);
  app.addHook('preClose', async () => liveHub(ctx).close());

  const articleOf = async (comment: Comment) => (await findArticleById(db, comment.articleId))!;

  /**
   * The buttons another feature adds under each comment for this viewer (a moderator's), as the
   * article page gives them (commentsSectionFor): the same hook, asked for its buttons alone, so a
   * comment that arrives live or a page of replies looks as it would after a reload. Nothing for
   * anyone the hook refuses (readers, other sites' moderators) or inside a publisher's frame.
   */
  async function addMoreActions(request: FastifyRequest, reply: FastifyReply, article: Article, v: CommentViewer): Promise<void> {
    if (!extrasFor || !request.actor || !fromOwnPage(request)) return;
    const extras = await extrasFor(request, reply, article, { panel: false });
    if (extras?.actions) v.moreActions = extras.actions;
  }

  api.get('/articles/:slug/comments/:id', { schema: { ...hidden, params: Type.Object({ slug: Type.String({ maxLength: 200 }), id: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
    const comment = await commentOr404(ctx, request.params.id, request.actor);
    const article = await articleOf(comment);
    if (article.slug !== request.params.slug) return reply.redirect(`${commentUrl(article.slug, comment)}`, 301);
    const query = request.query as Record<string, unknown>;
    const after = decodeCursor(typeof query.cursor === 'string' ? query.cursor : undefined, isReplyCursor);
    if (after && after.c !== comment.id) throw badRequest('The cursor belongs to another comment.', 'invalid_cursor');
    // The same for every anonymous reader until something changes under the article.
    cacheablePage(request, ctx.pageCache).tag(commentStream(comment.articleId));
    const eventId = await lastEventId(db);
    const { page, v, settings } = await pageViewer(ctx, chrome, request, reply, article);
    await addMoreActions(request, reply, article, v);
    const [ancestors, { replies, next }] = await Promise.all([findAncestors(db, comment), listReplies(db, comment, { after: after?.p ?? null, limit: settings.repliesPerPage, viewerId: request.actor?.userId ?? null })]);
    await markViewer(db, v, [comment, ...ancestors, ...replies]);
    // "Quote" under a comment, without JavaScript: the reply box starts with the comment quoted.
    const replyText = query.quote === '1' && !isDeleted(comment) && visibleTo(comment, request.actor?.userId ?? null) ? quoteAsMarkdown(comment.body) : undefined;
    return html(reply, 200, renderDocument(<ThreadPage chrome={page} v={v} article={article} ancestors={ancestors} comment={comment} replies={replies} next={next} paged={after !== null} lastEventId={eventId} replyText={replyText} />));
  });

  api.post('/articles/:slug/comments', { schema: { ...hidden, params: SlugParams, body: FormBody } }, async (request, reply) => {
    const article = await articleOr404(ctx, request.params.slug);
    const text = request.body.body ?? '';
    const { page, v, settings } = await pageViewer(ctx, chrome, request, reply, article);
    const parentId = parseParentId(request.body.parentId);
    if (request.body.preview === '1') return previewPage(ctx, request, reply, page, v, article, parentId, text);
    try {
      const comment = await attemptPost(ctx, request.actor, article, settings, text, parentId);
      const target = comment.parentId === null ? `/articles/${encodeURIComponent(article.slug)}?sort=newest` : commentUrl(article.slug, comment);
      return reply.redirect(`${target}#c-${comment.id}`, 303);
    } catch (thrown) {
      // What the reader can fix comes back with their text; the rest is the site's error page.
      const error = asHttpError(thrown);
      if (!(error instanceof HttpError) || ![400, 404, 409, 429].includes(error.statusCode) || error.code === 'invalid_parent') throw error;
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      const parent = parentId !== null && error.code !== 'parent_not_found' ? await commentOr404(ctx, parentId, request.actor) : null;
      return html(reply, error.statusCode, renderDocument(<ComposerPage chrome={page} v={v} article={article} parent={parent} text={text} error={error.message} />));
    }
  });

  api.get('/comments/:id/edit', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const actor = requireActor(request);
    const comment = await commentOr404(ctx, request.params.id, request.actor);
    const article = await articleOf(comment);
    const { page, v, settings } = await pageViewer(ctx, chrome, request, reply, article);
    const denied = refusal(can(actor, 'edit', comment, { article: policyArticle(article), settings }));
    if (denied) throw denied;
    return html(reply, 200, renderDocument(<EditPage chrome={page} v={v} article={article} comment={comment} text={comment.body} error={null} back={backTo(request, article, comment.id)} />));
  });

  api.post('/comments/:id/edit', { schema: { ...hidden, params: IdParams, body: FormBody } }, async (request, reply) => {
    const actor = requireActor(request);
    const comment = await commentOr404(ctx, request.params.id, request.actor);
    const article = await articleOf(comment);
    const { page, v, settings } = await pageViewer(ctx, chrome, request, reply, article);
    const denied = refusal(can(actor, 'edit', comment, { article: policyArticle(article), settings }));
    if (denied) throw denied;
    const text = request.body.body ?? '';
    const problem = bodyProblem(text, settings);
    if (problem) return html(reply, 400, renderDocument(<EditPage chrome={page} v={v} article={article} comment={comment} text={text} error={problem} back={safeBack(request.body.back, article, comment.id)} />));
    await attemptEdit(ctx, actor, comment, article, settings, text);
    return reply.redirect(safeBack(request.body.back, article, comment.id), 303);
  });

  api.post('/comments/:id/delete', { schema: { ...hidden, params: IdParams, body: FormBody } }, async (request, reply) => {
    const actor = requireActor(request);
    const comment = await commentOr404(ctx, request.params.id, request.actor);
    const article = await articleOf(comment);
    const denied = refusal(can(actor, 'delete', comment, { article: policyArticle(article), settings: await getSettings(db) }));
    if (denied) throw denied;
    await deleteOwnComment(ctx, comment, actor.userId);
    return reply.redirect(safeBack(request.body.back ?? backTo(request, article, comment.id), article, comment.id), 303);
  });

  api.post('/comments/:id/reaction', { schema: { ...hidden, params: IdParams, body: FormBody } }, async (request, reply) => {
    const actor = requireActor(request);
    const comment = await commentOr404(ctx, request.params.id, request.actor);
    const article = await articleOf(comment);
    const denied = refusal(can(actor, 'react', comment, { article: policyArticle(article), settings: await getSettings(db) }));
    if (denied) throw denied;
    await setReaction(ctx, comment, actor.userId, request.body.on !== '0');
    return reply.redirect(safeBack(request.body.back ?? backTo(request, article, comment.id), article, comment.id), 303);
  });

  // Without JavaScript, each action under a comment is a link to one of these small pages: one form,
  // which goes back to the comment on the article page it came from.
  const actionPage = async (request: FastifyRequest, reply: FastifyReply, commentId: number, action: 'react' | 'delete' | 'follow') => {
    const actor = requireActor(request);
    const comment = await commentOr404(ctx, commentId, request.actor);
    const article = await articleOf(comment);
    const { page, v, settings } = await pageViewer(ctx, chrome, request, reply, article);
    const policy = { article: policyArticle(article), settings, sanction: v.sanction };
    if (action === 'follow') {
      if (comment.author.id === actor.userId) throw new HttpError(403, 'own_comment', 'This is your own comment: there is nobody to follow.');
    } else {
      const denied = refusal(can(actor, action, comment, policy));
      if (denied) throw denied;
    }
    await markViewer(db, v, [comment]);
    return html(reply, 200, renderDocument(<ActionPage chrome={page} v={v} article={article} comment={comment} action={action} back={backTo(request, article, comment.id)} />));
  };
  for (const action of ['react', 'delete', 'follow'] as const) {
    api.get(`/comments/:id/${action}`, { schema: { ...hidden, params: IdParams } }, async (request, reply) => actionPage(request, reply, request.params.id, action));
  }

  await composerRoutes(app, options);

  // Fragments for the island: the same components, rendered for the reader asking.
  const fragment = (reply: FastifyReply, node: VNode) => reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderToString(node));

  api.get('/fragments/comments/:id', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const comment = await commentOr404(ctx, request.params.id, request.actor);
    // A deleted comment that no reply holds in place has left the conversation, as the lists leave it
    // out (store.ts): an open page that asks after it live removes it too (issue 14, bug 3).
    if (isDeleted(comment) && comment.descendantCount === 0) throw notFound('There is no such comment. It may have been removed.');
    const article = await articleOf(comment);
    const { v } = await pageViewer(ctx, chrome, request, reply, article);
    await Promise.all([markViewer(db, v, [comment]), addMoreActions(request, reply, article, v)]);
    if (comment.parentId !== null) return fragment(reply, <ReplyItem comment={comment} v={v} />);
    const more = comment.descendantCount > 0 ? { c: comment.id, p: '' } : null;
    return fragment(reply, <ThreadItem thread={{ root: comment, replies: [], moreReplies: more }} v={v} />);
  });

  api.get('/fragments/comments/:id/replies', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const parent = await commentOr404(ctx, request.params.id, request.actor);
    const article = await articleOf(parent);
    const query = request.query as Record<string, unknown>;
    const after = decodeCursor(typeof query.cursor === 'string' ? query.cursor : undefined, isReplyCursor);
    const { v, settings } = await pageViewer(ctx, chrome, request, reply, article);
    const [{ replies, next }] = await Promise.all([
      listReplies(db, parent, { after: after?.p ?? null, limit: settings.repliesPerPage, viewerId: request.actor?.userId ?? null }),
      addMoreActions(request, reply, article, v),
    ]);
    await markViewer(db, v, replies);
    return fragment(
      reply,
      <>
        {replies.map((r) => (
          <ReplyItem comment={r} v={v} />
        ))}
        {next ? <MoreReplies parent={parent} cursor={next} count={null} v={v} /> : null}
      </>,
    );
  });

  api.get('/fragments/articles/:slug/threads', { schema: { ...hidden, params: SlugParams } }, async (request, reply) => {
    const article = await articleOr404(ctx, request.params.slug);
    const { after, sort } = listQuery(request);
    const { v, settings } = await pageViewer(ctx, chrome, request, reply, article);
    const [{ threads, next }] = await Promise.all([
      listThreads(db, Number(article.id), { sort, after, limit: settings.threadsPerPage, repliesPerThread: settings.repliesPerThread, viewerId: request.actor?.userId ?? null }),
      addMoreActions(request, reply, article, v),
    ]);
    await markViewer(db, v, threads.flatMap((t) => [t.root, ...t.replies]));
    return fragment(
      reply,
      <>
        {threads.map((t) => (
          <ThreadItem thread={t} v={v} />
        ))}
        {next ? <MoreThreads v={v} sort={sort} next={next} /> : null}
      </>,
    );
  });

  api.get('/fragments/articles/:slug/join', { schema: { ...hidden, params: SlugParams } }, async (request, reply) => {
    const article = await articleOr404(ctx, request.params.slug);
    const { v } = await pageViewer(ctx, chrome, request, reply, article);
    await markUnverifiedAddress(db, v);
    return fragment(reply, <JoinArea v={v} />);
  });

  // The Featured section as it is now, for pages open when a moderator features or unfeatures a
  // comment: the same for every reader (featured comments are approved ones), so nothing per viewer.
  api.get('/fragments/articles/:slug/featured', { schema: { ...hidden, params: SlugParams } }, async (request, reply) => {
    const article = await articleOr404(ctx, request.params.slug);
    const [settings, featured] = await Promise.all([getSettings(db), featuredComments(db, Number(article.id))]);
    const v = viewerFor(null, () => '', article, settings);
    return fragment(reply, <FeaturedSection v={v} featured={featured} />);
  });
}

