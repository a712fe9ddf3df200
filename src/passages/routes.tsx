import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Article } from '../articles/model.ts';
import { can, decisionMessage } from '../comments/policy.ts';
import { articleOr404, attemptPost, pageViewer, type CommentRouteOptions } from '../comments/requests.ts';
import { cacheablePage } from '../http/anonymous-cache.ts';
import { decodeCursor } from '../http/cursor.ts';
import { asHttpError, HttpError } from '../http/errors.ts';
import { renderDocument } from '../ui/render.ts';
import { findExact, squash, wholeParagraphSelector, type TextQuoteSelector } from './model.ts';
import { PassagePage } from './page.tsx';
import { isPassageCursor, listPassageComments, paragraphTexts } from './store.ts';

// The page of one paragraph's conversation, and its form: "discuss a passage" without JavaScript (the
// per-paragraph Discuss link and the margin's count lead here), and with it (the island sends the
// words the reader selected as ?exact=&prefix=&suffix=).

const PassageParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }), n: Type.Integer({ minimum: 1, maximum: 100_000 }) });
const PassageQuery = Type.Object({
  exact: Type.Optional(Type.String({ maxLength: 5000 })),
  prefix: Type.Optional(Type.String({ maxLength: 200 })),
  suffix: Type.Optional(Type.String({ maxLength: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});
const PassageForm = Type.Object({
  body: Type.Optional(Type.String({ maxLength: 200_000 })),
  exact: Type.Optional(Type.String({ maxLength: 5000 })),
  prefix: Type.Optional(Type.String({ maxLength: 200 })),
  suffix: Type.Optional(Type.String({ maxLength: 200 })),
});
const PAGE_SIZE = 30;

function paragraphOr404(article: Article, n: number): string {
  const text = paragraphTexts(article.body)[n - 1];
  if (text === undefined) throw HttpError.translated(404, 'not_found', 'passages.page.noParagraph', { paragraph: n, count: article.body.length });
  return squash(text);
}

/** The words asked for when they are in the paragraph, else (a link from an older page) the whole paragraph. */
function quotedIn(text: string, asked: Partial<TextQuoteSelector>): { selector: TextQuoteSelector; start: number; end: number } {
  if (asked.exact) {
    const anchor = findExact([text], { exact: asked.exact, prefix: asked.prefix ?? '', suffix: asked.suffix ?? '' });
    if (anchor) return { selector: { exact: squash(asked.exact), prefix: asked.prefix ?? '', suffix: asked.suffix ?? '' }, start: anchor.start, end: anchor.end };
  }
  const whole = wholeParagraphSelector(text);
  return { selector: whole, start: 0, end: whole.exact.length };
}

export async function passageRoutes(app: FastifyInstance, { ctx, chrome }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  const render = async (request: FastifyRequest, reply: FastifyReply, article: Article, n: number, asked: Partial<TextQuoteSelector>, draft: { text?: string; error?: string | null; cursor?: string }) => {
    const text = paragraphOr404(article, n);
    const { page, v, settings } = await pageViewer(ctx, chrome, request, reply, article);
    const after = decodeCursor(draft.cursor, isPassageCursor);
    const { comments, next } = await listPassageComments(db, Number(article.id), n, { viewerId: request.actor?.userId ?? null, after, limit: PAGE_SIZE });
    const decision = can(v.actor, 'post', null, { article: v.article, settings, now: v.now, sanction: v.sanction });
    const refusal = decision.allowed ? null : { message: decisionMessage(decision, request.i18n), signIn: decision.code === 'unauthenticated' };
    const quoted = quotedIn(text, asked);
    return renderDocument(
      <PassagePage
        chrome={page}
        article={article}
        paragraph={n}
        text={text}
        quoted={quoted}
        selector={quoted.selector}
        comments={comments}
        next={next}
        refusal={refusal}
        draft={draft.text}
        error={draft.error}
        maxLength={settings.commentMaxLength}
      />,
      request.i18n,
    );
  };

  api.get('/articles/:slug/passages/:n', { schema: { hide: true, params: PassageParams, querystring: PassageQuery } }, async (request, reply) => {
    // The same for every anonymous reader until something changes under the article.
    const cache = cacheablePage(request, ctx.pageCache);
    const article = await articleOr404(ctx, request.params.slug);
    cache.tag(`article:${article.id}`);
    const html = await render(request, reply, article, request.params.n, request.query, { cursor: request.query.cursor });
    return reply.type('text/html; charset=utf-8').send(html);
  });

  api.post('/articles/:slug/passages/:n', { schema: { hide: true, params: PassageParams, body: PassageForm } }, async (request, reply) => {
    const article = await articleOr404(ctx, request.params.slug);
    const n = request.params.n;
    paragraphOr404(article, n);
    const text = request.body.body ?? '';
    const { settings } = await pageViewer(ctx, chrome, request, reply, article);
    const asked = { exact: request.body.exact, prefix: request.body.prefix, suffix: request.body.suffix };
    try {
      const comment = await attemptPost(ctx, request.actor, article, settings, text, null, { ...asked, paragraph: n });
      return reply.redirect(`/articles/${encodeURIComponent(article.slug)}?sort=newest#c-${comment.id}`, 303);
    } catch (thrown) {
      // What the reader can fix comes back with their text; the rest is the site's error page.
      const error = asHttpError(thrown);
      if (!(error instanceof HttpError) || ![400, 409, 429].includes(error.statusCode)) throw error;
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      const html = await render(request, reply, article, n, asked, { text, error: error.messageIn(request.i18n) });
      return reply.status(error.statusCode).type('text/html; charset=utf-8').send(html);
    }
  });
}
