import { describe, expect, it } from 'vitest';
import { createTranslator, SUPPORTED_LOCALES, PSEUDO_LOCALE } from '../i18n/index.ts';
import { islandWords, pluralForms } from './stream-words.ts';
import { countText } from './words.ts';

describe('the words the conversation island ships', () => {
  it.each([...SUPPORTED_LOCALES, PSEUDO_LOCALE])('in %s: plain text (action-links.ts writes them into HTML) with a place for each count', (locale) => {
    const words = islandWords(createTranslator(locale));
    for (const [name, value] of Object.entries(words)) {
      for (const text of typeof value === 'string' ? [value] : Object.values(value)) expect(text, name).not.toMatch(/[<>&"]/);
    }
    for (const forms of [words.respectLabel, words.showReplies, words.newComments, words.charactersLeft, words.charactersOver]) {
      for (const text of Object.values(forms)) expect(text).toContain('{n}');
    }
  });

  it('counts as the catalog does, in each language’s plural rule', () => {
    const fr = createTranslator('fr');
    const forms = pluralForms(fr, 'comments.island.newComments');
    // French has no "many" text of its own here: it reads as "other" and does not travel.
    expect(Object.keys(forms).sort()).toEqual(['one', 'other']);
    for (const n of [0, 1, 2, 1500, 1_000_000]) expect(countText(forms, n, 'fr')).toBe(fr.t('comments.island.newComments', { count: n }));
    const en = createTranslator('en');
    for (const n of [0, 1, 2, 1500]) expect(countText(pluralForms(en, 'comments.island.charactersLeft'), n, 'en-GB')).toBe(en.t('comments.island.charactersLeft', { count: n }));
  });
});
