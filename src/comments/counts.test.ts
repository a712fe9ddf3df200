import { describe, expect, it } from 'vitest';
import { respectCount, respectLabel, respectUnit, showRepliesText } from './counts.ts';

describe('the conversation\'s counts', () => {
  it('reads naturally in every count', () => {
    expect(respectCount(0)).toBe('0 respects');
    expect(respectCount(1)).toBe('1 respect');
    expect(respectCount(2)).toBe('2 respects');
    expect(respectCount(1200)).toBe('1,200 respects');
    expect(respectUnit(1)).toBe('respect');
    expect(respectUnit(3)).toBe('respects');
  });

  it('names the button with its count', () => {
    expect(respectLabel(1)).toBe('Respect — 1 respect');
    expect(respectLabel(2)).toBe('Respect — 2 respects');
  });

  it('says how many replies a folded thread holds', () => {
    expect(showRepliesText(1)).toBe('Show 1 reply');
    expect(showRepliesText(2)).toBe('Show 2 replies');
    expect(showRepliesText(1500)).toBe('Show 1,500 replies');
  });
});
