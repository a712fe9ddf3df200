import { describe, expect, test } from 'vitest';
import { checkCatalogs } from './check.ts';

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
