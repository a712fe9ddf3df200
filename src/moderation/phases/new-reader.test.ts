import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../../test/moderation/input.ts';
import type { ModerationDeps } from '../model.ts';

const deps: ModerationDeps = { spamScore: () => 0 };
import { newReader } from './new-reader.ts';

describe('new-reader phase', () => {
  const settings = { newReaderHoldCount: 3 };

  it('holds a reader with fewer approved comments than the setting', () => {
    expect(newReader.run(moderationInput({ author: { approvedCount: 2 }, settings }), deps)).toMatchObject({ status: 'held', reason: { code: 'new_reader' }, tags: ['new_reader'] });
  });

  it('lets the reader through once enough have been approved, and everyone through when it is 0', () => {
    expect(newReader.run(moderationInput({ author: { approvedCount: 3 }, settings }), deps)).toBeUndefined();
    expect(newReader.run(moderationInput({ author: { approvedCount: 0 } }), deps)).toBeUndefined();
  });
});
