import { t, type MessageKey, type MessageValues } from '../i18n/index.ts';
import { isSupportedLocale, SUPPORTED_LOCALES } from '../i18n/locales.ts';

// Site settings with typed defaults. The database holds only what a publisher changed; every key
// has a default here, and a stored value of the wrong type falls back to it rather than breaking pages.

export interface Settings {
  /** Longest comment, in characters. */
  commentMaxLength: number;
  /** How long an author may edit a comment after posting it. */
  editWindowMinutes: number;
  /** Shortest time between two comments by one reader. 0 turns the limit off. */
  commentIntervalSeconds: number;
  /** Conversations close this many days after publication; null keeps them open. */
  autoCloseDays: number | null;
  /** Threads on one page of a conversation. */
  threadsPerPage: number;
  /** Replies shown under each thread on the article page before "more replies". */
  repliesPerThread: number;
  /** Replies loaded by one "more replies" (and on a thread's own page). */
  repliesPerPage: number;
  // Moderation (src/moderation/model.ts explains each; the pipeline reads them through moderationSettingsFrom).
  bannedWords: string[];
  suspectWords: string[];
  holdLinks: boolean;
  premodAll: boolean;
  newReaderHoldCount: number;
  reportHoldThreshold: number;
  /** 0–1; 1 turns the spam check off. */
  spamHoldThreshold: number;
  /** The site's language (src/i18n): every reader's fallback, and everyone's when `localeForced`. */
  locale: string;
  /** Speak only `locale`, whatever readers' preferences and browsers ask for. */
  localeForced: boolean;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  commentMaxLength: 5000,
  editWindowMinutes: 15,
  commentIntervalSeconds: 3,
  autoCloseDays: null,
  threadsPerPage: 20,
  // Two replies under each of twenty threads: a first page of sixty comments, about 40 KB of HTML
  // (issue 19); the rest of a thread is a click away, in place.
  repliesPerThread: 2,
  repliesPerPage: 50,
  bannedWords: [],
  suspectWords: [],
  holdLinks: false,
  premodAll: false,
  newReaderHoldCount: 0,
  reportHoldThreshold: 3,
  spamHoldThreshold: 0.7,
  locale: 'en',
  localeForced: false,
}) as Readonly<Settings>;

export type SettingKey = keyof Settings;

type Limit = { min: number; max: number; nullable?: boolean; kind?: 'int' | 'ratio' | 'bool' | 'words' | 'locale' };

const LIMITS: Record<SettingKey, Limit> = {
  commentMaxLength: { min: 1, max: 100_000 },
  editWindowMinutes: { min: 0, max: 60 * 24 * 365 },
  commentIntervalSeconds: { min: 0, max: 3600 },
  autoCloseDays: { min: 1, max: 36_500, nullable: true },
  threadsPerPage: { min: 1, max: 200 },
  repliesPerThread: { min: 0, max: 100 },
  repliesPerPage: { min: 1, max: 500 },
  bannedWords: { min: 0, max: 1000, kind: 'words' },
  suspectWords: { min: 0, max: 1000, kind: 'words' },
  holdLinks: { min: 0, max: 0, kind: 'bool' },
  premodAll: { min: 0, max: 0, kind: 'bool' },
  newReaderHoldCount: { min: 0, max: 1000 },
  reportHoldThreshold: { min: 0, max: 1000 },
  spamHoldThreshold: { min: 0, max: 1, kind: 'ratio' },
  locale: { min: 0, max: 0, kind: 'locale' },
  localeForced: { min: 0, max: 0, kind: 'bool' },
};

export const isSettingKey = (key: string): key is SettingKey => Object.hasOwn(DEFAULT_SETTINGS, key);

/**
 * A reason the value is not acceptable for the key as a catalog sentence (errors.settings.*, ending
 * with its full stop), or null when it is.
 */
export function settingProblemKeyed(key: string, value: unknown): { key: MessageKey; values: MessageValues } | null {
  if (!isSettingKey(key)) return { key: 'errors.settings.unknown', values: { key } };
  const limit = LIMITS[key];
  const said = (message: MessageKey, values: MessageValues = {}) => ({ key: message, values: { key, ...values } });
  if (value === null) return limit.nullable ? null : said('errors.settings.empty');
  if (limit.kind === 'locale') return isSupportedLocale(value) ? null : said('errors.settings.locale', { locales: SUPPORTED_LOCALES.join(', ') });
  if (limit.kind === 'bool') return typeof value === 'boolean' ? null : said('errors.settings.bool');
  if (limit.kind === 'words') {
    if (!Array.isArray(value) || value.some((w) => typeof w !== 'string' || w.trim() === '' || w.length > 100)) return said('errors.settings.words');
    return value.length > limit.max ? said('errors.settings.wordsTooMany', { max: limit.max }) : null;
  }
  if (limit.kind === 'ratio') {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < limit.min || value > limit.max) return said('errors.settings.ratio', { min: limit.min, max: limit.max });
    return null;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) return said('errors.settings.whole');
  if (value < limit.min || value > limit.max) return said('errors.settings.range', { min: limit.min, max: limit.max });
  return null;
}

/** A reason the value is not acceptable for the key, in English without a full stop, or null when it is. */
export function settingProblem(key: SettingKey, value: unknown): string | null {
  const problem = settingProblemKeyed(key, value);
  return problem ? t('en', problem.key, problem.values).replace(/\.$/, '') : null;
}

/** The settings from stored JSON values; unknown keys and bad values are ignored. */
export function settingsFromStored(stored: Record<string, string>): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  for (const [key, raw] of Object.entries(stored)) {
    if (!isSettingKey(key)) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      continue;
    }
    if (settingProblem(key, value) === null) (settings as Record<SettingKey, unknown>)[key] = value;
  }
  return settings;
}
