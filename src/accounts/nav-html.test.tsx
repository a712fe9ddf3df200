import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/index.ts';
import { renderFragment } from '../ui/render.ts';
import type { Actor, Role } from './model.ts';
import { AccountNav } from './nav.tsx';
import { accountNavHtml } from './nav-html.tsx';

// The article page sends the account area from a template filled per reader: it must be the very
// HTML that rendering AccountNav gives, for every kind of account, in every language.

const actor = (role: Role, handle: string, displayName: string, emailVerified = true): Actor => ({ userId: 7, handle, displayName, role, emailVerified, sessionId: 3 });

const cases: { actor: Actor; unread: number | null; held: number | null; path: string; token: string }[] = [
  { actor: actor('reader', 'jmoreau', 'Jeanne Moreau'), unread: 0, held: null, path: '/articles/a-story', token: 'tok-1' },
  { actor: actor('reader', 'zoë_ü', 'Zoë "the <b>fox</b>" & co 🦊', false), unread: 12, held: null, path: '/articles/x?sort=newest&page=2#comments', token: 'a/b+c=' },
  { actor: actor('staff', 'desk', 'Desk'), unread: null, held: null, path: '/', token: 't' },
  { actor: actor('moderator', 'mod', 'نور الهدى'), unread: 3, held: 41, path: '/articles/قصة', token: 't2' },
  { actor: actor('admin', 'root', 'Admin'), unread: 1, held: 0, path: '/admin', token: 't3' },
  { actor: actor('admin', 'root', 'Admin'), unread: 1, held: null, path: '/admin', token: 't3' },
];

describe('accountNavHtml', () => {
  for (const locale of ['en', 'fr']) {
    it(`is the HTML AccountNav renders, for every kind of account (${locale})`, () => {
      const i18n = createTranslator(locale);
      // Twice each: the second comes from the kept template.
      for (const round of [1, 2]) {
        for (const c of cases) {
          const expected = renderFragment(<AccountNav actor={c.actor} csrf={() => c.token} path={c.path} unread={c.unread} held={c.held} />, i18n);
          const html = accountNavHtml(i18n, { actor: c.actor, csrf: () => c.token, path: c.path, unread: c.unread, held: c.held }).toString();
          expect(html, `${c.actor.role} ${c.actor.handle}, round ${round}`).toBe(expected);
        }
      }
    });
  }

  it('never lets a reader’s values out of their attribute or text', () => {
    const html = accountNavHtml(createTranslator('en'), { actor: actor('reader', 'x"><script>', '</span><script>alert(1)</script>'), csrf: () => '"><img>', path: '/"onmouseover="x', unread: 0, held: null }).toString();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img>');
    expect(html).not.toContain('"onmouseover');
  });
});
