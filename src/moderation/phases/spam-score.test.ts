import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../../test/moderation/input.ts';
import { spamScore } from './spam-score.ts';

const scoring = (score: number) => ({ spamScore: () => Promise.resolve(score) });

describe('spam-score phase', () => {
  it('records the score and holds at or above the threshold', async () => {
    expect(await spamScore.run(moderationInput(), scoring(0.69))).toEqual({ spamScore: 0.69 });
    expect(await spamScore.run(moderationInput(), scoring(0.7))).toMatchObject({ status: 'held', reason: { code: 'spam' }, spamScore: 0.7 });
  });

  it('scores the comment text it is given', async () => {
    const seen: string[] = [];
    await spamScore.run(moderationInput({ body: 'hello there' }), { spamScore: (text) => (seen.push(text), 0) });
    expect(seen).toEqual(['hello there']);
  });

  it('never holds when the threshold is 1', async () => {
    expect(await spamScore.run(moderationInput({ settings: { spamHoldThreshold: 1 } }), scoring(1))).toEqual({ spamScore: 1 });
  });
});
