import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { runCommand, type CommandContext, type Tx } from '../events/command.ts';
import { accountOpen } from '../accounts/open-account.ts';
import {
  authorKey,
  CommunityRefused,
  authorNameProblem,
  followProblem,
  muteProblem,
  readerStream,
  type NotificationKind,
  type Delivery,
  type NotificationSettings,
} from './model.ts';
import { hasMuted, notificationSettings, readerStats, type ReaderStats } from './store.ts';

// One function per change; each is one transaction that also keeps the counts and records its event
// on the acting reader's stream. Repeating a change (PUT twice) changes nothing and records nothing.

/**
 * Makes sure both readers have a stats row and, on PostgreSQL, locks the rows in id order. A follow
 * and a mute between the same two readers then run one after the other (so "muted readers cannot
 * follow" holds under races), and two opposite follows cannot deadlock on each other's counts.
 */
async function lockReaders(ctx: CommandContext, tx: Tx, ids: number[]): Promise<void> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  await tx.db.insertInto('reader_stats').values(sorted.map((user_id) => ({ user_id }))).onConflict((oc) => oc.column('user_id').doNothing()).execute();
  if (ctx.db.dialect === 'postgres') {
    await tx.db.selectFrom('reader_stats').select('user_id').where('user_id', 'in', sorted).orderBy('user_id').forUpdate().execute();
  }
}

async function bump(db: Transaction<Database>, userId: number, column: 'follower_count' | 'following_count', delta: 1 | -1): Promise<void> {
  await db
    .updateTable('reader_stats')
    .set((eb) => ({ [column]: eb(column, '+', delta) }))
    .where('user_id', '=', userId)
    .execute();
}

/** Removes a follow and its counts; true when there was one. */
async function removeFollow(tx: Tx, followerId: number, followeeId: number): Promise<boolean> {
  const gone = await tx.db.deleteFrom('reader_follows').where('follower_id', '=', followerId).where('followee_id', '=', followeeId).returning('follower_id').executeTakeFirst();
  if (!gone) return false;
  await bump(tx.db, followerId, 'following_count', -1);
  await bump(tx.db, followeeId, 'follower_count', -1);
  return true;
}

export interface FollowResult {
  changed: boolean;
  /** The followed reader's counts after the change. */
  stats: ReaderStats;
}

export async function followReader(ctx: CommandContext, followerId: number, followeeId: number, now = new Date()): Promise<FollowResult> {
  return runCommand(ctx, async (tx) => {
    // The account before the counts, in the order a deletion takes them.
    if (!(await accountOpen(tx, followerId))) throw CommunityRefused.keyed(403, 'signed_out', 'comments.refused.signInFirst');
    await lockReaders(ctx, tx, [followerId, followeeId]);
    const problem = followProblem({ followerId, followeeId, mutedByFollowee: await hasMuted(tx.db, followeeId, followerId) });
    if (problem) throw problem;
    const added = await tx.db
      .insertInto('reader_follows')
      .values({ follower_id: followerId, followee_id: followeeId, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['follower_id', 'followee_id']).doNothing())
      .returning('follower_id')
      .executeTakeFirst();
    if (added) {
      await bump(tx.db, followerId, 'following_count', 1);
      await bump(tx.db, followeeId, 'follower_count', 1);
      tx.emit({ type: 'reader.followed', stream: readerStream(followerId), actorId: followerId, payload: { followerId, followeeId } });
    }
    return { changed: added !== undefined, stats: await readerStats(tx.db, followeeId) };
  });
}

export async function unfollowReader(ctx: CommandContext, followerId: number, followeeId: number): Promise<FollowResult> {
  return runCommand(ctx, async (tx) => {
    await lockReaders(ctx, tx, [followerId, followeeId]);
    const changed = await removeFollow(tx, followerId, followeeId);
    if (changed) tx.emit({ type: 'reader.unfollowed', stream: readerStream(followerId), actorId: followerId, payload: { followerId, followeeId } });
    return { changed, stats: await readerStats(tx.db, followeeId) };
  });
}

/** Muting a reader who follows me also ends their follow (they could not start it now). */
export async function muteReader(ctx: CommandContext, muterId: number, mutedId: number, now = new Date()): Promise<{ changed: boolean }> {
  return runCommand(ctx, async (tx) => {
    const problem = muteProblem({ muterId, mutedId });
    if (problem) throw problem;
    if (!(await accountOpen(tx, muterId))) throw CommunityRefused.keyed(403, 'signed_out', 'comments.refused.signInFirst');
    await lockReaders(ctx, tx, [muterId, mutedId]);
    const added = await tx.db
      .insertInto('reader_mutes')
      .values({ muter_id: muterId, muted_id: mutedId, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['muter_id', 'muted_id']).doNothing())
      .returning('muter_id')
      .executeTakeFirst();
    if (!added) return { changed: false };
    tx.emit({ type: 'reader.muted', stream: readerStream(muterId), actorId: muterId, payload: { muterId, mutedId } });
    if (await removeFollow(tx, mutedId, muterId)) {
      // On the muter's stream, not the muted reader's: nothing tells them they were muted.
      tx.emit({ type: 'reader.unfollowed', stream: readerStream(muterId), actorId: muterId, payload: { followerId: mutedId, followeeId: muterId, reason: 'muted' } });
    }
    return { changed: true };
  });
}

export async function unmuteReader(ctx: CommandContext, muterId: number, mutedId: number): Promise<{ changed: boolean }> {
  return runCommand(ctx, async (tx) => {
    const gone = await tx.db.deleteFrom('reader_mutes').where('muter_id', '=', muterId).where('muted_id', '=', mutedId).returning('muter_id').executeTakeFirst();
    if (gone) tx.emit({ type: 'reader.unmuted', stream: readerStream(muterId), actorId: muterId, payload: { muterId, mutedId } });
    return { changed: gone !== undefined };
  });
}

export async function followArticle(ctx: CommandContext, userId: number, articleId: number, now = new Date()): Promise<{ changed: boolean }> {
  return runCommand(ctx, async (tx) => {
    const added = await tx.db
      .insertInto('article_follows')
      .values({ user_id: userId, article_id: articleId, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['user_id', 'article_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (added) tx.emit({ type: 'article.followed', stream: readerStream(userId), actorId: userId, payload: { userId, articleId } });
    return { changed: added !== undefined };
  });
}

export async function unfollowArticle(ctx: CommandContext, userId: number, articleId: number): Promise<{ changed: boolean }> {
  return runCommand(ctx, async (tx) => {
    const gone = await tx.db.deleteFrom('article_follows').where('user_id', '=', userId).where('article_id', '=', articleId).returning('user_id').executeTakeFirst();
    if (gone) tx.emit({ type: 'article.unfollowed', stream: readerStream(userId), actorId: userId, payload: { userId, articleId } });
    return { changed: gone !== undefined };
  });
}

export async function followAuthor(ctx: CommandContext, userId: number, name: string, now = new Date()): Promise<{ changed: boolean; key: string }> {
  const problem = authorNameProblem(name);
  if (problem) throw problem;
  const key = authorKey(name);
  return runCommand(ctx, async (tx) => {
    const added = await tx.db
      .insertInto('author_follows')
      .values({ user_id: userId, author_key: key, author_name: name.trim(), created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['user_id', 'author_key']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (added) tx.emit({ type: 'author.followed', stream: readerStream(userId), actorId: userId, payload: { userId, authorKey: key, authorName: name.trim() } });
    return { changed: added !== undefined, key };
  });
}

export async function unfollowAuthor(ctx: CommandContext, userId: number, name: string): Promise<{ changed: boolean; key: string }> {
  const problem = authorNameProblem(name);
  if (problem) throw problem;
  const key = authorKey(name);
  return runCommand(ctx, async (tx) => {
    const gone = await tx.db.deleteFrom('author_follows').where('user_id', '=', userId).where('author_key', '=', key).returning('user_id').executeTakeFirst();
    if (gone) tx.emit({ type: 'author.unfollowed', stream: readerStream(userId), actorId: userId, payload: { userId, authorKey: key } });
    return { changed: gone !== undefined, key };
  });
}

export interface ListPrivacy {
  followersPrivate: boolean;
  followingPrivate: boolean;
}

export async function setListPrivacy(ctx: CommandContext, userId: number, change: Partial<ListPrivacy>): Promise<ListPrivacy> {
  return runCommand(ctx, async (tx) => {
    await lockReaders(ctx, tx, [userId]);
    const before = await readerStats(tx.db, userId);
    const after: ListPrivacy = {
      followersPrivate: change.followersPrivate ?? before.followersPrivate,
      followingPrivate: change.followingPrivate ?? before.followingPrivate,
    };
    if (after.followersPrivate !== before.followersPrivate || after.followingPrivate !== before.followingPrivate) {
      await tx.db
        .updateTable('reader_stats')
        .set({ followers_private: after.followersPrivate ? 1 : 0, following_private: after.followingPrivate ? 1 : 0 })
        .where('user_id', '=', userId)
        .execute();
      tx.emit({ type: 'reader.list_privacy_changed', stream: readerStream(userId), actorId: userId, payload: { userId, ...after } });
    }
    return after;
  });
}

export async function setNotificationSettings(
  ctx: CommandContext,
  userId: number,
  change: Partial<Record<NotificationKind, Delivery>>,
  now = new Date(),
): Promise<NotificationSettings> {
  return runCommand(ctx, async (tx) => {
    const before = await notificationSettings(tx.db, userId);
    const changed = Object.entries(change).filter(([kind, delivery]) => before[kind as NotificationKind] !== delivery) as [NotificationKind, Delivery][];
    if (changed.length > 0) {
      await tx.db
        .insertInto('notification_preferences')
        .values(changed.map(([kind, delivery]) => ({ user_id: userId, kind, delivery, updated_at: now.toISOString() })))
        .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet((eb) => ({ delivery: eb.ref('excluded.delivery'), updated_at: eb.ref('excluded.updated_at') })))
        .execute();
      tx.emit({ type: 'reader.notification_settings_changed', stream: readerStream(userId), actorId: userId, payload: { userId, changed: Object.fromEntries(changed) } });
    }
    return { ...before, ...Object.fromEntries(changed) };
  });
}
