import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { articleRoutes } from './articles/routes.tsx';
import { AccountNav } from './accounts/nav.tsx';
import { accountRoutes } from './accounts/routes.tsx';
import { waitValues } from './accounts/signin-throttle.ts';
import { commentRoutes } from './comments/routes.tsx';
import { shortLinkRoutes } from './comments/short-link.ts';
import { commentsSectionFor } from './comments/section.tsx';
import { installUnreadCount } from './community/bell.ts';
import { communityRoutes } from './community/routes.ts';
import { moderationRoutes } from './moderation/routes.tsx';
import { installHeldCount } from './moderation/held-count.ts';
import { articleControlsFor } from './moderation/article-controls.tsx';
import { adminRoutes } from './admin/routes.tsx';
import { mediaRoutes } from './media/routes.ts';
import { importPageRoutes } from './articles/import-page.tsx';
import { embedRoutes } from './embed/routes.tsx';
import { commentExportRoutes } from './migrate-comments/routes.ts';
import type { ChromeFactory } from './ui/chrome.ts';
import { CLIENT_DIST_DIR } from './ui/client-assets.ts';
import { csrfToken } from './http/csrf.ts';
import { HttpError } from './http/errors.ts';
import rateLimit from '@fastify/rate-limit';
import type { AppContext } from './context.ts';
import { cachedPageServerFactory, installAnonymousPageCache } from './http/anonymous-cache.ts';
import { collectRoutes } from './http/route-list.ts';
import { installSecurityHeaders } from './http/security-headers.ts';
import { installAuthentication } from './http/auth.ts';
import { installInputChecks } from './http/input.ts';
import { installCsrfProtection } from './http/csrf.ts';
import { registerErrorHandling } from './http/errors.ts';
import { installOps, opsServerOptions } from './ops/index.ts';
import { sharedRateLimitStore } from './ops/rate-limit-store.ts';
import { ErrorPage, type SiteInfo } from './ui/layout.tsx';
import { renderDocument } from './ui/render.ts';
import { installRequestLanguage, RequestLanguages } from './i18n/request.ts';
import { requestSiteFinder } from './sites/request-site.ts';
import { getSettings } from './settings/store.ts';
import { h } from 'preact';
import { ssoRoutes } from './sso/routes.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { conversationRoutes } from './conversations/routes.ts';
import { iconRoutes } from './ui/icon-routes.ts';
import { quoteRoutes } from './quotes/routes.tsx';
import { passageRoutes } from './passages/routes.tsx';

const here = path.dirname(fileURLToPath(import.meta.url));
export const UI_ASSETS_DIR = path.join(here, 'ui', 'assets');

export function siteInfo(ctx: AppContext): SiteInfo {
  return { name: 'Parley', publicUrl: ctx.config.publicUrl };
}

/** A hop count trusts that many proxies nearest to us; Fastify takes it as a function. */
function trustProxyOption(trust: false | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

/** Builds the HTTP application from the context and the feature modules; it does not listen. */
export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  const languages = new RequestLanguages({ pseudo: ctx.config.pseudoLocale ?? false, siteLanguage: () => getSettings(ctx.db.kysely), siteOf: requestSiteFinder(ctx.db.kysely) });
  const app = Fastify({
    // One JSON log, request ids from X-Request-Id, and our own access log (ops/index.ts).
    ...opsServerOptions(ctx),
    // Believed only as far as the operator says (TRUST_PROXY): request.ip feeds rate limits and throttling.
    trustProxy: trustProxyOption(ctx.config.ops.trustProxy),
    bodyLimit: 1024 * 1024,
    serverFactory: cachedPageServerFactory(ctx.pageCache, languages),
    // Slugs and author names can be long; past Fastify's default of 100 it answers 414 outside our error shape.
    routerOptions: { maxParamLength: 500 },
    // Requests that arrive while the server shuts down get a 503 instead of hanging.
    return503OnClosing: true,
  });

  collectRoutes(app);
  const site = siteInfo(ctx);
  const chrome: ChromeFactory = (request, reply) => {
    let token: string | null = null;
    const csrf = () => (token ??= csrfToken(reply));
    const path = request.url;
    return { site, actor: request.actor, csrf, path, account: h(AccountNav, { actor: request.actor, csrf, path, unread: request.unreadCount, held: request.heldCount }) };
  };

  // Before the page cache, whose stored headers must hold what this adds.
  installRequestLanguage(app, languages);
  installAnonymousPageCache(app, ctx.pageCache, languages);
  registerErrorHandling(app, (request, status, message) => renderDocument(h(ErrorPage, { site, status, message }), request.i18n));
  // Before load shedding, whose refusals are answered from an onRequest hook and skip the hooks after it.
  installSecurityHeaders(app);
  // Request ids, access log, /livez /readyz /healthz /metrics, load shedding (src/ops).
  await installOps(app, ctx);

  // Pages, API answers and assets go out compressed (brotli, else gzip) when the browser accepts it;
  // cached anonymous pages are compressed once when stored (anonymous-cache.ts). Live streams are
  // hijacked replies and never pass through here.
  await app.register(compress, { global: true, encodings: ['br', 'gzip'], threshold: 1024 });
  await app.register(cookie);
  await app.register(formbody);
  installInputChecks(app);
  installAuthentication(app, ctx);
  await installCsrfProtection(app, ctx);
  installUnreadCount(app, ctx);
  installHeldCount(app, ctx);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Parley API', version: '1', description: 'Articles and the conversations under them.' },
    },
  });
  // Limits are opt-in per route (`config.rateLimit`); the 429 carries Retry-After and our error shape.
  await app.register(rateLimit, {
    global: false,
    // On PostgreSQL the counters are shared by every node (ops/rate-limit-store.ts).
    ...sharedRateLimitStore(ctx),
    errorResponseBuilder: (_request, context) =>
      HttpError.translated(429, 'rate_limited', 'errors.rateLimit.tooMany', waitValues(Math.max(1, Math.ceil(context.ttl / 1000)))),
  });
  await app.register(fastifyStatic, { root: UI_ASSETS_DIR, prefix: '/assets/', maxAge: '1h', index: false });
  // Built islands have content hashes in their names, so they can be cached for good.
  await app.register(fastifyStatic, { root: CLIENT_DIST_DIR, prefix: '/assets/client/', decorateReply: false, immutable: true, maxAge: '365d', index: false });

  await app.register(articleRoutes, { ctx, chrome, site, commentsSection: commentsSectionFor(ctx, chrome, articleControlsFor(ctx)) });
  await app.register(accountRoutes, { ctx, chrome });
  // The same moderator's buttons as the article page, in the fragments its island fetches.
  await app.register(commentRoutes, { ctx, chrome, extrasFor: articleControlsFor(ctx) });
  await app.register(shortLinkRoutes, { ctx });
  await app.register(communityRoutes, { ctx, chrome });
  await app.register(moderationRoutes, { ctx, chrome });
  await app.register(adminRoutes, { ctx, chrome });
  await app.register(mediaRoutes, { ctx });
  await app.register(importPageRoutes, { ctx, chrome });
  await app.register(embedRoutes, { ctx, chrome, commentsSection: commentsSectionFor(ctx, chrome) });
  await app.register(commentExportRoutes, { ctx });
  await app.register(ssoRoutes, { ctx, chrome });
  await app.register(webhookRoutes, { ctx, chrome });
  await app.register(conversationRoutes, { ctx });
  await app.register(iconRoutes, { siteName: site.name });
  await app.register(quoteRoutes, { ctx, chrome });
  await app.register(passageRoutes, { ctx, chrome });

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
