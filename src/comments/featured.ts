import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Comment } from './model.ts';
import { findComments } from './store.ts';

type Db = Kysely<Database>;

// The comments moderators chose to show first, with the note they gave when they featured one (the
// reason of its latest `comment.feature` decision, kept in the audit log: the decision and the note
// are one act, written in one transaction by src/moderation/commands.ts). Reading them from the
// feature decisions walks the few feature rows (index on action) rather than every comment under a
// large article, since no index covers "featured under this article".

export interface FeaturedComment {
  comment: Comment;
  /** What the moderator said about it for readers, or null. */
  note: string | null;
}

/** The most shown at the top of a conversation: the rest stay marked "Featured" in their threads. */
export const FEATURED_LIMIT = 3;

export async function featuredComments(db: Db, articleId: number, limit = FEATURED_LIMIT): Promise<FeaturedComment[]> {
  const rows = await db
    .selectFrom('audit_log as a')
    .innerJoin('comments as c', (join) => join.on(sql`c.id`, '=', sql`cast(a.target_id as integer)`))
    .select(['c.id as id', 'a.reason as reason', 'a.id as auditId'])
    .where('a.action', '=', 'comment.feature')
    .where('a.target_type', '=', 'comment')
    .where('c.article_id', '=', articleId)
    .where('c.featured', '=', 1)
    .where('c.status', '=', 'approved')
    .where('c.deleted_at', 'is', null)
    .orderBy('a.id', 'desc')
    .execute();
  // The latest feature decision of each comment carries its current note; newest featured first.
  const notes = new Map<number, string | null>();
  for (const row of rows) if (!notes.has(Number(row.id))) notes.set(Number(row.id), row.reason?.trim() || null);
  const ids = [...notes.keys()].slice(0, limit);
  const byId = new Map((await findComments(db, ids)).map((c) => [c.id, c]));
  return ids.flatMap((id) => (byId.has(id) ? [{ comment: byId.get(id)!, note: notes.get(id) ?? null }] : []));
}
