import { describe, expect, test } from 'vitest';
import { checkDisplayName, displayNameKey, emailProblem, handleBase, normaliseEmail, safeNextPath, safePathAfterSignOut } from './rules.ts';

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
  test.each([
    ['/articles/x?y=1#comments', '/articles/x?y=1#comments'],
    ['/account', '/account'],
    // Resolved as a browser would, and the resolved path is what comes back.
    ['/a/../account', '/account'],
    ['/./account', '/account'],
    ['/%2e/account', '/account'],
    ['/articles/caf\u00e9 au lait', '/articles/caf%C3%A9%20au%20lait'],
    ['/a\tb\nc', '/abc'],
    // Encoded slashes and backslashes stay encoded: a path on this site, never a host.
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/%5C%5Cevil.example', '/%5C%5Cevil.example'],
    ['/x#//evil.example', '/x#//evil.example'],
    // An absolute address on our own origin keeps its path.
    ['https://news.example.org/articles/x?y=1', '/articles/x?y=1'],
  ])('keeps a path on this site: %j → %j', (raw, expected) => {
    expect(safeNextPath(raw, '/', 'https://news.example.org')).toBe(expected);
  });

  test.each([
    // Paths that normalise to "//host" or "/\host", which a browser reads as another site.
    '/.//evil.example/phish',
    '/..//evil.example/phish',
    '/a/..//evil.example/phish',
    '/a/b/../..//evil.example',
    '/%2e//evil.example/phish',
    '/%2E%2E//evil.example',
    '/.%2e//evil.example',
    '/./\\evil.example',
    '/.\\/evil.example',
    '/.\\\\evil.example',
    '//evil.example/x',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    // Tabs and line breaks inside are dropped by the parser, leaving "//".
    '/\t/evil.example',
    '/\n/evil.example',
    '\t//evil.example',
    '/\r\n/evil.example',
    ' //evil.example',
    // Other sites, other schemes, and things that are no path of ours.
    'https://evil.example/',
    'http://news.example.org@evil.example/',
    'http://news.example.org:8443/x',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '/\u0000x/..//evil.example',
    'evil',
    '',
    // The forms themselves would be a loop.
    '/signin',
    '/register?x=1',
    '/./signout',
  ])('never leaves the site or loops: %j', (raw) => {
    expect(safeNextPath(raw, '/', 'https://news.example.org')).toBe('/');
  });

  test('whatever comes back resolves, against our origin, to a path of our origin', () => {
    const parts = ['/', '.', '..', '%2e', '%2E', '\\', '%5c', '%2f', '\t', '\n', 'evil.example', 'a', '?', '#', ':', '@'];
    const seen = new Set<string>();
    // Every sequence of up to four parts: the variants an attacker would try, and many more.
    const walk = (prefix: string, depth: number) => {
      seen.add(prefix);
      if (depth === 4) return;
      for (const part of parts) walk(prefix + part, depth + 1);
    };
    walk('', 0);
    for (const raw of seen) {
      const path = safeNextPath(raw, '/fallback', 'https://news.example.org');
      expect(path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\'), JSON.stringify(raw)).toBe(true);
      expect(new URL(path, 'https://news.example.org').origin, JSON.stringify(raw)).toBe('https://news.example.org');
      // A browser reading a Location header resolves it the same way.
      expect(/[\u0000-\u001F\u007F\s]/.test(path), JSON.stringify(raw)).toBe(false);
    }
  });

  test('without an origin it stands for our own, so absolute addresses fall back', () => {
    expect(safeNextPath('https://news.example.org/x')).toBe('/');
    expect(safeNextPath('/x', '/home')).toBe('/x');
    expect(safeNextPath(42, '/home')).toBe('/home');
    expect(safeNextPath('/' + 'x'.repeat(1000), '/home')).toBe('/home');
  });
});

describe('safePathAfterSignOut', () => {
  test('keeps the page the reader was on', () => {
    expect(safePathAfterSignOut('/articles/budget?page=2#comment-4')).toBe('/articles/budget?page=2#comment-4');
  });

  test.each([
    '/verify-email?token=abc',
    '/reset-password?token=abc',
    '/embed/signin?state=s1234567890',
    '/embed/signed-in?state=s1234567890',
    '/auth/oidc/default/callback?code=c&state=s',
    '/auth/oidc/default/start?next=%2F',
    '/account/magic?token=abc',
    '/anything?code=123',
  ])('never goes back to a one-time link: %s', (raw) => {
    expect(safePathAfterSignOut(raw)).toBe('/');
    expect(safePathAfterSignOut(`https://news.example.org${raw}`, '/', 'https://news.example.org')).toBe('/');
  });

  test('still refuses what safeNextPath refuses', () => {
    expect(safePathAfterSignOut('//evil.example/x')).toBe('/');
    expect(safePathAfterSignOut('/signout')).toBe('/');
  });
});
