import { describe, expect, test } from 'vitest';
import { describeWait, sourceOf, THROTTLE, waitAfterAttempts } from './signin-throttle.ts';

describe('the waits between sign-in attempts from one source', () => {
  test('are nothing for the first attempts, then double up to the cap', () => {
    const waits = Array.from({ length: 16 }, (_, i) => waitAfterAttempts(i + 1) / 1000);
    expect(waits).toEqual([0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
  });
  test('let one address make fewer than the per-account cap of failures in any hour', () => {
    // The most attempts one source can make in an hour, starting fresh and never waiting needlessly.
    let attempts = 0;
    for (let at = 0; at <= THROTTLE.accountWindowMs; attempts++) at += waitAfterAttempts(attempts + 1);
    expect(attempts).toBeLessThan(THROTTLE.accountMaxFailures / 4);
  });
  test('are told in words', () => {
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(8)).toBe('8 seconds');
    expect(describeWait(900)).toBe('15 minutes');
    expect(describeWait(3599)).toBe('60 minutes');
  });
});

describe('the source of an attempt', () => {
  test.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['not an address', 'not an address'],
  ])('%s counts as %s', (ip, source) => {
    expect(sourceOf(ip)).toBe(source);
  });
});
