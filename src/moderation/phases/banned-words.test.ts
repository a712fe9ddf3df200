import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../../test/moderation/input.ts';
import type { ModerationDeps } from '../model.ts';

const deps: ModerationDeps = { spamScore: () => 0 };
import { bannedWords } from './banned-words.ts';

describe('banned-words phase', () => {
  const settings = { bannedWords: ['scum', 'free money'] };

  it('rejects a comment with a banned term, naming the term for the moderator', async () => {
    const result = await bannedWords.run(moderationInput({ body: 'You are S.C.U.M', settings }), deps);
    expect(result).toMatchObject({ status: 'rejected', reason: { code: 'banned_word' } });
    expect(result?.reason?.detail).toContain('"scum"');
  });

  it('does not reject a word that merely contains a banned one', () => {
    expect(bannedWords.run(moderationInput({ body: 'Not all scumbles are paintings', settings }), deps)).toBeUndefined();
  });

  it('does nothing with an empty list', () => {
    expect(bannedWords.run(moderationInput({ body: 'scum' }), deps)).toBeUndefined();
  });
});
