import type { Kysely } from 'kysely';
import { importArticle } from '../articles/commands.ts';
import { parseHtmlArticle } from '../articles/import-html.ts';
import { ImportError, type Article } from '../articles/model.ts';
import { rowToArticle } from '../articles/store.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { CommandRefused, runCommand } from '../events/command.ts';
import { PermanentJobError, queueJob, type JobHandler, type NewJob } from '../events/jobs.ts';
import { fetchPublic, FetchRefused } from '../http/outbound.ts';
import { addressKey, cleanAddress, isUnderOrigins, parseArticleAddress } from '../sites/addresses.ts';
import type { Site } from '../sites/model.ts';

// The conversation under a publisher's page. An address Parley has not seen gets its article when its
// first embed loads, but only under one of the site's allowed origins; the headline, authors, date
// and picture come from fetching the page once (a job), and the conversation works meanwhile with the
// title the embed gave.

export const EMBED_ARTICLE_FETCH = 'embed.article_fetch';
const MAX_PAGE_BYTES = 5 * 1024 * 1024;
const MAX_TITLE = 300;

export class EmbedRefused extends CommandRefused {
  override readonly name = 'EmbedRefused';
}

/** The address the embed names, checked against the site: a parsed URL under one of its origins. */
export function embeddableAddress(site: Site, raw: string | undefined): URL {
  const url = raw ? parseArticleAddress(raw) : null;
  if (!url) throw EmbedRefused.keyed(400, 'invalid_address', 'errors.embed.invalidAddress');
  if (!isUnderOrigins(url, site.origins)) {
    throw EmbedRefused.keyed(403, 'origin_not_allowed', 'errors.embed.originNotAllowed', { origin: url.origin, site: site.name });
  }
  return url;
}

export async function findConversation(db: Kysely<Database>, site: Site, url: URL): Promise<Article | null> {
  const row = await db.selectFrom('articles').selectAll().where('site_id', '=', site.id).where('address_key', '=', addressKey(url)).orderBy('id').executeTakeFirst();
  return row ? rowToArticle(row) : null;
}

/** A headline until the page is fetched: the embed's title, else the address without its scheme. */
function provisionalHeadline(url: URL, title: string | undefined): string {
  const given = (title ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE);
  return given || `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

export function articleFetchJob(articleId: number, address: string): NewJob {
  return { kind: EMBED_ARTICLE_FETCH, dedupeKey: `${EMBED_ARTICLE_FETCH}:${articleId}`, payload: { articleId, address } };
}

/** The article under this address, created (with its fetch job) when this is its first embed. */
export async function findOrCreateConversation(ctx: AppContext, site: Site, url: URL, title: string | undefined): Promise<Article> {
  const found = await findConversation(ctx.db.kysely, site, url);
  if (found) return found;
  const address = cleanAddress(url);
  const key = addressKey(url);
  try {
    return await runCommand(ctx, async (tx) => {
      const now = new Date().toISOString();
      const headline = provisionalHeadline(url, title);
      const slug = await freeEmbedSlug(tx.db, site, key);
      const row = await tx.db
        .insertInto('articles')
        .values({
          slug,
          site_id: site.id,
          import_key: `url:${address}`,
          address_key: key,
          headline,
          standfirst: null,
          authors: '[]',
          dateline: null,
          published_at: null,
          time_zone: 'UTC',
          image: null,
          body: '[]',
          source_url: address,
          publication_name: site.name,
          created_at: now,
          updated_at: now,
          sort_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      tx.emit({ type: 'article.published', stream: `article:${row.id}`, payload: { articleId: Number(row.id), slug, embedded: true } });
      await queueJob(tx, articleFetchJob(Number(row.id), address));
      return rowToArticle(row);
    });
  } catch (error) {
    // Two first embeds at once: the other one created it.
    const again = await findConversation(ctx.db.kysely, site, url);
    if (again) return again;
    // The same address imported before without an address key (or into another site) holds the import key.
    const holder = await ctx.db.kysely.selectFrom('articles').selectAll().where('import_key', '=', `url:${address}`).executeTakeFirst();
    if (holder && Number(holder.site_id) === site.id) return rowToArticle(holder);
    if (holder) throw EmbedRefused.keyed(409, 'address_taken', 'errors.embed.addressTaken');
    throw error;
  }
}

/** A readable, unique slug from the address's last path segment. */
async function freeEmbedSlug(db: Kysely<Database>, site: Site, key: string): Promise<string> {
  const segment = key.split('?')[0]!.split('/').filter(Boolean).pop() ?? 'conversation';
  const base = `${site.key === 'default' ? '' : `${site.key}-`}${segment}`
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'conversation';
  for (let n = 1; n < 50; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    const taken = await db.selectFrom('articles').select('id').where('slug', '=', candidate).executeTakeFirst();
    if (!taken) return candidate;
  }
  return `${base}-${Date.now().toString(36)}`;
}

export function embedJobHandlers(ctx: AppContext): Record<string, JobHandler> {
  return {
    async [EMBED_ARTICLE_FETCH](job, run) {
      const { articleId, address } = job.payload as { articleId?: unknown; address?: unknown };
      if (!Number.isSafeInteger(articleId) || typeof address !== 'string') throw new PermanentJobError('an embed fetch job without an article and an address');
      const row = await ctx.db.kysely.selectFrom('articles').select(['id', 'site_id', 'import_key']).where('id', '=', articleId as number).executeTakeFirst();
      if (!row) return;
      let fetched;
      try {
        fetched = await fetchPublic(address, { allowPrivate: ctx.config.fetchAllowPrivate, maxBytes: MAX_PAGE_BYTES, accept: 'text/html', what: 'the page', signal: run.signal });
      } catch (error) {
        if (error instanceof FetchRefused && error.permanent) throw new PermanentJobError(`the page at ${address} cannot be fetched: ${error.message}`);
        throw error;
      }
      if (fetched.declaredType && fetched.declaredType !== 'text/html' && fetched.declaredType !== 'application/xhtml+xml') {
        throw new PermanentJobError(`the page at ${address} is ${fetched.declaredType}, not HTML`);
      }
      let draft;
      try {
        draft = parseHtmlArticle(fetched.bytes.toString('utf8'), { url: address });
      } catch (error) {
        if (error instanceof ImportError || error instanceof RangeError) throw new PermanentJobError(`the page at ${address} could not be read as an article: ${error.message}`);
        throw error;
      }
      // The conversation stays under the address the embed gave, whatever the page calls itself.
      await importArticle(ctx, { ...draft, sourceUrl: address }, { siteId: Number(row.site_id) });
    },
  };
}
