import { describe, expect, test } from 'vitest';
import { areaProblems, checkCatalogs } from './check.ts';

const used = [{ path: 'src/a.ts', text: "t('a.greet'); t('a.count'); t(\"a.kind\"); // i18n-keys: dyn.*" }];
const en = { 'a.greet': 'Hello {name}', 'a.count': '{n, plural, one {# item} other {# items}}', 'a.kind': '{k, select, digest {digest} other {mail}}', 'dyn.x': 'x' };

describe('checkCatalogs', () => {
  test('passes complete catalogs whose plural categories differ by language', () => {
    const fr = { 'a.greet': 'Bonjour {name}', 'a.count': '{n, plural, one {# élément} many {# éléments} other {# éléments}}', 'a.kind': '{k, select, digest {résumé} other {e-mail}}', 'dyn.x': 'x' };
    expect(checkCatalogs({ en, fr }, 'en', used)).toEqual([]);
  });

  test('reports a missing key, an extra key, a renamed or retyped placeholder and different select choices', () => {
    const fr = { 'a.greet': 'Bonjour {nom}', 'a.count': '{n, select, one {un} other {autre}}', 'a.kind': '{k, select, daily {résumé} other {e-mail}}', 'b.extra': 'x' };
    const problems = checkCatalogs({ en, fr }, 'en', used);
    expect(problems).toContainEqual('fr: missing key dyn.x');
    expect(problems).toContainEqual('fr: key b.extra is not in en');
    expect(problems.find((p) => p.startsWith('fr: a.greet:'))).toMatch(/name/);
    expect(problems.find((p) => p.startsWith('fr: a.count:'))).toMatch(/conflicting types/);
    expect(problems.find((p) => p.startsWith('fr: a.kind:'))).toMatch(/missing digest; unknown daily/);
  });

  test('reports keys no code uses, and messages that are not ICU', () => {
    const problems = checkCatalogs({ en: { ...en, 'a.orphan': 'x', 'a.broken': 'Hello {name' } }, 'en', used);
    expect(problems).toContainEqual(expect.stringMatching(/^unused key a\.orphan/));
    expect(problems).toContainEqual(expect.stringMatching(/^en: a\.broken: not valid ICU/));
  });
});

describe('areaProblems', () => {
  const files = {
    en: { a: { 'a.x': 'x' }, b: { 'b.y': 'y' } },
    fr: { a: { 'a.x': 'x' }, b: { 'b.y': 'y' } },
  };
  const loaded = { en: { 'a.x': 'x', 'b.y': 'y' }, fr: { 'a.x': 'x', 'b.y': 'y' } };

  test('accepts one file per area and language, each key under its area, all loaded', () => {
    expect(areaProblems(files, 'en', loaded)).toEqual([]);
  });

  test('reports a missing area file, a key outside its area, an extra area and a file the program does not load', () => {
    const problems = areaProblems(
      { en: { a: { 'a.x': 'x' }, b: { 'b.y': 'y', 'a.z': 'z' } }, fr: { a: { 'a.x': 'x' }, c: { 'c.w': 'w' } } },
      'en',
      { en: { 'a.x': 'x', 'b.y': 'y' }, fr: { 'a.x': 'x' } },
    );
    expect(problems).toContainEqual('fr: no file fr/b.json');
    expect(problems).toContainEqual('fr: fr/c.json has no en/c.json');
    expect(problems).toContainEqual('en: key a.z is in b.json but does not start with "b."');
    expect(problems.some((p) => p.startsWith('en: 1 key(s) on disk that catalogs.ts does not load'))).toBe(true);
    expect(areaProblems(files, 'en', { en: loaded.en })).toContainEqual('fr: catalogs.ts does not load this language');
  });
});
