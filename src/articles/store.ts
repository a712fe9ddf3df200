import type { Kysely, Selectable } from 'kysely';
import { prepared } from '../db/prepared.ts';
import type { ArticlesTable, Database } from '../db/schema.ts';
import type { Article, ArticleAuthor, ArticleImage, DraftImage } from './model.ts';
import { parseStoredBody } from './body-blocks.ts';

export type ArticleRow = Selectable<ArticlesTable>;

export function rowToArticle(row: ArticleRow): Article {
  return {
    id: String(row.id),
    slug: row.slug,
    siteId: Number(row.site_id),
    headline: row.headline,
    standfirst: row.standfirst,
    authors: JSON.parse(row.authors) as ArticleAuthor[],
    dateline: row.dateline,
    publishedAt: row.published_at ? new Date(row.published_at) : null,
    timeZone: row.time_zone,
    image: row.image ? parseArticleImage(row.image) : null,
    body: parseStoredBody(row.body),
    sourceUrl: row.source_url,
    publicationName: row.publication_name,
    commentsOpen: row.comments_open === 1,
    commentCount: Number(row.comment_count),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** The stored picture, with the fields older rows lack filled in. */
export function parseArticleImage(json: string): ArticleImage {
  const image = JSON.parse(json) as Partial<ArticleImage> & DraftImage;
  return { ...image, sourceSrc: image.sourceSrc ?? null, width: image.width ?? null, height: image.height ?? null, srcset: image.srcset ?? [] };
}

const articleBySlug = prepared((db, a: { slug: string }) => db.selectFrom('articles').selectAll().where('slug', '=', a.slug));

export async function findArticleBySlug(db: Kysely<Database>, slug: string): Promise<Article | null> {
  const row = await articleBySlug.first(db, { slug });
  return row ? rowToArticle(row) : null;
}

export async function findArticleById(db: Kysely<Database>, id: number): Promise<Article | null> {
  const row = await db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToArticle(row) : null;
}

export interface ArticleCursor {
  sortAt: string;
  id: number;
}

/** Newest first, keyset-paginated on (sort_at, id) so a page costs the same at any depth. */
export async function listArticles(
  db: Kysely<Database>,
  options: { limit: number; after?: ArticleCursor | null; siteId?: number },
): Promise<{ articles: Article[]; next: ArticleCursor | null }> {
  let query = db.selectFrom('articles').selectAll();
  if (options.siteId !== undefined) query = query.where('site_id', '=', options.siteId);
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('sort_at', '<', after.sortAt), eb.and([eb('sort_at', '=', after.sortAt), eb('id', '<', after.id)])]),
    );
  }
  const rows = await query
    .orderBy('sort_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  const next = rows.length > options.limit && last ? { sortAt: last.sort_at, id: Number(last.id) } : null;
  return { articles: page.map(rowToArticle), next };
}

export async function countArticles(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}
