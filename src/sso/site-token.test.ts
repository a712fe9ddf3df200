import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Site } from '../sites/model.ts';
import { CLOCK_SKEW_SECONDS, verifySiteToken } from './site-token.ts';

// The time rules at their exact edges, with a fixed clock (the HTTP tests cover the rest).

const secret = 'unit-test-secret-of-at-least-32-characters';
const site = { id: 1, key: 'unit', name: 'Unit', origins: [], sso: { jwt: { secret } }, theme: {}, createdAt: new Date(), updatedAt: new Date() } satisfies Site;
const now = new Date('2026-12-01T10:00:00.000Z');
const t = now.getTime() / 1000;
const sign = (claims: Record<string, unknown>) =>
  new SignJWT({ sub: 'r1', email: 'r1@example.com', name: 'Reader One', ...claims }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
const code = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: { code?: string }) => error.code);

describe('verifySiteToken time rules', () => {
  it('tolerates exactly 120 seconds of clock skew on iat and nbf', async () => {
    expect(CLOCK_SKEW_SECONDS).toBe(120);
    expect(await code(verifySiteToken(site, await sign({ iat: t + 119, exp: t + 600 }), now))).toBe('accepted');
    expect(await code(verifySiteToken(site, await sign({ iat: t + 120, exp: t + 600 }), now))).toBe('accepted');
    expect(await code(verifySiteToken(site, await sign({ iat: t + 121, exp: t + 600 }), now))).toBe('sso_token_from_the_future');
    expect(await code(verifySiteToken(site, await sign({ nbf: t + 120, exp: t + 600 }), now))).toBe('accepted');
    expect(await code(verifySiteToken(site, await sign({ nbf: t + 121, exp: t + 600 }), now))).toBe('sso_token_not_yet_valid');
  });

  it('accepts an expiry up to 120 seconds past, and keeps the jti until then', async () => {
    const late = await verifySiteToken(site, await sign({ exp: t - 119, jti: 'a' }), now);
    expect(late.acceptableUntil.toISOString()).toBe(new Date((t - 119 + 120) * 1000).toISOString());
    expect(await code(verifySiteToken(site, await sign({ exp: t - 120 }), now))).toBe('sso_token_expired');
  });

  it('gives a token without exp ten minutes from its iat', async () => {
    expect(await code(verifySiteToken(site, await sign({ iat: t - 600 }), now))).toBe('accepted');
    expect(await code(verifySiteToken(site, await sign({ iat: t - 601 }), now))).toBe('sso_token_too_old');
    const fresh = await verifySiteToken(site, await sign({ iat: t - 60 }), now);
    expect(fresh.acceptableUntil.getTime()).toBe((t - 60 + 600 + 120) * 1000);
  });
});
