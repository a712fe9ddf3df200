import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/index.ts';
import type { Site } from '../sites/model.ts';
import { SsoRefused } from './refusal.ts';
import { publisherDisplayName, verifySiteToken } from './site-token.ts';

// A publisher's display name Parley cannot use is refused with the accounts' own reason for it, and
// both the refusal and that reason are said in the reader's (or developer's) language (issue 16).

const en = createTranslator('en');
const fr = createTranslator('fr');
const NBSP = '\u00a0';

function refusal(raw: string): SsoRefused {
  try {
    publisherDisplayName(raw);
  } catch (error) {
    if (error instanceof SsoRefused) return error;
    throw error;
  }
  throw new Error(`"${raw}" was accepted`);
}

describe('the refusal of a publisher’s display name', () => {
  it('says the name’s problem in the language of the sentence around it', () => {
    const invisible = refusal('\u200b\u200b\u200b');
    expect(invisible.code).toBe('sso_invalid_name');
    expect(invisible.statusCode).toBe(400);
    expect(invisible.message).toBe('The display name in the sign-in token cannot be used: A display name cannot contain invisible characters, line breaks, tabs or special spaces.');
    expect(invisible.messageIn(en)).toBe(invisible.message);
    expect(invisible.messageIn(fr)).toBe(
      `Le nom d’affichage du jeton de connexion n’est pas utilisable${NBSP}: Un nom d’affichage ne peut contenir ni caractères invisibles, ni retours à la ligne, ni tabulations, ni espaces spéciales.`,
    );
  });

  it('keeps the problem’s own values (a plural in French too)', () => {
    const short = refusal('A');
    expect(short.message).toBe('The display name in the sign-in token cannot be used: Choose a display name of at least 2 characters.');
    expect(short.messageIn(fr)).toBe(`Le nom d’affichage du jeton de connexion n’est pas utilisable${NBSP}: Choisissez un nom d’affichage d’au moins 2 caractères.`);
    expect(refusal('!!!').messageIn(fr)).toMatch(/: Un nom d’affichage doit contenir au moins une lettre ou un chiffre\.$/);
  });

  it('is what a signed token with such a name is refused with', async () => {
    const secret = 'unit-test-secret-of-at-least-32-characters';
    const site = { id: 1, key: 'unit', name: 'Unit', origins: [], sso: { jwt: { secret } }, theme: {}, createdAt: new Date(), updatedAt: new Date() } satisfies Site;
    const now = new Date('2026-12-01T10:00:00.000Z');
    const token = await new SignJWT({ sub: 'r1', email: 'r1@example.com', name: '\u2800\u2800', exp: now.getTime() / 1000 + 300 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(secret));
    const error = await verifySiteToken(site, token, now).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SsoRefused);
    expect((error as SsoRefused).code).toBe('sso_invalid_name');
    expect((error as SsoRefused).messageIn(fr)).toMatch(/^Le nom d’affichage du jeton de connexion n’est pas utilisable\u00a0: Un nom d’affichage ne peut contenir/);
  });
});
