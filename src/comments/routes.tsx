import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { VNode } from 'preact';
import { Type } from 'typebox';
import type { Article } from '../articles/model.ts';
import { findArticleById } from '../articles/store.ts';
import { liveHub } from '../events/live.ts';
import { lastEventId } from '../events/outbox.ts';
import { requireActor } from '../http/auth.ts';
import { decodeCursor } from '../http/cursor.ts';
import { asHttpError, HttpError } from '../http/errors.ts';
import { renderDocument, renderFragment } from '../ui/render.ts';
import { getSettings } from '../settings/store.ts';
import { commentApiRoutes } from './api.ts';
import { cacheablePage } from '../http/anonymous-cache.ts';
import { commentStream, deleteOwnComment, setReaction } from './commands.ts';
import { bodyProblem, isDeleted, isReplyCursor, visibleTo, type Comment } from './model.ts';
import { ActionPage, ComposerPage, EditPage, ThreadPage } from './pages.tsx';
import { can, type CommentAction } from './policy.ts';
import { commentUrl } from './presenter.ts';
import { articleHref } from './views.tsx';
import { articleOr404, attemptEdit, attemptPost, commentOr404, pageViewer, parseParentId, policyArticle, refusal, viewerFor, type CommentRouteOptions } from './requests.ts';
import { findAncestors, listReplies, listThreads } from './store.ts';
import { quoteAsMarkdown } from './quote.ts';
import { composerRoutes, previewPage } from './preview.tsx';
import { featuredComments } from './featured.ts';
import { FeaturedSection, MoreThreads } from './section-views.tsx';
import { type CommentViewer, MoreReplies, ReplyItem, ThreadItem } from './views.tsx';
import { JoinArea } from './composer.tsx';
import type { ConversationExtrasFor } from './actions.ts';
import { listQuery } from './section.tsx';
import { markUnverifiedAddress, markViewer } from './viewer-state.ts';

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
    if (after && after.c !== comment.id) throw HttpError.translated(400, 'invalid_cursor', 'comments.refused.cursorOtherComment');
    // The same for every anonymous reader until something changes under the article.
    cacheablePage(request, ctx.pageCache).tag(commentStream(comment.articleId));
    const eventId = await lastEventId(db);
    const { page, v, settings } = await pageViewer(ctx, chrome, request, reply, article);
    await addMoreActions(request, reply, article, v);
    const [ancestors, { replies, next }] = await Promise.all([findAncestors(db, comment), listReplies(db, comment, { after: after?.p ?? null, limit: settings.repliesPerPage, viewerId: request.actor?.userId ?? null })]);
    await markViewer(db, v, [comment, ...ancestors, ...replies]);
    // "Quote" under a comment, without JavaScript: the reply box starts with the comment quoted.
    const replyText = query.quote === '1' && !isDeleted(comment) && visibleTo(comment, request.actor?.userId ?? null) ? quoteAsMarkdown(comment.body) : undefined;
    return html(reply, 200, renderDocument(<ThreadPage chrome={page} v={v} article={article} ancestors={ancestors} comment={comment} replies={replies} next={next} paged={after !== null} lastEventId={eventId} replyText={replyText} />, request.i18n));
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
      return html(reply, error.statusCode, renderDocument(<ComposerPage chrome={page} v={v} article={article} parent={parent} text={text} error={error.messageIn(request.i18n)} />, request.i18n));
    }
  });

  /**
   * The comment a form page or form names, its article and the reader's view of it: the reader signed
   * in, the comment theirs to see, and the action allowed them (their sanction included).
   */
  const commentFor = async (request: FastifyRequest, reply: FastifyReply, commentId: number) => {
    const actor = requireActor(request);
    const comment = await commentOr404(ctx, commentId, request.actor);
    const article = await articleOf(comment);
    const { page, v, settings } = await pageViewer(ctx, chrome, request, reply, article);
    const mayDo = (action: CommentAction) => {
      const denied = refusal(can(actor, action, comment, { article: policyArticle(article), settings, sanction: v.sanction }));
      if (denied) throw denied;
    };
    return { actor, comment, article, page, v, settings, mayDo };
  };

  api.get('/comments/:id/edit', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const { comment, article, page, v, mayDo } = await commentFor(request, reply, request.params.id);
    mayDo('edit');
    return html(reply, 200, renderDocument(<EditPage chrome={page} v={v} article={article} comment={comment} text={comment.body} error={null} back={backTo(request, article, comment.id)} />, request.i18n));
  });

  api.post('/comments/:id/edit', { schema: { ...hidden, params: IdParams, body: FormBody } }, async (request, reply) => {
    const { actor, comment, article, page, v, settings, mayDo } = await commentFor(request, reply, request.params.id);
    mayDo('edit');
    const text = request.body.body ?? '';
    const problem = bodyProblem(text, settings);
    if (problem) return html(reply, 400, renderDocument(<EditPage chrome={page} v={v} article={article} comment={comment} text={text} error={HttpError.translated(400, 'invalid_comment', problem.key, problem.values).messageIn(request.i18n)} back={safeBack(request.body.back, article, comment.id)} />, request.i18n));
    await attemptEdit(ctx, actor, comment, article, settings, text);
    return reply.redirect(safeBack(request.body.back, article, comment.id), 303);
  });

  api.post('/comments/:id/delete', { schema: { ...hidden, params: IdParams, body: FormBody } }, async (request, reply) => {
    const { actor, comment, article, mayDo } = await commentFor(request, reply, request.params.id);
    mayDo('delete');
    await deleteOwnComment(ctx, comment, actor.userId);
    return reply.redirect(safeBack(request.body.back ?? backTo(request, article, comment.id), article, comment.id), 303);
  });

  api.post('/comments/:id/reaction', { schema: { ...hidden, params: IdParams, body: FormBody } }, async (request, reply) => {
    const { actor, comment, article, mayDo } = await commentFor(request, reply, request.params.id);
    mayDo('react');
    await setReaction(ctx, comment, actor.userId, request.body.on !== '0');
    return reply.redirect(safeBack(request.body.back ?? backTo(request, article, comment.id), article, comment.id), 303);
  });

  // Without JavaScript, each action under a comment is a link to one of these small pages: one form,
  // which goes back to the comment on the article page it came from.
  const actionPage = async (request: FastifyRequest, reply: FastifyReply, commentId: number, action: 'react' | 'delete' | 'follow') => {
    const { actor, comment, article, page, v, mayDo } = await commentFor(request, reply, commentId);
    if (action !== 'follow') mayDo(action);
    else if (comment.author.id === actor.userId) throw HttpError.translated(403, 'own_comment', 'comments.refused.followSelf');
    await markViewer(db, v, [comment]);
    return html(reply, 200, renderDocument(<ActionPage chrome={page} v={v} article={article} comment={comment} action={action} back={backTo(request, article, comment.id)} />, request.i18n));
  };
  for (const action of ['react', 'delete', 'follow'] as const) {
    api.get(`/comments/:id/${action}`, { schema: { ...hidden, params: IdParams } }, async (request, reply) => actionPage(request, reply, request.params.id, action));
  }

  await composerRoutes(app, options);

  // Fragments for the island: the same components, rendered for the reader asking.
  const fragment = (request: FastifyRequest, reply: FastifyReply, node: VNode) => reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderFragment(node, request.i18n));

  api.get('/fragments/comments/:id', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const comment = await commentOr404(ctx, request.params.id, request.actor);
    // A deleted comment that no reply holds in place has left the conversation, as the lists leave it
    // out (store.ts): an open page that asks after it live removes it too (issue 14, bug 3).
    if (isDeleted(comment) && comment.descendantCount === 0) throw HttpError.translated(404, 'not_found', 'comments.refused.noComment');
    const article = await articleOf(comment);
    const { v } = await pageViewer(ctx, chrome, request, reply, article);
    await Promise.all([markViewer(db, v, [comment]), addMoreActions(request, reply, article, v)]);
    if (comment.parentId !== null) return fragment(request, reply, <ReplyItem comment={comment} v={v} />);
    const more = comment.descendantCount > 0 ? { c: comment.id, p: '' } : null;
    return fragment(request, reply, <ThreadItem thread={{ root: comment, replies: [], moreReplies: more }} v={v} />);
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
      request,
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
      request,
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
    return fragment(request, reply, <JoinArea v={v} />);
  });

  // The Featured section as it is now, for pages open when a moderator features or unfeatures a
  // comment: the same for every reader (featured comments are approved ones), so nothing per viewer.
  api.get('/fragments/articles/:slug/featured', { schema: { ...hidden, params: SlugParams } }, async (request, reply) => {
    const article = await articleOr404(ctx, request.params.slug);
    const [settings, featured] = await Promise.all([getSettings(db), featuredComments(db, Number(article.id))]);
    const v = viewerFor(null, () => '', article, settings);
    return fragment(request, reply, <FeaturedSection v={v} featured={featured} />);
  });
}

