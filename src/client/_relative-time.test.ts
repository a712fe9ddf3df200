import { describe, expect, it } from 'vitest';
import { relativeTime } from './_relative-time.ts';

const en = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const fr = new Intl.RelativeTimeFormat('fr', { numeric: 'auto' });
const now = Date.parse('2026-12-01T12:00:00Z');
const minutes = (n: number) => now - n * 60_000;

describe('relativeTime', () => {
  it('says "now" under a minute, and for a clock slightly ahead', () => {
    expect(relativeTime(now - 20_000, now, en)).toBe('now');
    expect(relativeTime(now + 20_000, now, en)).toBe('now');
  });

  it('counts whole minutes, hours and days, never rounding up', () => {
    expect(relativeTime(minutes(1), now, en)).toBe('1 minute ago');
    expect(relativeTime(minutes(5.9), now, en)).toBe('5 minutes ago');
    expect(relativeTime(minutes(59), now, en)).toBe('59 minutes ago');
    expect(relativeTime(minutes(60), now, en)).toBe('1 hour ago');
    expect(relativeTime(minutes(119), now, en)).toBe('1 hour ago');
    expect(relativeTime(minutes(23 * 60 + 59), now, en)).toBe('23 hours ago');
    expect(relativeTime(minutes(24 * 60), now, en)).toBe('yesterday');
    expect(relativeTime(minutes(3 * 24 * 60), now, en)).toBe('3 days ago');
  });

  it('leaves a week or more to the exact date, and ignores a bad date', () => {
    expect(relativeTime(minutes(7 * 24 * 60), now, en)).toBeNull();
    expect(relativeTime(Number.NaN, now, en)).toBeNull();
  });

  it('speaks the page’s language', () => {
    expect(relativeTime(minutes(5), now, fr)).toBe('il y a 5 minutes');
  });
});
