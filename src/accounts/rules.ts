// Pure rules for what readers type: e-mail addresses, display names, handles and return paths.

export const DISPLAY_NAME_MIN = 2;
export const DISPLAY_NAME_MAX = 40;
export const BIO_MAX = 500;
export const EMAIL_MAX = 254;

/** Addresses compare trimmed and lower-cased: people type their address in many ways. */
export const normaliseEmail = (raw: string) => raw.trim().toLowerCase();

// One "@", no spaces, a dotted domain: deliberately loose (the verification mail is the real test).
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

export function emailProblem(email: string): string | null {
  if (!email) return 'Enter your e-mail address.';
  if (email.length > EMAIL_MAX || !EMAIL_SHAPE.test(email)) return 'Enter an e-mail address like name@example.com.';
  return null;
}

// Control, format (zero-width, bidi overrides), private-use, unassigned and separator characters, and
// the blank-looking letters that impersonators use (Hangul fillers, braille blank).
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800\u180E]/u;
// A zero-width joiner is allowed only inside an emoji sequence, where it is part of the picture.
const EMOJI_ZWJ = /(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;
const OTHER_SPACES = /[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]/u;

export interface DisplayName {
  /** As shown: NFC, trimmed, inner runs of spaces folded to one. */
  value: string;
  /** For case-insensitive uniqueness. */
  key: string;
}

export function checkDisplayName(raw: string): { name: DisplayName } | { problem: string } {
  const value = raw.normalize('NFC').trim().replace(/ {2,}/g, ' ');
  const length = [...value].length;
  if (length < DISPLAY_NAME_MIN) return { problem: `Choose a display name of at least ${DISPLAY_NAME_MIN} characters.` };
  if (length > DISPLAY_NAME_MAX) return { problem: `Choose a display name of at most ${DISPLAY_NAME_MAX} characters (this one has ${length}).` };
  const withoutSpaces = value.replace(/ /g, '');
  if (INVISIBLE.test(withoutSpaces.replace(EMOJI_ZWJ, '')) || OTHER_SPACES.test(withoutSpaces)) {
    return { problem: 'A display name cannot contain invisible characters, line breaks, tabs or special spaces.' };
  }
  if (!/[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(value)) return { problem: 'A display name needs at least one letter or digit.' };
  return { name: { value, key: displayNameKey(value) } };
}

/** NFKC folds look-alike forms (full-width letters, ligatures) so "Ｊｏ" and "jo" are one name. */
export const displayNameKey = (value: string) => value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');

/** The readable start of a handle: the display name in plain ASCII, or "reader". */
export function handleBase(displayName: string): string {
  const ascii = displayName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 24)
    .replace(/-+$/, '');
  return ascii.length >= 2 ? ascii : 'reader';
}

export const HANDLE_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$';

/**
 * Where to go after signing in: only a path on this site. Anything else ("//evil.example",
 * "https://…", "/\\evil", control characters) falls back, so the link can never be an open redirect.
 */
export function safeNextPath(raw: unknown, fallback = '/'): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001F\u007F\\]/.test(raw) || raw.length > 500) return fallback;
  const base = 'http://parley.invalid';
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  // Coming back to the form you just used would be a loop.
  if (['/signin', '/register', '/signout'].includes(url.pathname)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
