import { Type } from 'typebox';
import { avatarPath, readerPath } from '../accounts/presenter.ts';
import type { ListedReader, ReaderStats } from './store.ts';

// What the API shows of the community graph. Never an e-mail address; never whether someone muted the viewer.

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ListedReaderJson = Type.Object({
  handle: Type.String(),
  displayName: Type.String(),
  avatarUrl: Type.String(),
  profileUrl: Type.String(),
  since: Type.String({ format: 'date-time', description: 'When the follow (or mute) began.' }),
});

export const presentListedReader = (r: ListedReader) => ({
  handle: r.handle,
  displayName: r.displayName,
  avatarUrl: avatarPath(r.handle),
  profileUrl: readerPath(r.handle),
  since: r.since,
});

export const ReaderListJson = Type.Object({ readers: Type.Array(ListedReaderJson), nextCursor: Nullable(Type.String()) });

export const RelationshipJson = Type.Object({
  following: Type.Boolean({ description: 'The viewer follows this reader.' }),
  followedBy: Type.Boolean({ description: 'This reader follows the viewer.' }),
  muted: Type.Boolean({ description: 'The viewer has muted this reader.' }),
});

/** The community part of a reader's profile; accounts' GET /api/v1/readers/:handle can embed it as is. */
export const ReaderCommunityJson = Type.Object({
  followerCount: Type.Integer(),
  followingCount: Type.Integer(),
  followersPrivate: Type.Boolean(),
  followingPrivate: Type.Boolean(),
  viewer: Nullable(RelationshipJson),
});

export function presentReaderCommunity(stats: ReaderStats, viewer: { following: boolean; followedBy: boolean; muted: boolean } | null) {
  return { ...stats, viewer };
}
