import fs from 'node:fs';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { avatarColour, avatarTone, renderAvatar } from '../accounts/avatar.tsx';
import { AVATAR_TONES } from '../ui/avatar-tones.ts';
import { Avatar } from './avatar.tsx';

/** WCAG 2 contrast of white on #rrggbb. */
function contrastWithWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 1.05 / (0.2126 * r! + 0.7152 * g! + 0.0722 * b! + 0.05);
}

describe('the avatar in threads', () => {
  it('is the reader’s own avatar (same colour and initials as their picture), hidden from assistive technology', () => {
    const author = { handle: 'ana-maria-ruiz', displayName: 'Ana María Ruiz' };
    const inline = renderToString(<Avatar author={author} />);
    expect(inline).toBe(`<span class="avatar avatar--t${avatarTone(author.handle)}" aria-hidden="true">AR</span>`);
    const picture = renderAvatar(author.handle, author.displayName);
    expect(picture).toContain(`fill="${avatarColour(author.handle)}"`);
    expect(picture).toContain('>AR</text>');
  });

  it('escapes the name, and spreads readers over the colours', () => {
    expect(renderToString(<Avatar author={{ handle: 'x', displayName: '<b> <i>' }} />)).not.toContain('<b>');
    expect(new Set(Array.from({ length: 300 }, (_, i) => avatarTone(`reader-${i}`))).size).toBe(AVATAR_TONES.length);
  });

  it('has a CSS class of the same colour for every tone, each carrying white initials at AA contrast (4.5:1)', () => {
    const css = fs.readFileSync(new URL('../ui/assets/parley.css', import.meta.url), 'utf8');
    AVATAR_TONES.forEach((tone, i) => {
      expect(css, `.avatar--t${i}`).toContain(`.avatar--t${i} { background: ${tone}; }`);
      expect(contrastWithWhite(tone), tone).toBeGreaterThanOrEqual(4.5);
    });
  });
});
