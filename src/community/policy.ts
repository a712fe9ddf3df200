import type { FollowList } from './model.ts';
import type { ReaderStats } from './store.ts';

// Who may see what of the community graph. Pure, so every case is a one-line test.

/** A list its owner made private is for the owner alone (staff get no exception: it is a privacy choice). */
export function canViewFollowList(viewerId: number | null, ownerId: number, list: FollowList, stats: Pick<ReaderStats, 'followersPrivate' | 'followingPrivate'>): boolean {
  const isPrivate = list === 'followers' ? stats.followersPrivate : stats.followingPrivate;
  return !isPrivate || viewerId === ownerId;
}
