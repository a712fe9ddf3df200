import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { findSiteById } from './store.ts';

// Which site a page request serves, for its language (sites.locale, i18n/request.ts): an article's
// pages (/articles/:slug and below) belong to the article's site. Embed frames name their site
// themselves (embed/routes.tsx). An article never changes site, so its slug's site is remembered:
// after the first request for an article this costs one map lookup (sites are kept in memory).

const MEMO_LIMIT = 10_000;

export interface RequestSite {
  id: number;
  locale?: string | null;
}

export function requestSiteFinder(db: Kysely<Database>): (request: FastifyRequest) => Promise<RequestSite | null> {
  const siteOfSlug = new Map<string, number>();
  return async (request) => {
    if (!request.routeOptions.url?.startsWith('/articles/:slug')) return null;
    const slug = (request.params as { slug?: unknown } | undefined)?.slug;
    if (typeof slug !== 'string') return null;
    let siteId = siteOfSlug.get(slug);
    if (siteId === undefined) {
      const row = await db.selectFrom('articles').select('site_id').where('slug', '=', slug).executeTakeFirst();
      if (!row) return null;
      siteId = Number(row.site_id);
      if (siteOfSlug.size >= MEMO_LIMIT) siteOfSlug.clear();
      siteOfSlug.set(slug, siteId);
    }
    return findSiteById(db, siteId);
  };
}
