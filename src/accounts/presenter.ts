import { Type } from 'typebox';
import type { Actor } from './model.ts';
import { visibleAddresses, type Account, type SessionInfo } from './store.ts';

// What each audience sees of an account. Only the reader themself ever receives their e-mail address.

export const avatarPath = (handle: string) => `/readers/${encodeURIComponent(handle)}/avatar.svg`;
export const readerPath = (handle: string) => `/readers/${encodeURIComponent(handle)}`;

/** The signed-in reader as the header and the islands see them (also the `parley:viewer` event's `user`). */
export const UserJson = Type.Object({
  handle: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  emailVerified: Type.Boolean(),
});

export const presentActor = (actor: Pick<Actor, 'handle' | 'displayName' | 'role' | 'emailVerified'>) => ({
  handle: actor.handle,
  displayName: actor.displayName,
  role: actor.role,
  emailVerified: actor.emailVerified,
});

/** The reader's own account: what /api/v1/me, register and sign-in return. */
export const AccountJson = Type.Object({
  handle: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  emailVerified: Type.Boolean(),
  email: Type.Union([Type.String(), Type.Null()], { description: 'Only ever sent to the reader themself.' }),
  pendingEmail: Type.Union([Type.String(), Type.Null()], { description: 'An address waiting for its confirmation link.' }),
  bio: Type.String(),
  avatarUrl: Type.String(),
  profileUrl: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

export function presentAccount(account: Account) {
  return {
    ...presentActor(account),
    ...visibleAddresses(account),
    bio: account.bio,
    avatarUrl: avatarPath(account.handle),
    profileUrl: readerPath(account.handle),
    createdAt: account.createdAt,
  };
}

/** Another reader, as anyone may see them: never an e-mail address. */
export const ReaderJson = Type.Object({
  handle: Type.String(),
  displayName: Type.String(),
  bio: Type.String(),
  avatarUrl: Type.String(),
  profileUrl: Type.String(),
  joinedAt: Type.String({ format: 'date-time' }),
});

export const presentReader = (account: Account) => ({
  handle: account.handle,
  displayName: account.displayName,
  bio: account.bio,
  avatarUrl: avatarPath(account.handle),
  profileUrl: readerPath(account.handle),
  joinedAt: account.createdAt,
});

export const SessionJson = Type.Object({
  id: Type.Integer(),
  userAgent: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  current: Type.Boolean(),
});

export const presentSession = (session: SessionInfo, currentId: number) => ({
  id: session.id,
  userAgent: session.userAgent,
  createdAt: session.createdAt,
  lastSeenAt: session.lastSeenAt,
  current: session.id === currentId,
});
