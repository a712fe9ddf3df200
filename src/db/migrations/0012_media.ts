import type { Kysely } from 'kysely';
import { addIdColumn, isPostgres } from '../migration-helpers.ts';

// Parley serves imported articles' pictures itself (src/media), in a few widths. Articles imported
// before keep their publisher's address as the source, show no picture until the copy is made, and
// get a job to make it.
//
// Frozen in time: the job row is written here as the picture job's kind, key and payload were when
// this migration was made (src/media/article-image-job.ts may change; this file must not follow).

const ARTICLE_IMAGE = 'media.article_image';
const MAX_ATTEMPTS = 8;

export async function up(db: Kysely<any>): Promise<void> {
  await addIdColumn(db, db.schema.createTable('media'))
    .addColumn('sha256', 'text', (c) => c.notNull().unique())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('bytes', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('media_sources')
    .addColumn('source_url', 'text', (c) => c.primaryKey())
    .addColumn('picture', 'text', (c) => c.notNull())
    .addColumn('copied_at', 'text', (c) => c.notNull())
    .execute();

  const articles = await db.selectFrom('articles').select(['id', 'image', 'updated_at']).where('image', 'is not', null).execute();
  for (const article of articles) {
    const image = JSON.parse(article.image as string) as { src: string | null; sourceSrc?: string | null };
    if (image.sourceSrc !== undefined || !image.src) continue;
    await db
      .updateTable('articles')
      .set({ image: JSON.stringify({ ...image, src: null, sourceSrc: image.src, width: null, height: null, srcset: [] }) })
      .where('id', '=', article.id)
      .execute();
    const now = new Date().toISOString();
    await db
      .insertInto('jobs')
      .values({
        kind: ARTICLE_IMAGE,
        dedupe_key: `${ARTICLE_IMAGE}:${Number(article.id)}:${article.updated_at as string}`,
        payload: JSON.stringify({ articleId: Number(article.id), sourceUrl: image.src }),
        run_at: now,
        max_attempts: MAX_ATTEMPTS,
        created_at: now,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const articles = await db.selectFrom('articles').select(['id', 'image']).where('image', 'is not', null).execute();
  for (const article of articles) {
    const { sourceSrc, width: _w, height: _h, srcset: _s, ...image } = JSON.parse(article.image as string) as Record<string, unknown>;
    await db
      .updateTable('articles')
      .set({ image: JSON.stringify({ ...image, src: sourceSrc ?? null }) })
      .where('id', '=', article.id)
      .execute();
  }
  await db.deleteFrom('jobs').where('kind', '=', ARTICLE_IMAGE).where('done_at', 'is', null).execute();
  await db.schema.dropTable('media_sources').execute();
  await db.schema.dropTable('media').execute();
}
