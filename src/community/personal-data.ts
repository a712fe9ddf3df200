import type { PersonalDataHandler } from '../context.ts';
import type { FollowCursor } from './model.ts';
import { listFollowedAuthors, listFollows, listMutes, notificationSettings, readerStats } from './store.ts';

/**
 * The reader's part of the community graph in "Download my data" (whom they follow and muted, their
 * settings; their followers are only counted: those are the other readers' choices), and what
 * "Delete my account" does: every follow and mute from or to them goes, and the counts drop with them.
 */
export const communityPersonalData: PersonalDataHandler = {
  name: 'community',
  async export(db, userId) {
    const following: { handle: string; since: string }[] = [];
    let after: FollowCursor | null = null;
    do {
      const page = await listFollows(db, userId, 'following', after, 500);
      following.push(...page.readers.map((r) => ({ handle: r.handle, since: r.since })));
      after = page.next;
    } while (after);
    const articles = await db
      .selectFrom('article_follows as f')
      .innerJoin('articles as a', 'a.id', 'f.article_id')
      .select(['a.slug', 'a.headline', 'f.created_at'])
      .where('f.user_id', '=', userId)
      .orderBy('f.created_at')
      .execute();
    const stats = await readerStats(db, userId);
    return {
      following,
      followerCount: stats.followerCount,
      followedArticles: articles.map((a) => ({ slug: a.slug, headline: a.headline, since: a.created_at })),
      followedAuthors: (await listFollowedAuthors(db, userId)).map((a) => ({ name: a.name, since: a.since })),
      muted: (await listMutes(db, userId)).map((r) => ({ handle: r.handle, since: r.since })),
      followersPrivate: stats.followersPrivate,
      followingPrivate: stats.followingPrivate,
      notificationSettings: await notificationSettings(db, userId),
    };
  },
  async erase(tx, userId) {
    const db = tx.db;
    await db
      .updateTable('reader_stats')
      .set((eb) => ({ follower_count: eb('follower_count', '-', 1) }))
      .where('user_id', 'in', db.selectFrom('reader_follows').select('followee_id').where('follower_id', '=', userId))
      .execute();
    await db
      .updateTable('reader_stats')
      .set((eb) => ({ following_count: eb('following_count', '-', 1) }))
      .where('user_id', 'in', db.selectFrom('reader_follows').select('follower_id').where('followee_id', '=', userId))
      .execute();
    await db.deleteFrom('reader_follows').where((eb) => eb.or([eb('follower_id', '=', userId), eb('followee_id', '=', userId)])).execute();
    await db.deleteFrom('reader_mutes').where((eb) => eb.or([eb('muter_id', '=', userId), eb('muted_id', '=', userId)])).execute();
    await db.deleteFrom('article_follows').where('user_id', '=', userId).execute();
    await db.deleteFrom('author_follows').where('user_id', '=', userId).execute();
    await db.deleteFrom('notification_preferences').where('user_id', '=', userId).execute();
    await db.deleteFrom('reader_stats').where('user_id', '=', userId).execute();
    // Theirs, and the others' that name them (the actor is gone; "someone replied" says nothing).
    await db.deleteFrom('notifications').where((eb) => eb.or([eb('recipient_id', '=', userId), eb('actor_id', '=', userId)])).execute();
  },
};
