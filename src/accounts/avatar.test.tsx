import { describe, expect, test } from 'vitest';
import { avatarColour, initials, renderAvatar } from './avatar.tsx';

describe('generated avatars', () => {
  test('show up to two initials', () => {
    expect(initials('Ann Example')).toBe('AE');
    expect(initials('ann')).toBe('A');
    expect(initials('Mary Ann de la Cruz')).toBe('MC');
    expect(initials('émile zola')).toBe('ÉZ');
    expect(initials('😀😀')).toBe('😀');
  });
  test('take a stable colour from the handle', () => {
    expect(avatarColour('ann-example')).toBe(avatarColour('ann-example'));
    expect(new Set(['a', 'b', 'c', 'd', 'e'].map(avatarColour)).size).toBeGreaterThan(1);
  });
  test('escape what readers typed', () => {
    const svg = renderAvatar('x', '<script>alert(1)</script> "q"');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });
});
