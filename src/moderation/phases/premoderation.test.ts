import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../../test/moderation/input.ts';
import type { ModerationDeps } from '../model.ts';

const deps: ModerationDeps = { spamScore: () => 0 };
import { premoderation } from './premoderation.ts';

describe('premoderation phase', () => {
  it('holds every comment on a pre-moderated article, or everywhere when the site says so', () => {
    expect(premoderation.run(moderationInput({ article: { mode: 'pre' } }), deps)).toMatchObject({ status: 'held', reason: { code: 'premoderated' } });
    expect(premoderation.run(moderationInput({ settings: { premodAll: true } }), deps)).toMatchObject({ status: 'held', reason: { code: 'premoderated' } });
  });

  it('leaves post-moderated articles alone', () => {
    expect(premoderation.run(moderationInput(), deps)).toBeUndefined();
  });
});
