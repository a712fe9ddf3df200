import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { articleOr404, commentOr404, type CommentRouteOptions } from '../comments/requests.ts';
import { HttpError } from '../http/errors.ts';
import { DECISIONS, decideComment, setArticleMode, type DecisionKind } from './commands.ts';
import type { ArticleMode } from './model.ts';
import { canModerate, canModerateSite } from './policy.ts';
import { check } from './requests.ts';
import { moderatedSites } from './scope.ts';

// The forms of the moderator's controls on the article page (article-controls.tsx): each checks the
// moderator's right over the article's site on the server, runs the same command as the queue and
// the API, and goes back to the article page it came from: the panel, or the comment.

const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) });
const CommentParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }), id: Type.Integer({ minimum: 1 }) });
const Form = Type.Object({}, { additionalProperties: Type.String({ maxLength: 2000 }) });
const MODES: readonly ArticleMode[] = ['post', 'pre', 'closed'];
const hidden = { hide: true };

/** The article page the form was on (its order and page kept), else the article; never another site's page. */
export function articlePageBack(request: Pick<FastifyRequest, 'headers'>, slug: string, anchor: string): string {
  const own = `/articles/${encodeURIComponent(slug)}`;
  const referer = request.headers.referer;
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.host === request.headers.host && url.pathname === own) return `${own}${url.search}#${anchor}`;
    } catch {
      // Not an address: the article itself below.
    }
  }
  return `${own}#${anchor}`;
}

export async function articleControlRoutes(app: FastifyInstance, { ctx }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  const articleToModerate = async (request: FastifyRequest, slug: string) => {
    check(canModerate(request.actor));
    const article = await articleOr404(ctx, slug);
    check(canModerateSite(request.actor, await moderatedSites(db, request.actor), article.siteId));
    return article;
  };

  api.post('/articles/:slug/moderation', { schema: { ...hidden, params: SlugParams, body: Form } }, async (request, reply) => {
    const article = await articleToModerate(request, request.params.slug);
    const mode = (request.body as Record<string, string>).mode ?? '';
    if (!(MODES as readonly string[]).includes(mode)) throw HttpError.translated(400, 'invalid_mode', 'moderation.refused.invalidMode');
    await setArticleMode(ctx, request.actor!, Number(article.id), mode as ArticleMode);
    return reply.header('cache-control', 'no-store').redirect(articlePageBack(request, article.slug, 'moderation'), 303);
  });

  api.post('/articles/:slug/comments/:id/decision', { schema: { ...hidden, params: CommentParams, body: Form } }, async (request, reply) => {
    const article = await articleToModerate(request, request.params.slug);
    const body = request.body as Record<string, string>;
    if (!(DECISIONS as readonly string[]).includes(body.decision ?? '')) throw HttpError.translated(400, 'invalid_decision', 'moderation.refused.invalidDecision');
    const comment = await commentOr404(ctx, request.params.id, request.actor);
    if (comment.articleId !== Number(article.id)) throw HttpError.translated(404, 'not_found', 'moderation.refused.notUnderArticle');
    await decideComment(ctx, request.actor!, comment.id, body.decision as DecisionKind, body.reason?.trim() || null);
    // A decision taken in the panel goes back to the panel (the next held comment); one under a comment, to it.
    const anchor = body.back === 'panel' ? 'moderation' : `c-${comment.id}`;
    return reply.header('cache-control', 'no-store').redirect(articlePageBack(request, article.slug, anchor), 303);
  });
}
