import { describe, expect, test, vi } from 'vitest';
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
  test('with no hash, verification still runs argon2 with the same parameters, and fails', async () => {
    // Deterministic rather than timed: what makes an unknown address as slow as a wrong password is
    // one argon2 verification against a hash with the real parameters, so that is what is checked.
    const calls: string[] = [];
    vi.resetModules();
    vi.doMock('@node-rs/argon2', async (importOriginal) => {
      const real = await importOriginal<typeof import('@node-rs/argon2')>();
      return { ...real, verify: (hash: string, password: string) => (calls.push(hash), real.verify(hash, password)) };
    });
    const fresh = await import('./passwords.ts');
    expect(await fresh.verifyPassword(null, 'anything at all')).toBe(false);
    expect(calls).toHaveLength(1);
    const realHash = await fresh.hashPassword('x'.repeat(12));
    const parameters = (h: string) => h.split('$').slice(1, 4).join('$');
    expect(parameters(calls[0]!)).toBe(parameters(realHash));
    vi.doUnmock('@node-rs/argon2');
  });
});
