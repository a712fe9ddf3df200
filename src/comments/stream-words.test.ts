import { describe, expect, it } from 'vitest';
import { createTranslator, SUPPORTED_LOCALES, PSEUDO_LOCALE } from '../i18n/index.ts';
import { JSDOM } from 'jsdom';
import { islandMessagesAttribute, islandMessagesJson, islandWords, pluralForms } from './stream-words.ts';
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

  it.each([...SUPPORTED_LOCALES, PSEUDO_LOCALE])('in %s: the ready-escaped attribute reads back as the same words in a browser', (locale) => {
    const i18n = createTranslator(locale);
    const { document } = new JSDOM(`<section ${islandMessagesAttribute(i18n)}></section>`).window;
    const read = document.querySelector('section')!.getAttribute('data-messages')!;
    expect(read).toBe(islandMessagesJson(i18n));
    expect(JSON.parse(read)).toEqual(islandWords(i18n));
    // Made once per language: the same string each time, not a new one per page.
    expect(islandMessagesAttribute(createTranslator(locale))).toBe(islandMessagesAttribute(i18n));
  });

  it('escapes what would end or break the single-quoted attribute', () => {
    const fr = createTranslator('fr');
    const attribute = islandMessagesAttribute(fr);
    const inside = attribute.slice("data-messages='".length, -1);
    expect(inside).not.toMatch(/'/);
    expect(inside.replace(/&(amp|#39);/g, '')).not.toMatch(/&/);
  });
});
