import { describe, expect, it } from 'vitest';
import { authorKey, authorNameProblem, DEFAULT_NOTIFICATION_SETTINGS, followProblem, isFollowCursor, mergeNotificationSettings, muteProblem } from './model.ts';
import { canViewFollowList } from './policy.ts';

describe('community rules', () => {
  it('refuses following yourself and following someone who muted you, without saying so', () => {
    expect(followProblem({ followerId: 1, followeeId: 1, mutedByFollowee: false })?.code).toBe('cannot_follow_self');
    const muted = followProblem({ followerId: 1, followeeId: 2, mutedByFollowee: true });
    expect([muted?.status, muted?.code]).toEqual([403, 'follow_refused']);
    expect(muted?.message).not.toMatch(/mute/i);
    expect(followProblem({ followerId: 1, followeeId: 2, mutedByFollowee: false })).toBeNull();
    expect(muteProblem({ muterId: 3, mutedId: 3 })?.code).toBe('cannot_mute_self');
    expect(muteProblem({ muterId: 3, mutedId: 4 })).toBeNull();
  });

  it('shows a private list to its owner only', () => {
    const stats = { followersPrivate: true, followingPrivate: false };
    expect(canViewFollowList(7, 7, 'followers', stats)).toBe(true);
    expect(canViewFollowList(8, 7, 'followers', stats)).toBe(false);
    expect(canViewFollowList(null, 7, 'followers', stats)).toBe(false);
    expect(canViewFollowList(null, 7, 'following', stats)).toBe(true);
  });

  it('keys authors by name regardless of case, accents, spacing and a leading "By"', () => {
    expect(authorKey('José  García')).toBe('jose garcia');
    expect(authorKey('By JOSE GARCIA')).toBe('jose garcia');
    expect(authorKey(' jose\u00a0garcia. ')).toBe('jose garcia');
    expect(authorKey('Zoë Ødegaard')).toBe('zoe ødegaard');
    expect(authorKey('Bylund Smith')).toBe('bylund smith');
    expect(authorNameProblem('  ')?.code).toBe('invalid_author');
    expect(authorNameProblem('A'.repeat(201))?.code).toBe('invalid_author');
    expect(authorNameProblem('Jane Doe')).toBeNull();
  });

  it('lays stored notification settings over the defaults and ignores what it does not know', () => {
    expect(DEFAULT_NOTIFICATION_SETTINGS.reply).toBe('immediate');
    expect(DEFAULT_NOTIFICATION_SETTINGS.mention).toBe('immediate');
    expect(Object.entries(DEFAULT_NOTIFICATION_SETTINGS).filter(([, v]) => v !== 'off').map(([k]) => k)).toEqual(['reply', 'mention', 'comment_rejected']);
    const merged = mergeNotificationSettings([
      { kind: 'reaction', delivery: 'digest' },
      { kind: 'carrier_pigeon', delivery: 'immediate' },
      { kind: 'reply', delivery: 'sometimes' },
    ]);
    expect(merged).toEqual({ ...DEFAULT_NOTIFICATION_SETTINGS, reaction: 'digest' });
  });

  it('accepts only well-formed list cursors', () => {
    expect(isFollowCursor({ t: '2026-01-01T00:00:00.000Z', id: 4 })).toBe(true);
    expect(isFollowCursor({ t: 'yesterday', id: 4 })).toBe(false);
    // Date.parse reads past trailing junk; the cursor must be the time exactly as a list gave it.
    expect(isFollowCursor({ t: '2026-01-01T00:00:00.000Z\u0000', id: 4 })).toBe(false);
    expect(isFollowCursor({ t: '1', id: 4 })).toBe(false);
    expect(isFollowCursor({ t: '2026-01-01T00:00:00.000Z', id: -1 })).toBe(false);
    expect(isFollowCursor({ t: '2026-01-01T00:00:00.000Z', id: 1.5 })).toBe(false);
    expect(isFollowCursor(null)).toBe(false);
  });
});
