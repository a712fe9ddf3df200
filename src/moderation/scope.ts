import type { Kysely } from 'kysely';
import type { Actor } from '../accounts/model.ts';
import type { Database } from '../db/schema.ts';
import { moderatorSiteIds } from '../sites/store.ts';

// Which sites a moderator's queues, live events and decisions cover (issue 11 §1). A moderator with
// rows in moderator_sites moderates those sites only; admins and moderators without rows, every site.

/** The sites the actor moderates, or an empty list for every site. */
export async function moderatedSites(db: Kysely<Database>, actor: Actor | null): Promise<number[]> {
  if (!actor || actor.role !== 'moderator') return [];
  return moderatorSiteIds(db, actor.userId);
}

export async function siteOfArticle(db: Kysely<Database>, articleId: number): Promise<number | null> {
  const row = await db.selectFrom('articles').select('site_id').where('id', '=', articleId).executeTakeFirst();
  return row ? Number(row.site_id) : null;
}
