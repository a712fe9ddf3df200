import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Extraction } from './extract.ts';
import { personSlug, quoteKey, sectionOf, type QuotedPerson } from './model.ts';
import { quotesDb } from './tables.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export interface StoredCorrection {
  action: 'speaker' | 'not_quote';
  speaker: string | null;
}

/** The person a site knows by this name, made on first mention. */
export async function personFor(trx: Trx, siteId: number, name: string, now: string): Promise<number> {
  const db = quotesDb(trx);
  const slug = personSlug(name);
  const found = await db.selectFrom('quote_people').select('id').where('site_id', '=', siteId).where('slug', '=', slug).executeTakeFirst();
  if (found) return Number(found.id);
  const row = await db.insertInto('quote_people').values({ site_id: siteId, slug, name, created_at: now }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function correctionsFor(trx: Trx | Db, articleId: number): Promise<Map<string, StoredCorrection>> {
  const rows = await quotesDb(trx as Db).selectFrom('quote_corrections').select(['quote_key', 'action', 'speaker']).where('article_id', '=', articleId).execute();
  return new Map(rows.map((r) => [r.quote_key, { action: r.action as StoredCorrection['action'], speaker: r.speaker }]));
}

/** Replaces the article's quotes with a fresh extraction, then applies the editors' corrections again. */
export async function saveExtraction(trx: Trx, article: { id: number; siteId: number }, extraction: Extraction): Promise<number> {
  const db = quotesDb(trx);
  const now = new Date().toISOString();
  const corrections = await correctionsFor(trx, article.id);
  const roles = new Map(extraction.people.map((p) => [p.name, p.role]));
  await db.deleteFrom('quotes').where('article_id', '=', article.id).execute();
  let position = 0;
  for (const quote of extraction.quotes) {
    const correction = corrections.get(quoteKey(quote.text));
    if (correction?.action === 'not_quote') continue;
    const speaker = correction?.speaker ?? quote.speaker;
    await db
      .insertInto('quotes')
      .values({
        article_id: article.id,
        person_id: await personFor(trx, article.siteId, speaker, now),
        paragraph: quote.paragraph,
        position: position++,
        text: quote.text,
        role: roles.get(speaker) ?? null,
        corrected: correction ? 1 : 0,
        created_at: now,
      })
      .execute();
  }
  return position;
}

/** The people an article quotes, in the order it first quotes them, each with their quotes. */
export async function articleQuotes(db: Db, articleId: number): Promise<QuotedPerson[]> {
  const rows = await quotesDb(db)
    .selectFrom('quotes')
    .innerJoin('quote_people', 'quote_people.id', 'quotes.person_id')
    .select(['quotes.id', 'quotes.paragraph', 'quotes.text', 'quotes.role', 'quotes.corrected', 'quote_people.slug', 'quote_people.name'])
    .where('quotes.article_id', '=', articleId)
    .orderBy('quotes.position')
    .execute();
  const people = new Map<string, QuotedPerson>();
  for (const row of rows) {
    let person = people.get(row.slug);
    if (!person) people.set(row.slug, (person = { slug: row.slug, name: row.name, role: row.role, quotes: [] }));
    person.role ??= row.role;
    person.quotes.push({ id: Number(row.id), paragraph: Number(row.paragraph), text: row.text, corrected: Number(row.corrected) === 1 });
  }
  return [...people.values()];
}

export interface PersonRecord {
  id: number;
  slug: string;
  name: string;
  siteId: number;
}

export async function findPerson(db: Db, siteId: number, slug: string): Promise<PersonRecord | null> {
  const row = await quotesDb(db).selectFrom('quote_people').selectAll().where('site_id', '=', siteId).where('slug', '=', slug).executeTakeFirst();
  return row ? { id: Number(row.id), slug: row.slug, name: row.name, siteId: Number(row.site_id) } : null;
}

export interface PersonQuote {
  id: number;
  paragraph: number;
  text: string;
  role: string | null;
  article: { slug: string; headline: string; publishedAt: string | null; commentCount: number };
}

/** Everything the site's articles quote a person saying, newest article first. */
export async function personQuotes(db: Db, personId: number, limit = 500): Promise<PersonQuote[]> {
  const rows = await quotesDb(db)
    .selectFrom('quotes')
    .innerJoin('articles', 'articles.id', 'quotes.article_id')
    .select(['quotes.id', 'quotes.paragraph', 'quotes.text', 'quotes.role', 'articles.slug', 'articles.headline', 'articles.published_at', 'articles.comment_count'])
    .where('quotes.person_id', '=', personId)
    .orderBy('articles.sort_at', 'desc')
    .orderBy('articles.id', 'desc')
    .orderBy('quotes.position')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    paragraph: Number(r.paragraph),
    text: r.text,
    role: r.role,
    article: { slug: r.slug, headline: r.headline, publishedAt: r.published_at, commentCount: Number(r.comment_count) },
  }));
}

export interface SourcesFilter {
  siteId: number;
  /** ISO instants; `to` is exclusive. */
  from: string | null;
  to: string | null;
  section: string | null;
}

export interface SourceRow {
  slug: string;
  name: string;
  role: string | null;
  quotes: number;
  articles: number;
  sections: string[];
}

export interface ReviewQuote {
  id: number;
  text: string;
  paragraph: number;
  corrected: boolean;
  speaker: { slug: string; name: string };
  article: { id: number; slug: string; headline: string; section: string };
}

/** The quotes of the period, with what the report and the correction list need. Bounded by `limit`. */
async function quotesInPeriod(db: Db, filter: SourcesFilter & ReviewScope, limit: number) {
  let query = quotesDb(db)
    .selectFrom('quotes')
    .innerJoin('articles', 'articles.id', 'quotes.article_id')
    .innerJoin('quote_people', 'quote_people.id', 'quotes.person_id')
    .select([
      'quotes.id',
      'quotes.text',
      'quotes.paragraph',
      'quotes.role',
      'quotes.corrected',
      'quote_people.slug',
      'quote_people.name',
      'articles.id as article_id',
      'articles.slug as article_slug',
      'articles.headline',
      'articles.source_url',
    ])
    .where('articles.site_id', '=', filter.siteId);
  if (filter.from) query = query.where('articles.sort_at', '>=', filter.from);
  if (filter.to) query = query.where('articles.sort_at', '<', filter.to);
  if (filter.articleSlug) query = query.where('articles.slug', '=', filter.articleSlug);
  if (filter.personSlug) query = query.where('quote_people.slug', '=', filter.personSlug);
  const rows = await query.orderBy('articles.sort_at', 'desc').orderBy('articles.id', 'desc').orderBy('quotes.position').limit(limit).execute();
  return rows
    .map((r) => ({ ...r, section: sectionOf(r.source_url) }))
    .filter((r) => !filter.section || r.section === filter.section);
}

const REPORT_LIMIT = 50_000;

/** People quoted in the period and section: how often, in how many articles; most quoted first. */
export async function sourcesReport(db: Db, filter: SourcesFilter): Promise<{ rows: SourceRow[]; sections: string[]; truncated: boolean }> {
  const all = await quotesInPeriod(db, { ...filter, section: null }, REPORT_LIMIT);
  const sections = [...new Set(all.map((r) => r.section))].sort();
  const rows = new Map<string, SourceRow & { articleIds: Set<number>; sectionSet: Set<string> }>();
  for (const r of all) {
    if (filter.section && r.section !== filter.section) continue;
    let row = rows.get(r.slug);
    if (!row) rows.set(r.slug, (row = { slug: r.slug, name: r.name, role: r.role, quotes: 0, articles: 0, sections: [], articleIds: new Set(), sectionSet: new Set() }));
    row.role ??= r.role;
    row.quotes++;
    row.articleIds.add(Number(r.article_id));
    row.sectionSet.add(r.section);
  }
  const out = [...rows.values()]
    .map(({ articleIds, sectionSet, ...row }) => ({ ...row, articles: articleIds.size, sections: [...sectionSet].sort() }))
    .sort((a, b) => b.quotes - a.quotes || a.name.localeCompare(b.name));
  return { rows: out, sections, truncated: all.length >= REPORT_LIMIT };
}

/** Narrows the review list to one story or one person. */
export interface ReviewScope {
  articleSlug?: string | null;
  personSlug?: string | null;
}

export const REVIEW_PAGE_SIZE = 50;

/**
 * One page of the quotes an editor may correct, newest article first. A person quoted in hundreds of
 * stories has every quote reachable page by page; `more` says whether an older page exists.
 */
export async function quotesForReview(db: Db, filter: SourcesFilter & ReviewScope, page = 1, pageSize = REVIEW_PAGE_SIZE): Promise<{ quotes: ReviewQuote[]; more: boolean }> {
  const skip = (page - 1) * pageSize;
  // The section is derived from the article's address in JavaScript, so with a section every quote of
  // the period is read and the page cut afterwards; without one the database stops after this page.
  const rows = await quotesInPeriod(db, filter, filter.section ? REPORT_LIMIT : skip + pageSize + 1);
  const quotes = rows.slice(skip, skip + pageSize).map((r) => ({
    id: Number(r.id),
    text: r.text,
    paragraph: Number(r.paragraph),
    corrected: Number(r.corrected) === 1,
    speaker: { slug: r.slug, name: r.name },
    article: { id: Number(r.article_id), slug: r.article_slug, headline: r.headline, section: r.section },
  }));
  return { quotes, more: rows.length > skip + pageSize };
}

export async function findQuote(db: Db | Trx, id: number) {
  const row = await quotesDb(db as Db)
    .selectFrom('quotes')
    .innerJoin('quote_people', 'quote_people.id', 'quotes.person_id')
    .innerJoin('articles', 'articles.id', 'quotes.article_id')
    .select(['quotes.id', 'quotes.text', 'quotes.paragraph', 'quotes.article_id', 'quote_people.name', 'articles.site_id', 'articles.slug as article_slug'])
    .where('quotes.id', '=', id)
    .executeTakeFirst();
  return row ? { id: Number(row.id), text: row.text, paragraph: Number(row.paragraph), articleId: Number(row.article_id), articleSlug: row.article_slug, siteId: Number(row.site_id), speaker: row.name } : null;
}
