import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../../test/moderation/input.ts';
import type { ModerationDeps } from '../model.ts';

const deps: ModerationDeps = { spamScore: () => 0 };
import { authorStatus } from './author-status.ts';

describe('author-status phase', () => {
  it('rejects banned and suspended authors with distinct reasons', () => {
    expect(authorStatus.run(moderationInput({ author: { status: 'banned' } }), deps)).toMatchObject({ status: 'rejected', reason: { code: 'author_banned' } });
    expect(authorStatus.run(moderationInput({ author: { status: 'suspended' } }), deps)).toMatchObject({ status: 'rejected', reason: { code: 'author_suspended' } });
  });

  it('only tags a warned author, and says nothing about an active one', () => {
    expect(authorStatus.run(moderationInput({ author: { status: 'warned' } }), deps)).toEqual({ tags: ['warned_author'] });
    expect(authorStatus.run(moderationInput(), deps)).toBeUndefined();
  });
});
