// Pure rules for what readers type: e-mail addresses, display names, handles and return paths.
import { t, type MessageKey, type MessageValues } from '../i18n/index.ts';

export const DISPLAY_NAME_MIN = 2;
export const DISPLAY_NAME_MAX = 40;
export const BIO_MAX = 500;
export const EMAIL_MAX = 254;

/** Addresses compare trimmed and lower-cased: people type their address in many ways. */
export const normaliseEmail = (raw: string) => raw.trim().toLowerCase();

// One "@", no spaces, a dotted domain: deliberately loose (the verification mail is the real test).
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** What is wrong with an address, as a catalog key (accounts.problem.*), or null. */
export function emailProblemKey(email: string): 'accounts.problem.emailMissing' | 'accounts.problem.emailShape' | null {
  if (!email) return 'accounts.problem.emailMissing';
  if (email.length > EMAIL_MAX || !EMAIL_SHAPE.test(email)) return 'accounts.problem.emailShape';
  return null;
}

/** What is wrong with an address, in English, or null. */
export function emailProblem(email: string): string | null {
  const key = emailProblemKey(email);
  return key ? t('en', key) : null;
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

/** What is wrong with a display name: English in `problem`, and the catalog key and values for the reader's language. */
export interface NameProblem {
  problem: string;
  key: MessageKey;
  values?: MessageValues;
}

const nameProblem = (key: MessageKey, values?: MessageValues): NameProblem => ({ problem: t('en', key, values), key, values });

export function checkDisplayName(raw: string): { name: DisplayName } | NameProblem {
  const value = raw.normalize('NFC').trim().replace(/ {2,}/g, ' ');
  const length = [...value].length;
  if (length < DISPLAY_NAME_MIN) return nameProblem('accounts.problem.nameTooShort', { min: DISPLAY_NAME_MIN });
  if (length > DISPLAY_NAME_MAX) return nameProblem('accounts.problem.nameTooLong', { max: DISPLAY_NAME_MAX, length });
  const withoutSpaces = value.replace(/ /g, '');
  if (INVISIBLE.test(withoutSpaces.replace(EMOJI_ZWJ, '')) || OTHER_SPACES.test(withoutSpaces)) return nameProblem('accounts.problem.nameInvisible');
  if (!/[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(value)) return nameProblem('accounts.problem.nameNoLetter');
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

/** Stands for our own origin when the caller does not pass the public one. */
const OWN_ORIGIN = 'http://parley.invalid';
const NEXT_MAX = 1000;

/**
 * Where to go after signing in: only a path on this site. The address is resolved by the WHATWG URL
 * parser (as a browser would) against our own origin, and the answer is the path it resolved to, never
 * the raw string. That path is accepted only if it resolves to the same place again: "/.//evil",
 * "/%2e//evil" or "/a/..//evil" resolve to the path "//evil", which a browser reads as another site.
 * Absolute addresses on our own origin keep their path; anything else falls back.
 */
export function safeNextPath(raw: unknown, fallback = '/', origin = OWN_ORIGIN): string {
  if (typeof raw !== 'string' || raw.length > NEXT_MAX) return fallback;
  const own = new URL(origin).origin;
  let url: URL;
  try {
    url = new URL(raw, own);
  } catch {
    return fallback;
  }
  // Only a path or an absolute address is taken: a bare word ("evil") resolves under us, but no link of ours says that.
  if (url.origin !== own || !/^\s*(?:\/|[a-z][a-z0-9+.-]*:)/i.test(raw)) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\') || new URL(path, own).href !== url.href) return fallback;
  // Coming back to the form you just used would be a loop.
  if (['/signin', '/register', '/signout'].includes(url.pathname)) return fallback;
  return path;
}

/**
 * Pages reached by a link that works once, or only in the flow that made it: e-mail confirmation,
 * password reset, the embed's sign-in handoff, an identity provider's answer. Coming back to one after
 * signing out shows "this link did not work".
 */
const ONE_TIME_PAGES = [/^\/verify-email\/?$/, /^\/reset-password\/?$/, /^\/embed\/sign(?:in|ed-in)\/?$/, /^\/auth\/oidc\/[^/]+\/(?:start|callback)\/?$/];
/** Query parameters that carry a one-time secret or a flow's state, on whatever page: a magic link's too. */
const ONE_TIME_PARAMETERS = ['token', 'code', 'state', 'ticket', 'otp', 'signature', 'sig'];

/**
 * Where to go after signing out: the page the reader was on (`safeNextPath`), unless it was reached
 * by a one-time link, which would only say that the link has been used.
 */
export function safePathAfterSignOut(raw: unknown, fallback = '/', origin = OWN_ORIGIN): string {
  const path = safeNextPath(raw, fallback, origin);
  const url = new URL(path, OWN_ORIGIN);
  const oneTime = ONE_TIME_PAGES.some((page) => page.test(url.pathname)) || ONE_TIME_PARAMETERS.some((name) => url.searchParams.has(name));
  return oneTime ? fallback : path;
}
