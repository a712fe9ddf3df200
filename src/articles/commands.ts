import { createHash } from 'node:crypto';
import { runCommand, type CommandContext, type Tx } from '../events/command.ts';
import { queueJob } from '../events/jobs.ts';
import { articleImageJob } from '../media/article-image-job.ts';
import { copiedFrom } from '../media/store.ts';
import type { ArticleDraft, ArticleImage } from './model.ts';
import { slugFromHeadline } from './slug.ts';
import { parseArticleImage, rowToArticle } from './store.ts';
import type { Article } from './model.ts';
import { addressKey, parseArticleAddress } from '../sites/addresses.ts';
import { defaultSite } from '../sites/store.ts';
import { extractArticleQuotes } from '../quotes/commands.ts';
import { reanchorArticlePassages } from '../passages/store.ts';

export interface ImportResult {
  article: Article;
  created: boolean;
}

/**
 * The identity of an imported article: its source URL when known, else the story itself (its full
 * headline, bylines and publication time), so that a different story is never taken for it.
 */
export function importKeyFor(draft: ArticleDraft): string {
  if (draft.sourceUrl) return `url:${draft.sourceUrl}`;
  return `story:${createHash('sha256').update(storyIdentity(draft.headline, JSON.stringify(draft.authors), draft.publishedAt?.toISOString() ?? null)).digest('hex')}`;
}

function storyIdentity(headline: string, authorsJson: string, publishedAt: string | null): string {
  const authors = (JSON.parse(authorsJson) as { name: string }[]).map((a) => a.name.normalize('NFC').trim().toLowerCase());
  return JSON.stringify([headline.normalize('NFC').replace(/\s+/g, ' ').trim(), authors, publishedAt ? new Date(publishedAt).toISOString() : null]);
}

/**
 * The article this draft is a new version of, if any: the one from the same source URL, or — when
 * either has no source URL — the one with the same full headline, bylines and publication time.
 * A headline that merely starts the same way, or the same headline over another byline or date, is
 * another story.
 */
async function sameStory(tx: Tx, draft: ArticleDraft, importKey: string): Promise<{ id: number | string; created_at: string; source_url: string | null } | null> {
  const byKey = await tx.db.selectFrom('articles').select(['id', 'created_at', 'source_url']).where('import_key', '=', importKey).executeTakeFirst();
  if (byKey) return byKey;
  const identity = storyIdentity(draft.headline, JSON.stringify(draft.authors), draft.publishedAt?.toISOString() ?? null);
  // Rows imported before story keys (keyed by a slug cut to 80 characters) are found by headline.
  const sameHeadline = await tx.db
    .selectFrom('articles')
    .select(['id', 'created_at', 'headline', 'authors', 'published_at', 'source_url'])
    .where('headline', '=', draft.headline)
    .execute();
  const match = sameHeadline.find(
    (row) => (row.source_url === null || draft.sourceUrl === null) && storyIdentity(row.headline, row.authors, row.published_at) === identity,
  );
  return match ?? null;
}

/**
 * Creates the article, or updates the one imported before from the same story (see sameStory), and
 * records `article.published` or `article.updated` in the same transaction.
 */
export async function importArticle(ctx: CommandContext, draft: ArticleDraft, options: { siteId?: number } = {}): Promise<ImportResult> {
  const siteId = options.siteId ?? (await defaultSite(ctx.db.kysely)).id;
  const address = draft.sourceUrl ? parseArticleAddress(draft.sourceUrl) : null;
  return runCommand(ctx, async (tx) => {
    const now = new Date().toISOString();
    const importKey = importKeyFor(draft);
    const fields = {
      headline: draft.headline,
      standfirst: draft.standfirst,
      authors: JSON.stringify(draft.authors),
      dateline: draft.dateline,
      published_at: draft.publishedAt ? draft.publishedAt.toISOString() : null,
      time_zone: draft.timeZone,
      image: draft.image ? JSON.stringify(await imageToShow(tx, draft.image)) : null,
      body: JSON.stringify(draft.body),
      source_url: draft.sourceUrl,
      publication_name: draft.publicationName,
      address_key: address ? addressKey(address) : null,
      updated_at: now,
    };
    const existing = await sameStory(tx, draft, importKey);

    if (existing) {
      // A text copy of a story imported from its address keeps the address (and its key).
      const keepAddress = draft.sourceUrl === null && existing.source_url !== null;
      const row = await tx.db
        .updateTable('articles')
        .set({
          ...fields,
          ...(keepAddress ? { source_url: existing.source_url, address_key: undefined } : { import_key: importKey }),
          sort_at: fields.published_at ?? existing.created_at,
        })
        .where('id', '=', Number(existing.id))
        .returningAll()
        .executeTakeFirstOrThrow();
      tx.emit({ type: 'article.updated', stream: `article:${row.id}`, payload: { articleId: Number(row.id), slug: row.slug } });
      await queueImageCopy(tx, row);
      await extractArticleQuotes(tx, row);
      // Comments on passages find them again in the new text, or say they were changed.
      await reanchorArticlePassages(tx.db, Number(row.id), draft.body);
      return { article: rowToArticle(row), created: false };
    }

    const slug = await freeSlug(tx.db, slugFromHeadline(draft.headline), draft.publishedAt);
    const row = await tx.db
      .insertInto('articles')
      .values({ ...fields, slug, site_id: siteId, import_key: importKey, created_at: now, sort_at: fields.published_at ?? now })
      .returningAll()
      .executeTakeFirstOrThrow();
    tx.emit({ type: 'article.published', stream: `article:${row.id}`, payload: { articleId: Number(row.id), slug } });
    await queueImageCopy(tx, row);
    await extractArticleQuotes(tx, row);
    return { article: rowToArticle(row), created: true };
  });
}

/** The picture as the page will show it: our copy when one was made from this address before. */
async function imageToShow(tx: Tx, image: NonNullable<ArticleDraft['image']>): Promise<ArticleImage> {
  const copy = image.src ? await copiedFrom(tx.db, image.src) : null;
  return { ...image, sourceSrc: image.src, ...(copy ?? { src: null, width: null, height: null, srcset: [] }) };
}

/** A picture known by its address and not copied yet is copied by a job (src/media). */
async function queueImageCopy(tx: Tx, row: { id: number | string; image: string | null; updated_at: string }): Promise<void> {
  const image = row.image ? parseArticleImage(row.image) : null;
  if (image?.sourceSrc && !image.src) await queueJob(tx, articleImageJob(Number(row.id), image.sourceSrc, row.updated_at));
}

/** Two different stories with one headline get the date, then a number, appended. */
async function freeSlug(db: CommandContext['db']['kysely'], base: string, publishedAt: Date | null): Promise<string> {
  const candidates = [base];
  if (publishedAt) candidates.push(`${base}-${publishedAt.toISOString().slice(0, 10)}`);
  for (let n = 2; n < 100; n++) candidates.push(`${base}-${n}`);
  for (const candidate of candidates) {
    const taken = await db.selectFrom('articles').select('id').where('slug', '=', candidate).executeTakeFirst();
    if (!taken) return candidate;
  }
  return `${base}-${Date.now()}`;
}

export async function setCommentsOpen(ctx: CommandContext, articleId: number, open: boolean, actorId: number | null): Promise<void> {
  await runCommand(ctx, async (tx) => {
    await tx.db.updateTable('articles').set({ comments_open: open ? 1 : 0, updated_at: new Date().toISOString() }).where('id', '=', articleId).execute();
    tx.emit({ type: open ? 'article.comments_opened' : 'article.comments_closed', stream: `article:${articleId}`, actorId, payload: { articleId } });
  });
}
