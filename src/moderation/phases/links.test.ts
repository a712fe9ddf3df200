import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../../test/moderation/input.ts';
import type { ModerationDeps } from '../model.ts';

const deps: ModerationDeps = { spamScore: () => 0 };
import { findLink, links } from './links.ts';

describe('links phase', () => {
  it('finds links written with a scheme, with www., as a bare domain, or only in the HTML', () => {
    expect(findLink('see https://example.org/a?b=1 now')).toBe('https://example.org/a?b=1');
    expect(findLink('go to www.example.net')).toBe('www.example.net');
    expect(findLink('short link bit.ly/x1 here')).toBe('bit.ly/x1');
    expect(findLink('see [this](page)', '<p>see <a href="https://example.com/page">this</a></p>')).toBe('https://example.com/page');
  });

  it('does not take abbreviations, file names or e-mail addresses for links', () => {
    expect(findLink('e.g. the U.K. budget, written in Node.js, ends. Next sentence')).toBeNull();
    expect(findLink('write to editor@example.com')).toBeNull();
  });

  it('tags a link, and holds it only when the setting asks', () => {
    const body = 'More at https://example.com';
    expect(links.run(moderationInput({ body }), deps)).toEqual({ tags: ['link'] });
    expect(links.run(moderationInput({ body, settings: { holdLinks: true } }), deps)).toMatchObject({ status: 'held', reason: { code: 'link' }, tags: ['link'] });
    expect(links.run(moderationInput({ settings: { holdLinks: true } }), deps)).toBeUndefined();
  });
});
