import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

// Lists of comments for the community pages: a reader's own comments (their page) and the activity
// of what a reader follows. Both are keyset pages by comment id, newest first, over published
// (approved, not deleted) comments only.

export interface FeedComment {
  id: number;
  bodyHtml: string;
  createdAt: string;
  parentId: number | null;
  author: { handle: string; displayName: string };
  article: { slug: string; headline: string };
  /** Why it is in the activity feed: a reader followed, or a conversation followed. */
  via: 'reader' | 'conversation' | null;
}

export const FEED_PAGE = 20;
export const isIdCursor = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

function base(db: Kysely<Database>) {
  return db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .innerJoin('articles as a', 'a.id', 'c.article_id')
    .select(['c.id', 'c.body_html', 'c.created_at', 'c.parent_id', 'c.author_id', 'c.article_id', 'u.handle', 'u.display_name', 'a.slug', 'a.headline'])
    .where('c.deleted_at', 'is', null)
    .where('c.status', '=', 'approved')
    .where('u.deleted_at', 'is', null);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

function page(rows: Row[], limit: number, via: (r: Row) => FeedComment['via']): { comments: FeedComment[]; next: number | null } {
  const comments = rows.slice(0, limit).map((r) => ({
    id: Number(r.id),
    bodyHtml: r.body_html,
    createdAt: r.created_at,
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    author: { handle: r.handle, displayName: r.display_name },
    article: { slug: r.slug, headline: r.headline },
    via: via(r),
  }));
  return { comments, next: rows.length > limit ? comments[comments.length - 1]!.id : null };
}

export async function readerComments(db: Kysely<Database>, userId: number, before: number | null, limit = FEED_PAGE) {
  const rows = await base(db)
    .where('c.author_id', '=', userId)
    .$if(before !== null, (q) => q.where('c.id', '<', before!))
    .orderBy('c.id', 'desc')
    .limit(limit + 1)
    .execute();
  return page(rows, limit, () => null);
}

/** Comments by the readers `userId` follows and in the conversations they follow; never their own, never a muted reader's. */
export async function activityFeed(db: Kysely<Database>, userId: number, before: number | null, limit = FEED_PAGE) {
  const followees = db.selectFrom('reader_follows').select('followee_id').where('follower_id', '=', userId);
  const articles = db.selectFrom('article_follows').select('article_id').where('user_id', '=', userId);
  const muted = db.selectFrom('reader_mutes').select('muted_id').where('muter_id', '=', userId);
  const rows = await base(db)
    .where((eb) => eb.or([eb('c.author_id', 'in', followees), eb('c.article_id', 'in', articles)]))
    .where('c.author_id', '!=', userId)
    .where('c.author_id', 'not in', muted)
    .$if(before !== null, (q) => q.where('c.id', '<', before!))
    .orderBy('c.id', 'desc')
    .limit(limit + 1)
    .execute();
  const following = new Set((await followees.execute()).map((r) => Number(r.followee_id)));
  return page(rows, limit, (r) => (following.has(Number(r.author_id)) ? 'reader' : 'conversation'));
}
