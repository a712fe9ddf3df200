import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../../test/moderation/input.ts';
import type { ModerationDeps } from '../model.ts';

const deps: ModerationDeps = { spamScore: () => 0 };
import { repeatedText, similarity, comparableText } from './repeated-text.ts';

const spam = 'Check out my channel for the best reaction videos, link in my profile!';

describe('repeated-text phase', () => {
  it('holds the same text posted again, however its case and punctuation changed', () => {
    const input = moderationInput({ body: spam.toUpperCase().replace(/!/g, '!!!'), author: { previousBodies: ['something else entirely', spam] } });
    expect(repeatedText.run(input, deps)).toMatchObject({ status: 'held', reason: { code: 'repeated_text' } });
  });

  it('folds accents and compatibility forms away, and plain ASCII alike', () => {
    expect(comparableText('Ｃａｆé  CRÈME!!')).toBe('cafe creme');
    expect(comparableText('Cafe -- creme?')).toBe('cafe creme');
    expect(comparableText('ﬁne Naïve')).toBe('fine naive');
  });

  it('holds a copy with a word changed', () => {
    const input = moderationInput({ body: spam.replace('best', 'funniest'), author: { previousBodies: [spam] } });
    expect(repeatedText.run(input, deps)).toMatchObject({ status: 'held' });
  });

  it('lets short stock replies repeat, and different comments on the same subject through', () => {
    expect(repeatedText.run(moderationInput({ body: 'Agreed!', author: { previousBodies: ['agreed'] } }), deps)).toBeUndefined();
    const previous = 'The council should publish the full budget before the vote on Tuesday.';
    const body = 'Why has the council still not published the budget? The vote is on Tuesday.';
    expect(similarity(comparableText(body), comparableText(previous))).toBeLessThan(0.8);
    expect(repeatedText.run(moderationInput({ body, author: { previousBodies: [previous] } }), deps)).toBeUndefined();
  });

  it('scores as the Jaccard index of the two texts\' sets of three-character strings', () => {
    // The definition, written plainly: the trigrams are kept as numbers, which must not change a score.
    const grams = (text: string) => new Set(Array.from({ length: Math.max(0, text.length - 2) }, (_, i) => text.slice(i, i + 3)));
    const jaccard = (a: string, b: string) => {
      const x = grams(a);
      const y = grams(b);
      const shared = [...x].filter((g) => y.has(g)).length;
      const union = x.size + y.size - shared;
      return union === 0 ? 0 : shared / union;
    };
    const pairs: [string, string][] = [
      ['aaaaaa', 'aaab'],
      ['the cat sat on the mat', 'the mat sat on the cat'],
      ['emoji 😀 here 😀', 'emoji 😀 there'],
      ['日本語のテキスト', '日本語のテスト'],
      ['ab', 'abc'],
      ['', 'anything at all'],
      ['\uffff\uffff\uffff\u0000', '\u0000\uffff\uffff\uffff'],
    ];
    for (const [a, b] of pairs) {
      expect(similarity(a, b)).toBeCloseTo(jaccard(a, b), 12);
      expect(similarity(b, a)).toBeCloseTo(jaccard(a, b), 12);
    }
  });
});
