import fs from 'node:fs';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { avatarColour, avatarTone, renderAvatar } from '../accounts/avatar.tsx';
import { AVATAR_TONES } from '../ui/avatar-tones.ts';
import { avatarData } from './avatar.tsx';
import { AuthorName, type CommentViewer } from './views.tsx';

/** WCAG 2 contrast of white on #rrggbb. */
function contrastWithWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 1.05 / (0.2126 * r! + 0.7152 * g! + 0.0722 * b! + 0.05);
}

const viewer = { embed: undefined } as unknown as CommentViewer;

describe('the avatar in threads', () => {
  it('is the reader’s own avatar (same colour and initials as their picture), two attributes on their name', () => {
    const author = { id: 1, handle: 'ana-maria-ruiz', displayName: 'Ana María Ruiz' };
    expect(avatarData(author)).toEqual({ 'data-i': 'AR', 'data-t': avatarTone(author.handle) });
    expect(renderToString(<AuthorName author={author} v={viewer} id="a-1" />)).toBe(`<a id="a-1" href="/readers/ana-maria-ruiz" data-i="AR" data-t="${avatarTone(author.handle)}">Ana María Ruiz</a>`);
    const picture = renderAvatar(author.handle, author.displayName);
    expect(picture).toContain(`fill="${avatarColour(author.handle)}"`);
    expect(picture).toContain('>AR</text>');
  });

  it('escapes the name, and spreads readers over the colours', () => {
    expect(renderToString(<AuthorName author={{ id: 1, handle: 'x', displayName: '<b> <i>' }} v={viewer} />)).not.toContain('<b>');
    expect(new Set(Array.from({ length: 300 }, (_, i) => avatarTone(`reader-${i}`))).size).toBe(AVATAR_TONES.length);
  });

  it('is drawn by the CSS in every tone, white initials at AA contrast (4.5:1), kept out of the accessible name', () => {
    const css = fs.readFileSync(new URL('../ui/assets/parley.css', import.meta.url), 'utf8');
    expect(css).toContain('content: attr(data-i) / "";');
    AVATAR_TONES.forEach((tone, i) => {
      expect(css, `[data-t="${i}"]`).toContain(`[data-t="${i}"]::before { background: ${tone}; }`);
      expect(contrastWithWhite(tone), tone).toBeGreaterThanOrEqual(4.5);
    });
  });
});
