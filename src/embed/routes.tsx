import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { VNode } from 'preact';
import { Type } from 'typebox';
import type { Role } from '../accounts/model.ts';
import { presentActor, UserJson } from '../accounts/presenter.ts';
import type { Article } from '../articles/model.ts';
import type { AppContext } from '../context.ts';
import { cacheablePage } from '../http/anonymous-cache.ts';
import { asHttpError, HttpError } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import { SECURITY_HEADERS } from '../http/security-headers.ts';
import { addressKey, cleanAddress, isUnderOrigins, normaliseOrigin, parseArticleAddress } from '../sites/addresses.ts';
import { themeCss, type Site } from '../sites/model.ts';
import { findSiteByKey } from '../sites/store.ts';
import type { ChromeFactory } from '../ui/chrome.ts';
import { CLIENT_DIST_DIR, clientFile } from '../ui/client-assets.ts';
import { speakForSite } from '../i18n/request.ts';
import { renderDocument, renderFragment } from '../ui/render.ts';
import type { EmbedView } from '../comments/views.tsx';
import { embeddableAddress, EmbedRefused, findOrCreateConversation } from './conversations.ts';
import { issueHandoffCode, redeemHandoffCode, STATE_PATTERN } from './handoff.ts';
import { FrameDocument, HandoffDocument, Refusal } from './views.tsx';

// Parley inside a publisher's page: the loader scripts, the framed conversation, the first-party
// sign-in window's hand-off, and the comment counts for listing pages.

export type SectionRenderer = (request: FastifyRequest, reply: FastifyReply, article: Article, embed?: EmbedView) => Promise<VNode>;

export interface EmbedRouteOptions {
  ctx: AppContext;
  chrome: ChromeFactory;
  commentsSection: SectionRenderer;
}

const SiteParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 60 }) });
const FrameQuery = Type.Object({
  url: Type.Optional(Type.String({ maxLength: 2000 })),
  title: Type.Optional(Type.String({ maxLength: 1000 })),
  origin: Type.Optional(Type.String({ maxLength: 300 })),
  sort: Type.Optional(Type.String({ maxLength: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});
const MAX_COUNT_ADDRESSES = 50;

/** The CSP of pages that publishers frame: their own origins may frame them, nobody else. */
export function frameContentSecurityPolicy(origins: readonly string[]): string {
  const directives = SECURITY_HEADERS.contentSecurityPolicy;
  const base = typeof directives === 'object' && directives ? (directives.directives ?? {}) : {};
  const parts: string[] = [];
  for (const [name, value] of Object.entries(base)) {
    if (name === 'frameAncestors') continue;
    const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    parts.push(`${kebab} ${(value as string[]).join(' ')}`);
  }
  parts.push(`frame-ancestors ${origins.length ? origins.join(' ') : "'none'"}`);
  return parts.join('; ');
}

function frameHeaders(reply: FastifyReply, site: Site): void {
  reply.header('content-security-policy', frameContentSecurityPolicy(site.origins));
  // frame-ancestors says who may frame us; X-Frame-Options could only say "nobody else".
  reply.removeHeader('x-frame-options');
}

function embedViewFor(site: Site, url: URL, title: string | undefined, hostOrigin: string): EmbedView {
  return { site: site.key, url: cleanAddress(url), title: title?.trim() ? title.trim().slice(0, 300) : null, hostOrigin, oidcLabel: site.sso.oidc?.label ?? null };
}

/** The host page's origin as the loader reports it; it must be one the site allows. */
function hostOriginFor(site: Site, raw: string | undefined): string {
  const origin = raw ? normaliseOrigin(raw) : null;
  if (!origin || !site.origins.includes(origin)) {
    // Without an origin the sentence names "this page", in the reader's language too.
    const words = origin
      ? { key: 'embed.refused.originNotAllowed' as const, values: { origin, site: site.name } }
      : { key: 'embed.refused.originNotAllowed' as const, values: { site: site.name }, parts: { origin: { key: 'embed.refused.thisPage' as const } } };
    throw Object.assign(new EmbedRefused(403, 'origin_not_allowed', words), { origin });
  }
  return origin;
}

async function siteOr404(ctx: AppContext, key: string): Promise<Site> {
  const site = await findSiteByKey(ctx.db.kysely, key);
  if (!site) throw EmbedRefused.keyed(404, 'site_not_found', 'embed.refused.siteNotFound', { key });
  return site;
}

export async function embedRoutes(app: FastifyInstance, { ctx, commentsSection }: EmbedRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  // --- Loader scripts: stable addresses for publishers' pages, short caching so an upgrade arrives. ---
  // Every publisher page view asks for the loader: its bytes are read once per built file, not per request.
  const loaded = new Map<string, Buffer>();
  const loader = (entry: string) => async (_request: FastifyRequest, reply: FastifyReply) => {
    const file = clientFile(entry);
    if (!file) throw HttpError.translated(503, 'client_not_built', 'embed.refused.notBuilt');
    let body = loaded.get(file);
    if (!body) loaded.set(file, (body = await fs.promises.readFile(path.join(CLIENT_DIST_DIR, file))));
    return reply
      .header('cache-control', 'public, max-age=300')
      // Loaded by <script> from publishers' pages, which is a cross-origin read.
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('access-control-allow-origin', '*')
      .type('text/javascript; charset=utf-8')
      .send(body);
  };
  app.get('/embed.js', { schema: { hide: true } }, loader('embed'));
  app.get('/count.js', { schema: { hide: true } }, loader('count'));

  // --- The framed conversation ------------------------------------------------------------------------
  const refuse = (request: FastifyRequest, reply: FastifyReply, site: Site | null, status: number, message: string, hostOrigin = '') => {
    if (site) frameHeaders(reply, site);
    reply.header('cache-control', 'no-store');
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(renderDocument(<FrameDocument title={request.i18n.t('embed.title')} siteKey={site?.key ?? ''} hostOrigin={hostOrigin} url=""><Refusal message={message} /></FrameDocument>, request.i18n));
  };
  /** A refusal in the frame's language: the embed's own refusals by their code, others as they come. */
  const refusalText = (request: FastifyRequest, error: HttpError, site: Site | null, key: string, thrown: unknown): string => {
    const { t } = request.i18n;
    switch (error.code) {
      case 'site_not_found':
        return t('embed.refused.siteNotFound', { key });
      case 'origin_not_allowed': {
        const origin = (thrown as { origin?: string | null }).origin;
        return t('embed.refused.originNotAllowed', { origin: origin ?? t('embed.refused.thisPage'), site: site?.name ?? '' });
      }
      case 'invalid_address':
        return t('embed.refused.invalidAddress');
      case 'address_taken':
        return t('embed.refused.addressTaken');
      default:
        return error.messageIn(request.i18n);
    }
  };

  api.get('/embed/:site', { schema: { hide: true, params: SiteParams, querystring: FrameQuery } }, async (request, reply) => {
    let site: Site | null = null;
    try {
      site = await siteOr404(ctx, request.params.site);
      speakForSite(request, site);
      const hostOrigin = hostOriginFor(site, request.query.origin);
      const url = embeddableAddress(site, request.query.url);
      const page = cacheablePage(request, ctx.pageCache);
      const article = await findOrCreateConversation(ctx, site, url, request.query.title);
      page.tag(`article:${article.id}`);
      page.tag(`site:${site.id}`);
      const embed = embedViewFor(site, url, request.query.title, hostOrigin);
      const section = await commentsSection(request, reply, article, embed);
      frameHeaders(reply, site);
      return reply
        .type('text/html; charset=utf-8')
        .send(renderDocument(<FrameDocument title={request.i18n.t('embed.titleArticle', { headline: article.headline, site: site.name })} siteKey={site.key} hostOrigin={hostOrigin} url={embed.url}>{section}</FrameDocument>, request.i18n));
    } catch (thrown) {
      const error = asHttpError(thrown);
      if (error instanceof HttpError && error.statusCode < 500) return refuse(request, reply, site, error.statusCode, refusalText(request, error, site, request.params.site, thrown));
      throw thrown;
    }
  });

  // The conversation for the reader the frame signed in (bearer token): swapped in without a reload.
  api.get('/embed/:site/section', { schema: { hide: true, params: SiteParams, querystring: FrameQuery } }, async (request, reply) => {
    const site = await siteOr404(ctx, request.params.site);
    speakForSite(request, site);
    const hostOrigin = hostOriginFor(site, request.query.origin);
    const url = embeddableAddress(site, request.query.url);
    const article = await findOrCreateConversation(ctx, site, url, request.query.title);
    const section = await commentsSection(request, reply, article, embedViewFor(site, url, request.query.title, hostOrigin));
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderFragment(section, request.i18n));
  });

  api.get('/embed/:site/theme.css', { schema: { hide: true, params: SiteParams } }, async (request, reply) => {
    const site = await siteOr404(ctx, request.params.site);
    return reply.header('cache-control', 'public, max-age=60').type('text/css; charset=utf-8').send(themeCss(site.theme));
  });

  // --- Signing in from the frame: a first-party window, then a one-time code by postMessage ----------
  const HandoffQuery = Type.Object({
    site: Type.Optional(Type.String({ maxLength: 60 })),
    state: Type.String({ maxLength: 200 }),
    mode: Type.Optional(Type.Union([Type.Literal('signin'), Type.Literal('register'), Type.Literal('oidc')])),
  });
  const checkState = (state: string) => {
    if (!STATE_PATTERN.test(state)) throw HttpError.translated(400, 'invalid_state', 'embed.refused.invalidState');
  };

  api.get('/embed/signin', { schema: { hide: true, querystring: HandoffQuery } }, async (request, reply) => {
    checkState(request.query.state);
    const next = `/embed/signed-in?state=${encodeURIComponent(request.query.state)}`;
    if (request.actor && request.authVia === 'cookie') return reply.redirect(next, 303);
    if (request.query.mode === 'oidc') {
      const site = await siteOr404(ctx, request.query.site ?? '');
      if (!site.sso.oidc) throw HttpError.translated(404, 'oidc_not_configured', 'embed.refused.noOidc', { site: site.name });
      return reply.redirect(`/auth/oidc/${encodeURIComponent(site.key)}/start?next=${encodeURIComponent(next)}`, 303);
    }
    const door = request.query.mode === 'register' ? '/register' : '/signin';
    return reply.redirect(`${door}?next=${encodeURIComponent(next)}`, 303);
  });

  api.get('/embed/signed-in', { schema: { hide: true, querystring: HandoffQuery } }, async (request, reply) => {
    checkState(request.query.state);
    if (!request.actor || request.authVia !== 'cookie') return reply.redirect(`/embed/signin?state=${encodeURIComponent(request.query.state)}`, 303);
    const code = await issueHandoffCode(db, request.actor.userId, request.query.state);
    return reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(renderDocument(<HandoffDocument code={code} state={request.query.state} siteName="Parley" />, request.i18n));
  });

  api.post(
    '/api/v1/embed/token',
    {
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        summary: 'Exchange the one-time code from the sign-in window for a bearer token (embedded conversations)',
        tags: ['embed'],
        body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 100 }), state: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Type.Object({ token: Type.String(), user: UserJson }), 400: ErrorJson, 429: ErrorJson },
      },
    },
    async (request, reply) => {
      const session = await redeemHandoffCode(db, request.body.code, request.body.state, request.headers['user-agent'] ?? '');
      if (!session) throw HttpError.translated(400, 'invalid_code', 'embed.refused.invalidCode');
      const user = await db.selectFrom('users').select(['users.handle', 'users.display_name', 'users.role', 'users.email_verified_at']).innerJoin('sessions', 'sessions.user_id', 'users.id').where('sessions.id', '=', session.sessionId).executeTakeFirstOrThrow();
      return reply.header('cache-control', 'no-store').send({
        token: session.token,
        user: presentActor({ handle: user.handle, displayName: user.display_name, role: user.role as Role, emailVerified: user.email_verified_at !== null }),
      });
    },
  );

  // --- Comment counts for publishers' listing pages --------------------------------------------------
  api.get(
    '/api/v1/embed/counts',
    {
      schema: {
        summary: 'Comment counts for up to 50 article addresses of a site (count.js)',
        tags: ['embed'],
        querystring: Type.Object({
          site: Type.String({ minLength: 1, maxLength: 60 }),
          url: Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 2000 }), { maxItems: MAX_COUNT_ADDRESSES })]),
        }),
        response: { 200: Type.Object({ counts: Type.Record(Type.String(), Type.Union([Type.Integer(), Type.Null()])) }), 400: ErrorJson, 404: ErrorJson },
      },
    },
    async (request, reply) => {
      const site = await findSiteByKey(db, request.query.site);
      if (!site) throw HttpError.translated(404, 'site_not_found', 'embed.refused.siteNotFound', { key: request.query.site });
      const origin = request.headers.origin;
      if (origin && site.origins.includes(origin)) reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
      const addresses = [...new Set(Array.isArray(request.query.url) ? request.query.url : [request.query.url])];
      const keys = new Map<string, string>();
      for (const address of addresses) {
        const url = parseArticleAddress(address);
        if (url && isUnderOrigins(url, site.origins)) keys.set(address, addressKey(url));
      }
      const found = keys.size
        ? await db.selectFrom('articles').select(['address_key', 'comment_count']).where('site_id', '=', site.id).where('address_key', 'in', [...new Set(keys.values())]).execute()
        : [];
      const byKey = new Map(found.map((r) => [r.address_key, Number(r.comment_count)]));
      const counts: Record<string, number | null> = {};
      for (const address of addresses) {
        const key = keys.get(address);
        // An allowed address without a conversation yet has none; an address the site does not own has no answer.
        counts[address] = key === undefined ? null : (byKey.get(key) ?? 0);
      }
      return reply.header('cache-control', 'public, max-age=30').send({ counts });
    },
  );
}
