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
});
