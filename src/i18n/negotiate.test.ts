import { describe, expect, test } from 'vitest';
import { acceptedLanguages, negotiateLocale } from './negotiate.ts';
import { textDirection } from './locales.ts';

const supported = ['en', 'fr'];

describe('negotiateLocale', () => {
  test('the reader’s own preference beats the browser’s', () => {
    expect(negotiateLocale({ siteDefault: 'en', accountPreference: 'fr', acceptLanguage: 'en-GB,en;q=0.9', supported })).toBe('fr');
  });

  test('without a preference, Accept-Language decides by quality, a region falling back to its language', () => {
    expect(negotiateLocale({ siteDefault: 'en', acceptLanguage: 'de;q=0.9, fr-CA;q=0.8, en;q=0.5', supported })).toBe('fr');
    expect(negotiateLocale({ siteDefault: 'fr', acceptLanguage: 'en-US', supported })).toBe('en');
  });

  test('the site default when nothing asked for is spoken, and a wildcard means the default', () => {
    expect(negotiateLocale({ siteDefault: 'fr', acceptLanguage: 'de, es;q=0.5', supported })).toBe('fr');
    expect(negotiateLocale({ siteDefault: 'fr', acceptLanguage: '*, en;q=0.5', supported })).toBe('fr');
    expect(negotiateLocale({ siteDefault: 'fr', accountPreference: 'de', supported })).toBe('fr');
    expect(negotiateLocale({ siteDefault: 'en', acceptLanguage: 'garbage;;;,,, q=x', supported })).toBe('en');
  });

  test('a site that forces its language ignores preference and browser', () => {
    expect(negotiateLocale({ siteDefault: 'fr', siteForced: true, accountPreference: 'en', acceptLanguage: 'en', supported })).toBe('fr');
  });

  test('q=0 refuses a language', () => {
    expect(negotiateLocale({ siteDefault: 'en', acceptLanguage: 'fr;q=0, en;q=0.1', supported })).toBe('en');
    expect(acceptedLanguages('fr;q=0.5, en, de;q=0.5')).toEqual(['en', 'fr', 'de']);
  });
});

describe('textDirection', () => {
  test('right to left for Arabic and Hebrew, left to right for French and unknown tags', () => {
    expect(textDirection('ar')).toBe('rtl');
    expect(textDirection('he-IL')).toBe('rtl');
    expect(textDirection('fr')).toBe('ltr');
    expect(textDirection('not a tag!')).toBe('ltr');
  });
});
