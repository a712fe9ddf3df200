import { describe, expect, test } from 'vitest';
import { createTranslator, t } from './translator.ts';
import { PSEUDO_CLOSE, PSEUDO_OPEN } from './pseudo.ts';

describe('the pseudo-locale en-XA', () => {
  test('accents every letter of the text, frames it and makes it at least 30 % longer', () => {
    const english = t('en', 'email.emailChangeNotice.body');
    const pseudo = t('en-XA', 'email.emailChangeNotice.body');
    expect(pseudo.startsWith(PSEUDO_OPEN) && pseudo.endsWith(PSEUDO_CLOSE)).toBe(true);
    expect(pseudo).not.toMatch(/[A-Za-z]/);
    expect(pseudo.length).toBeGreaterThanOrEqual(english.length * 1.3);
  });

  test('keeps arguments, plurals and selects working, and their values untouched', () => {
    const pseudo = createTranslator('en-XA');
    const one = pseudo.t('email.digest.subject', { day: '2017-08-07', count: 1, site: 'Parley' });
    const many = pseudo.t('email.digest.subject', { day: '2017-08-07', count: 12, site: 'Parley' });
    expect(one).toContain('2017-08-07');
    expect(one).toContain('Parley');
    expect(one).toMatch(/1 ñöţîƒîçàţîöñ(?!š)/);
    expect(many).toMatch(/12 ñöţîƒîçàţîöñš/);
    const change = pseudo.t('email.verify.subject', { kind: 'change', site: 'Parley' });
    expect(change).toContain('ñéŵ');
    expect(change).toContain('Parley');
    expect(pseudo.t('email.verify.body', { kind: 'new', link: 'https://x.test/verify?token=abc', hours: 48 })).toContain('https://x.test/verify?token=abc');
  });
});

describe('translator', () => {
  test('formats French plurals and falls back to English for an unknown locale', () => {
    expect(t('fr', 'email.digest.subject', { day: '2017-08-07', count: 2, site: 'Parley' })).toBe('Votre résumé quotidien du 2017-08-07\u00a0: 2 notifications — Parley');
    expect(createTranslator('xx').locale).toBe('en');
    expect(createTranslator('fr')).toBe(createTranslator('fr'));
  });
});
