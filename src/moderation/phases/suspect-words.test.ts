import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../../test/moderation/input.ts';
import type { ModerationDeps } from '../model.ts';

const deps: ModerationDeps = { spamScore: () => 0 };
import { suspectWords } from './suspect-words.ts';

describe('suspect-words phase', () => {
  it('holds a comment with a suspect term', () => {
    const result = suspectWords.run(moderationInput({ body: 'What an IDIOOOT', settings: { suspectWords: ['idiot'] } }), deps);
    expect(result).toMatchObject({ status: 'held', reason: { code: 'suspect_word' } });
  });

  it('lets other comments through', () => {
    expect(suspectWords.run(moderationInput({ settings: { suspectWords: ['idiot'] } }), deps)).toBeUndefined();
  });
});
