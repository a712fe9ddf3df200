import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { mergeNotificationSettings, type FollowCursor, type FollowList, type NotificationSettings } from './model.ts';

// Reads of the community graph. Writes are in commands.ts.

type Reader = Kysely<Database> | Transaction<Database>;

export interface ReaderStats {
  followerCount: number;
  followingCount: number;
  followersPrivate: boolean;
  followingPrivate: boolean;
}

export async function readerStats(db: Reader, userId: number): Promise<ReaderStats> {
  const row = await db.selectFrom('reader_stats').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return {
    followerCount: Number(row?.follower_count ?? 0),
    followingCount: Number(row?.following_count ?? 0),
    followersPrivate: Boolean(row?.followers_private),
    followingPrivate: Boolean(row?.following_private),
  };
}

export async function isFollowing(db: Reader, followerId: number, followeeId: number): Promise<boolean> {
  const row = await db.selectFrom('reader_follows').select('follower_id').where('follower_id', '=', followerId).where('followee_id', '=', followeeId).executeTakeFirst();
  return row !== undefined;
}

export async function hasMuted(db: Reader, muterId: number, mutedId: number): Promise<boolean> {
  const row = await db.selectFrom('reader_mutes').select('muter_id').where('muter_id', '=', muterId).where('muted_id', '=', mutedId).executeTakeFirst();
  return row !== undefined;
}

/** How the viewer stands to a reader. Whether the reader muted the viewer is never part of it. */
export async function relationship(db: Reader, viewerId: number, readerId: number) {
  const [following, followedBy, muted] = await Promise.all([isFollowing(db, viewerId, readerId), isFollowing(db, readerId, viewerId), hasMuted(db, viewerId, readerId)]);
  return { following, followedBy, muted };
}

export interface ListedReader {
  id: number;
  handle: string;
  displayName: string;
  since: string;
}

/** One page of a reader's followers or of the readers they follow, newest first. */
export async function listFollows(db: Reader, userId: number, list: FollowList, after: FollowCursor | null, limit: number): Promise<{ readers: ListedReader[]; next: FollowCursor | null }> {
  const [self, other] = list === 'followers' ? (['f.followee_id', 'f.follower_id'] as const) : (['f.follower_id', 'f.followee_id'] as const);
  let query = db
    .selectFrom('reader_follows as f')
    .innerJoin('users as u', 'u.id', other)
    .select(['u.id', 'u.handle', 'u.display_name', 'f.created_at'])
    .where(self, '=', userId)
    .where('u.deleted_at', 'is', null);
  if (after) query = query.where((eb) => eb.or([eb('f.created_at', '<', after.t), eb.and([eb('f.created_at', '=', after.t), eb(other, '<', after.id)])]));
  const rows = await query.orderBy('f.created_at', 'desc').orderBy(other, 'desc').limit(limit + 1).execute();
  const readers = rows.slice(0, limit).map((r) => ({ id: Number(r.id), handle: r.handle, displayName: r.display_name, since: r.created_at }));
  const last = readers[readers.length - 1];
  return { readers, next: rows.length > limit && last ? { t: last.since, id: last.id } : null };
}

export async function listMutes(db: Reader, userId: number): Promise<ListedReader[]> {
  const rows = await db
    .selectFrom('reader_mutes as m')
    .innerJoin('users as u', 'u.id', 'm.muted_id')
    .select(['u.id', 'u.handle', 'u.display_name', 'm.created_at'])
    .where('m.muter_id', '=', userId)
    .where('u.deleted_at', 'is', null)
    .orderBy('m.created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), handle: r.handle, displayName: r.display_name, since: r.created_at }));
}

export async function isFollowingArticle(db: Reader, userId: number, articleId: number): Promise<boolean> {
  const row = await db.selectFrom('article_follows').select('user_id').where('user_id', '=', userId).where('article_id', '=', articleId).executeTakeFirst();
  return row !== undefined;
}

export async function listFollowedAuthors(db: Reader, userId: number): Promise<{ key: string; name: string; since: string }[]> {
  const rows = await db.selectFrom('author_follows').select(['author_key', 'author_name', 'created_at']).where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({ key: r.author_key, name: r.author_name, since: r.created_at }));
}

export async function notificationSettings(db: Reader, userId: number): Promise<NotificationSettings> {
  const rows = await db.selectFrom('notification_preferences').select(['kind', 'delivery']).where('user_id', '=', userId).execute();
  return mergeNotificationSettings(rows);
}

/** Of these readers, the ones who muted `authorId` (the fan-out of the next stage skips them). */
export async function mutedBy(db: Reader, authorId: number, readerIds: number[]): Promise<Set<number>> {
  if (readerIds.length === 0) return new Set();
  const rows = await db.selectFrom('reader_mutes').select('muter_id').where('muted_id', '=', authorId).where('muter_id', 'in', readerIds).execute();
  return new Set(rows.map((r) => Number(r.muter_id)));
}

/**
 * What a signed-in reader's view of a conversation needs: whom they muted (their comments fold
 * away) and whom they follow (the follow buttons' state).
 */
export async function conversationViewer(db: Reader, userId: number, articleId: number): Promise<{ muted: Set<number>; following: Set<number>; followingArticle: boolean }> {
  const [muted, following, followingArticle] = await Promise.all([
    db.selectFrom('reader_mutes').select('muted_id').where('muter_id', '=', userId).execute(),
    db.selectFrom('reader_follows').select('followee_id').where('follower_id', '=', userId).execute(),
    isFollowingArticle(db, userId, articleId),
  ]);
  return { muted: new Set(muted.map((r) => Number(r.muted_id))), following: new Set(following.map((r) => Number(r.followee_id))), followingArticle };
}
