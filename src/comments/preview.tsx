import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Article } from '../articles/model.ts';
import type { AppContext } from '../context.ts';
import { requireActor } from '../http/auth.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { findArticleById } from '../articles/store.ts';
import { commentUrl } from './presenter.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { renderDocument } from '../ui/render.ts';
import { getSettings } from '../settings/store.ts';
import { renderCommentHtml } from './markdown.ts';
import { bodyProblem, normaliseBody } from './model.ts';
import { ComposerPage } from './pages.tsx';
import { commentOr404, type CommentRouteOptions } from './requests.ts';
import type { CommentViewer } from './views.tsx';

// The composer's helpers. The preview: the text drawn by the server's own renderer, the one that will draw the
// comment, so what the reader sees is what they will post. Nothing is stored; the route is a POST
// (the text can be long) behind the site's CSRF check like every other, and for signed-in readers only.

/** The preview's HTML, or why there is none (the same words as posting would give, but for an empty text). */
export function previewHtml(text: string, settings: { commentMaxLength: number }): { html: string } | { problem: HttpError } {
  const problem = bodyProblem(text, settings);
  if (problem) return { problem: HttpError.translated(400, 'invalid_body', problem.key === 'comments.refused.empty' ? 'comments.refused.emptyPreview' : problem.key, problem.values) };
  return { html: renderCommentHtml(normaliseBody(text)) };
}

export async function composerRoutes(app: FastifyInstance, options: CommentRouteOptions) {
  const { ctx } = options;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  // "Quote" under a comment without JavaScript: a short link in the page (one per comment), which
  // leads to the comment's reply box with the comment quoted.
  api.get('/comments/:id/quote', { schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
    const comment = await commentOr404(ctx, request.params.id, request.actor);
    const article = await findArticleById(ctx.db.kysely, comment.articleId);
    if (!article) throw HttpError.translated(404, 'not_found', 'comments.refused.noComment');
    return reply.redirect(`${commentUrl(article.slug, comment)}?quote=1#reply`, 303);
  });

  api.post(
    '/fragments/comments/preview',
    { schema: { hide: true, body: Type.Object({ body: Type.String({ maxLength: 200_000 }) }) } },
    async (request, reply) => {
      requireActor(request);
      const result = previewHtml(request.body.body, await getSettings(ctx.db.kysely));
      if ('problem' in result) throw result.problem;
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(result.html);
    },
  );
}

/** Without JavaScript: the composer again, the text kept, the preview above the buttons. */
export async function previewPage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, page: PageChrome, v: CommentViewer, article: Article, parentId: number | null, text: string) {
  requireActor(request);
  const parent = parentId === null ? null : await commentOr404(ctx, parentId, request.actor);
  const result = previewHtml(text, v.settings);
  const body = renderDocument(
    <ComposerPage chrome={page} v={v} article={article} parent={parent} text={text} error={'problem' in result ? result.problem.messageIn(request.i18n) : null} previewHtml={'html' in result ? result.html : null} />,
    request.i18n,
  );
  return reply.status('problem' in result ? 400 : 200).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}
