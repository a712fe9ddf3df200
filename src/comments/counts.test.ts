import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/index.ts';
import { countNumber, respectCountText, respectLabel, respectUnit, showRepliesText } from './counts.ts';
import { streamWords } from './stream-words.ts';
import { countText, formatNumber } from './words.ts';

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

  it('keeps the texts of small counts per language and per set of forms, as Intl writes them', () => {
    const forms = { one: '{n} thing', other: '{n} things' };
    // The same forms in two languages: French says "0 thing", English "0 things", each time asked.
    for (let round = 0; round < 2; round++) {
      expect(countText(forms, 0, 'en')).toBe('0 things');
      expect(countText(forms, 0, 'fr')).toBe('0 thing');
      expect(countText({ ...forms, other: '{n} items' }, 0, 'en')).toBe('0 items');
      expect(formatNumber(5, 'en')).toBe('5');
      expect(formatNumber(5, 'ar-EG')).toBe(new Intl.NumberFormat('ar-EG').format(5));
      expect(formatNumber(2.5, 'fr')).toBe('2,5');
      expect(countText(forms, 1200, 'en')).toBe('1,200 things');
    }
    expect(formatNumber(5, 'ar-EG')).not.toBe('5');
  });
});
