import { describe, expect, test } from 'vitest';
import { checkDisplayName, displayNameKey, emailProblem, handleBase, normaliseEmail, safeNextPath } from './rules.ts';

describe('e-mail addresses', () => {
  test('are trimmed and lower-cased', () => {
    expect(normaliseEmail('  Ann.Example@Example.COM ')).toBe('ann.example@example.com');
  });
  test.each(['', 'ann', 'ann@', '@example.com', 'ann@example', 'a b@example.com', 'ann@@example.com'])('"%s" is refused in plain words', (email) => {
    expect(emailProblem(email)).toMatch(/e-mail address/);
  });
  test('a normal address passes', () => {
    expect(emailProblem('ann+news@mail.example.co.uk')).toBeNull();
  });
});

describe('display names', () => {
  const ok = (raw: string) => {
    const result = checkDisplayName(raw);
    if ('problem' in result) throw new Error(result.problem);
    return result.name;
  };
  const problem = (raw: string) => {
    const result = checkDisplayName(raw);
    return 'problem' in result ? result.problem : null;
  };

  test('are trimmed and inner spaces folded', () => {
    expect(ok('  Ann   Example ').value).toBe('Ann Example');
  });
  test('must be 2 to 40 characters, counted as characters not UTF-16 units', () => {
    expect(problem('A')).toMatch(/at least 2/);
    expect(problem('x'.repeat(41))).toMatch(/at most 40/);
    expect(ok('x'.repeat(40)).value).toHaveLength(40);
    expect(ok('😀😀').value).toBe('😀😀');
  });
  test.each([
    ['zero-width space', 'Ann\u200BExample'],
    ['right-to-left override', 'Ann\u202EelpmaxE'],
    ['control character', 'Ann\u0007'],
    ['tab', 'Ann\tExample'],
    ['line break', 'Ann\nExample'],
    ['Hangul filler', '\u3164\u3164'],
    ['no-break space', 'Ann\u00A0Example'],
  ])('refuse a %s', (_what, raw) => {
    expect(problem(raw)).toMatch(/invisible characters/);
  });
  test('allow an emoji joined with a zero-width joiner', () => {
    expect(ok('Ann 👩‍💻').value).toBe('Ann 👩‍💻');
  });
  test('need a letter or digit', () => {
    expect(problem('!!!')).toMatch(/letter or digit/);
  });
  test('compare without regard to case or full-width forms', () => {
    expect(ok('Ann Example').key).toBe(ok('ANN example').key);
    expect(displayNameKey('Ｊｏ')).toBe(displayNameKey('jo'));
  });
});

describe('handles', () => {
  test('come from the display name in plain ASCII', () => {
    expect(handleBase('Zoë O’Brien')).toBe('zoe-o-brien');
    expect(handleBase('李小龍')).toBe('reader');
    expect(handleBase('A very long display name indeed, really')).toBe('a-very-long-display-name');
  });
});

describe('return paths after sign-in', () => {
  test.each(['/articles/x?y=1#comments', '/account'])('keep a path on this site: %s', (path) => {
    expect(safeNextPath(path)).toBe(path);
  });
  test.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/\u0000x', 'evil', '', '/signin', '/register?x=1'])(
    'never leave the site or loop: %s',
    (path) => {
      expect(safeNextPath(path)).toBe('/');
    },
  );
});
