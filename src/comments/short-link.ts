import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findArticleById } from '../articles/store.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { commentUrl } from './presenter.ts';
import { commentOr404 } from './requests.ts';

// A comment's short address, `/comments/ID` (presenter.ts commentShortUrl): what every comment's time
// links to in a conversation's HTML (sixty a first page, each without the article's slug, which on a news
// site is often longer than the comment's markup around it), and a stable link to share. It leads to
// the comment's page under its article, as that page leads an old slug to the current one; the query
// (a replies cursor) goes along.

export async function shortLinkRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get('/comments/:id', { schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
    const comment = await commentOr404(ctx, request.params.id, request.actor);
    const article = await findArticleById(ctx.db.kysely, comment.articleId);
    if (!article) throw HttpError.translated(404, 'not_found', 'comments.refused.noArticle');
    const query = request.url.indexOf('?');
    return reply.redirect(commentUrl(article.slug, comment) + (query === -1 ? '' : request.url.slice(query)), 301);
  });
}
