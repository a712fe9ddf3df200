import { parseArticleImage } from '../articles/store.ts';
import type { AppContext } from '../context.ts';
import { runCommand } from '../events/command.ts';
import { PermanentJobError, type JobHandler, type NewJob } from '../events/jobs.ts';
import { FetchRefused } from '../http/outbound.ts';
import { fetchImage } from './fetch-image.ts';
import { makeVariants, PictureError } from './picture.ts';
import { savePicture } from './store.ts';

// Copying an imported article's picture is a job, not part of the import: the import must not fail
// or wait because the publisher's server is slow or down, and a failed download is retried with
// back-off. Until the copy exists the page shows the caption and credit without the picture.

export const ARTICLE_IMAGE = 'media.article_image';

/** One job per import of the article (`importedAt`), so a re-import that changes the picture gets its own. */
export function articleImageJob(articleId: number, sourceUrl: string, importedAt: string): NewJob {
  return { kind: ARTICLE_IMAGE, dedupeKey: `${ARTICLE_IMAGE}:${articleId}:${importedAt}`, payload: { articleId, sourceUrl } };
}

function parse(payload: Record<string, unknown>): { articleId: number; sourceUrl: string } {
  const { articleId, sourceUrl } = payload;
  if (!Number.isSafeInteger(articleId) || typeof sourceUrl !== 'string') throw new PermanentJobError('an article image job without an article and an address');
  return { articleId: articleId as number, sourceUrl };
}

export function mediaJobHandlers(ctx: AppContext): Record<string, JobHandler> {
  /** The article still wants a copy of this picture (not re-imported with another since, not deleted). */
  async function stillWanted(db: AppContext['db']['kysely'], articleId: number, sourceUrl: string) {
    const row = await db.selectFrom('articles').select(['slug', 'image']).where('id', '=', articleId).executeTakeFirst();
    const image = row?.image ? parseArticleImage(row.image) : null;
    return row && image && image.sourceSrc === sourceUrl && !image.src ? { slug: row.slug, image } : null;
  }

  return {
    async [ARTICLE_IMAGE](job, run) {
      const { articleId, sourceUrl } = parse(job.payload);
      if (!(await stillWanted(ctx.db.kysely, articleId, sourceUrl))) return;
      let picture;
      try {
        const fetched = await fetchImage(sourceUrl, { allowPrivate: ctx.config.fetchAllowPrivate, signal: run.signal });
        picture = await makeVariants(fetched.bytes);
      } catch (error) {
        if ((error instanceof FetchRefused && error.permanent) || error instanceof PictureError) {
          throw new PermanentJobError(`the picture at ${sourceUrl} cannot be copied: ${error.message}`);
        }
        throw error;
      }
      await runCommand(ctx, async (tx) => {
        const wanted = await stillWanted(tx.db, articleId, sourceUrl);
        if (!wanted) return;
        const shown = await savePicture(tx.db, picture, sourceUrl);
        await tx.db
          .updateTable('articles')
          .set({ image: JSON.stringify({ ...wanted.image, ...shown }) })
          .where('id', '=', articleId)
          .execute();
        // The page shows the picture now: cached copies of it and of the front page must go.
        tx.emit({ type: 'article.updated', stream: `article:${articleId}`, payload: { articleId, slug: wanted.slug } });
      });
    },
  };
}
