import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/index.ts';
import { countNumber, respectCountText, respectLabel, respectUnit, showRepliesText } from './counts.ts';
import { streamWords } from './stream-words.ts';

const en = streamWords(createTranslator('en'));
const fr = streamWords(createTranslator('fr'));

describe('conversation counts', () => {
  it('reads in English as the server always wrote them', () => {
    expect(respectCountText(0, en)).toBe('0 respects');
    expect(respectCountText(1, en)).toBe('1 respect');
    expect(respectCountText(1200, en)).toBe('1,200 respects');
    expect(respectLabel(1, en)).toBe('Respect — 1 respect');
    expect(respectLabel(2, en)).toBe('Respect — 2 respects');
    expect(showRepliesText(1, en)).toBe('Show 1 reply');
    expect(showRepliesText(2, en)).toBe('Show 2 replies');
    expect(showRepliesText(1500, en)).toBe('Show 1,500 replies');
  });

  it('reads in French with its own plural rule (0 and 1 are singular) and number spacing', () => {
    expect(respectUnit(0, fr)).toBe('appréciation');
    expect(respectUnit(2, fr)).toBe('appréciations');
    expect(respectLabel(1, fr)).toBe('Apprécier — 1 appréciation');
    expect(showRepliesText(1, fr)).toBe('Afficher 1 réponse');
    expect(showRepliesText(1500, fr)).toBe('Afficher les 1\u202f500 réponses');
    expect(countNumber(1200, fr)).toBe('1\u202f200');
  });
});
