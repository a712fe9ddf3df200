import { describe, expect, it } from 'vitest';
import { activityAt, addTerm, HALF_LIFE_MS, keyTerm, removeTerm } from './model.ts';

const now = new Date('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('recency-weighted activity', () => {
  it('weighs a comment 1 when new and half as much after each half-life', () => {
    expect(activityAt(keyTerm(now), now)).toBeCloseTo(1, 9);
    expect(activityAt(keyTerm(ago(HALF_LIFE_MS)), now)).toBeCloseTo(0.5, 9);
    expect(activityAt(keyTerm(ago(4 * HALF_LIFE_MS)), now)).toBeCloseTo(1 / 16, 9);
    expect(activityAt(null, now)).toBe(0);
  });

  it('sums comments, so that three an hour old weigh less than one just posted', () => {
    let old: number | null = null;
    for (let i = 0; i < 3; i++) old = addTerm(old, keyTerm(ago(60 * 60_000)));
    expect(activityAt(old, now)).toBeCloseTo(3 / 16, 9);
    const fresh = addTerm(null, keyTerm(now));
    expect(fresh).toBeGreaterThan(old!);
  });

  it('takes a removed comment back out exactly, and is empty without comments', () => {
    const a = keyTerm(ago(10 * 60_000));
    const b = keyTerm(ago(2 * 60_000));
    const both = addTerm(addTerm(null, a), b);
    expect(removeTerm(both, b)).toBeCloseTo(a, 9);
    expect(removeTerm(removeTerm(both, b), a)).toBeNull();
    expect(removeTerm(null, a)).toBeNull();
  });

  it('stays finite for terms years apart (no overflow in e^x)', () => {
    const old = keyTerm(new Date('2017-03-01T00:00:00Z'));
    const key = addTerm(old, keyTerm(now));
    expect(Number.isFinite(key)).toBe(true);
    expect(key).toBeCloseTo(keyTerm(now), 9);
    expect(removeTerm(key, old)).toBe(key);
  });
});
