import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../../test/moderation/input.ts';
import type { ModerationDeps } from '../model.ts';

const deps: ModerationDeps = { spamScore: () => 0 };
import { trustedRole } from './trusted-role.ts';

describe('trusted-role phase', () => {
  it('approves staff, moderators and admins, tagged as staff', () => {
    for (const role of ['staff', 'moderator', 'admin'] as const) {
      expect(trustedRole.run(moderationInput({ author: { role } }), deps)).toMatchObject({ status: 'approved', reason: { code: 'trusted_role' }, tags: ['staff'] });
    }
  });

  it('leaves readers to the other phases', () => {
    expect(trustedRole.run(moderationInput({ author: { role: 'reader' } }), deps)).toBeUndefined();
  });
});
