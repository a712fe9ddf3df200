import type { Kysely } from 'kysely';
import { articleImageJob } from '../../media/article-image-job.ts';
import { enqueueJob } from '../../events/jobs.ts';
import { addIdColumn, isPostgres } from '../migration-helpers.ts';

// Parley serves imported articles' pictures itself (src/media), in a few widths. Articles imported
// before keep their publisher's address as the source, show no picture until the copy is made, and
// get a job to make it.

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
    await enqueueJob(db, articleImageJob(Number(article.id), image.src, article.updated_at as string));
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
  await db.deleteFrom('jobs').where('kind', '=', 'media.article_image').where('done_at', 'is', null).execute();
  await db.schema.dropTable('media_sources').execute();
  await db.schema.dropTable('media').execute();
}
