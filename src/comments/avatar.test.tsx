import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { avatarColour, renderAvatar } from '../accounts/avatar.tsx';
import { Avatar } from './avatar.tsx';

/** WCAG 2 contrast of white on hsl(h s% l%). */
function contrastWithWhite(hsl: string): number {
  const [h, s, l] = hsl.match(/[\d.]+/g)!.map(Number) as [number, number, number];
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(8) + 0.0722 * channel(4);
  return 1.05 / (luminance + 0.05);
}

describe('the avatar in threads', () => {
  it('is the reader’s own avatar (same colour and initials as their picture), hidden from assistive technology', () => {
    const author = { handle: 'ana-maria-ruiz', displayName: 'Ana María Ruiz' };
    const inline = renderToString(<Avatar author={author} />);
    const picture = renderAvatar(author.handle, author.displayName);
    const colour = avatarColour(author.handle);
    expect(inline).toContain(`fill="${colour}"`);
    expect(picture).toContain(`fill="${colour}"`);
    expect(inline).toMatch(/>AR<\/text><\/svg>$/);
    expect(picture).toContain('>AR</text>');
    expect(inline).toContain('aria-hidden="true"');
    expect(inline).not.toContain('aria-label');
    expect(inline).not.toContain('style=');
  });

  it('escapes the name and keeps white initials readable on every colour (AA, 4.5:1)', () => {
    expect(renderToString(<Avatar author={{ handle: 'x', displayName: '<b> <i>' }} />)).not.toContain('<b>');
    let worst = Infinity;
    for (let i = 0; i < 2000; i++) worst = Math.min(worst, contrastWithWhite(avatarColour(`reader-${i}`)));
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });
});
