import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../../test/moderation/input.ts';
import type { ModerationDeps } from '../model.ts';

const deps: ModerationDeps = { spamScore: () => 0 };
import { length } from './length.ts';

describe('length phase', () => {
  it('rejects an empty or whitespace-only comment', () => {
    expect(length.run(moderationInput({ body: '  \n ' }), deps)).toMatchObject({ status: 'rejected', reason: { code: 'too_short' } });
  });

  it('rejects a comment over the limit, counting characters rather than UTF-16 units', () => {
    const settings = { maxLength: 5 };
    expect(length.run(moderationInput({ body: '😀😀😀😀😀', settings }), deps)).toBeUndefined();
    expect(length.run(moderationInput({ body: '😀😀😀😀😀😀', settings }), deps)).toMatchObject({ status: 'rejected', reason: { code: 'too_long' } });
  });

  it('honours a raised minimum and lets an ordinary comment through', () => {
    expect(length.run(moderationInput({ body: 'ok', settings: { minLength: 3 } }), deps)).toMatchObject({ reason: { code: 'too_short' } });
    expect(length.run(moderationInput(), deps)).toBeUndefined();
  });
});
