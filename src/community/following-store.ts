import { sql, type Kysely } from 'kysely';
import { prepared } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';

// The reader's "Following" page: the conversations they follow, the liveliest first, each with the
// replies written since they last opened it. Opening an article page records the visit: one UPDATE by
// primary key that writes only when the reader follows the conversation and a comment came after
// their last visit, so reading an unchanged conversation again writes nothing (no commit to sync).

type Db = Kysely<Database>;

// Every signed-in article page runs it: built once (src/db/prepared.ts).
const visit = prepared((db, a: { userId: number; articleId: number; now: string }) =>
  db
    .updateTable('article_follows')
    .set({ last_seen_at: a.now })
    .where('user_id', '=', a.userId)
    .where('article_id', '=', a.articleId)
    .where((eb) =>
      eb.or([
        eb('last_seen_at', 'is', null),
        eb('last_seen_at', '<', eb.selectFrom('conversation_activity').select('last_comment_at').where('article_id', '=', a.articleId)),
      ]),
    ),
);

export async function noteConversationVisit(db: Db, userId: number, articleId: number, now = new Date()): Promise<void> {
  await visit.run(db, { userId, articleId, now: now.toISOString() });
}

export interface FollowedConversation {
  articleId: number;
  slug: string;
  headline: string;
  commentCount: number;
  /** Readable comments by others since the reader last opened the conversation (or followed it). */
  newReplies: number;
  lastCommentAt: string | null;
  lastSeenAt: string | null;
}

/** Position in the list: newest activity first (or the follow itself, for a conversation without comments). */
export interface FollowingCursor {
  at: string;
  id: number;
}

export const isFollowingCursor = (v: unknown): v is FollowingCursor =>
  typeof v === 'object' && v !== null && typeof (v as FollowingCursor).at === 'string' && Number.isSafeInteger((v as FollowingCursor).id);

export async function followedConversations(db: Db, userId: number, after: FollowingCursor | null, limit: number): Promise<{ items: FollowedConversation[]; next: FollowingCursor | null }> {
  const activeAt = sql<string>`coalesce(ca.last_comment_at, f.created_at)`;
  let query = db
    .selectFrom('article_follows as f')
    .innerJoin('articles as a', 'a.id', 'f.article_id')
    .leftJoin('conversation_activity as ca', 'ca.article_id', 'f.article_id')
    .select((eb) => [
      'a.id',
      'a.slug',
      'a.headline',
      'a.comment_count',
      'ca.last_comment_at',
      'f.last_seen_at',
      activeAt.as('active_at'),
      // An index range on comments(article_id, created_at): only the new comments are visited.
      eb
        .selectFrom('comments as c')
        .select((e) => e.fn.countAll().as('n'))
        .whereRef('c.article_id', '=', 'f.article_id')
        .where('c.created_at', '>', sql<string>`coalesce(f.last_seen_at, f.created_at)`)
        .where('c.status', '=', 'approved')
        .where('c.deleted_at', 'is', null)
        .where('c.author_id', '!=', userId)
        .as('new_replies'),
    ])
    .where('f.user_id', '=', userId);
  if (after) query = query.where((eb) => eb.or([eb(activeAt, '<', after.at), eb.and([eb(activeAt, '=', after.at), eb('a.id', '<', after.id)])]));
  const rows = await query.orderBy(activeAt, 'desc').orderBy('a.id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      articleId: Number(r.id),
      slug: r.slug,
      headline: r.headline,
      commentCount: Number(r.comment_count),
      newReplies: Number(r.new_replies ?? 0),
      lastCommentAt: r.last_comment_at,
      lastSeenAt: r.last_seen_at,
    })),
    next: rows.length > limit && last ? { at: last.active_at, id: Number(last.id) } : null,
  };
}
