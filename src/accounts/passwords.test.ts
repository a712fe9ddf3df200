import { describe, expect, test } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

describe('password rules', () => {
  test('at least 10 characters, said with the count', async () => {
    expect(await passwordProblem('short')).toBe('Use at least 10 characters for your password (this one has 5).');
  });
  test.each(['password123', 'qwertyuiop', 'P@ssw0rd123', '1234567890', 'iloveyou123'])('refuse common passwords: %s', async (password) => {
    expect(await passwordProblem(password)).toMatch(/common passwords|too easy to guess/);
  });
  test('refuse a password built from the reader’s own name or address', async () => {
    expect(await passwordProblem('annexample', ['ann@example.com', 'Ann Example'])).toMatch(/too easy to guess/);
  });
  test('explain why in plain words', async () => {
    expect(await passwordProblem('aaaaaaaaaaaa')).toMatch(/Repeated characters/);
  });
  test('accept a long passphrase', async () => {
    expect(await passwordProblem('purple elephant marmalade')).toBeNull();
    expect(await passwordProblem('sunflower-granite-47')).toBeNull();
  });
});

describe('password hashes', () => {
  test('are argon2id with the explicit parameters', async () => {
    const hash = await hashPassword('purple elephant marmalade');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'purple elephant marmalade')).toBe(true);
    expect(await verifyPassword(hash, 'purple elephant marmalade!')).toBe(false);
  });
  test('with no hash, verification still costs an argon2 run and fails', async () => {
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
    const realHash = await hashPassword('x'.repeat(12));
    const time = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    // Interleaved, so a busy machine slows both alike; medians, so one hiccup does not decide.
    const real: number[] = [];
    const dummy: number[] = [];
    for (let i = 0; i < 7; i++) {
      real.push(await time(() => verifyPassword(realHash, 'y'.repeat(12))));
      dummy.push(await time(() => verifyPassword(null, 'y'.repeat(12))));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // The same work: an unknown address is not answered measurably faster than a wrong password.
    expect(median(dummy) / median(real)).toBeGreaterThan(0.5);
    expect(median(dummy) / median(real)).toBeLessThan(2);
  });
});
