import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../../test/moderation/input.ts';
import type { ModerationDeps } from '../model.ts';

const deps: ModerationDeps = { spamScore: () => 0 };
import { reports } from './reports.ts';

describe('reports phase', () => {
  it('holds a comment reported as often as the threshold, not before', () => {
    expect(reports.run(moderationInput({ reportCount: 2 }), deps)).toBeUndefined();
    expect(reports.run(moderationInput({ reportCount: 3 }), deps)).toMatchObject({ status: 'held', reason: { code: 'reported' } });
  });

  it('is off when the threshold is 0', () => {
    expect(reports.run(moderationInput({ reportCount: 50, settings: { reportHoldThreshold: 0 } }), deps)).toBeUndefined();
  });
});
