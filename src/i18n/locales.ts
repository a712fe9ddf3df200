// The languages Parley speaks. Adding one: a catalog in messages/, its code here (README, "Adding a language").

export const SOURCE_LOCALE = 'en';
export const SUPPORTED_LOCALES = ['en', 'fr'] as const;
/** Accented, lengthened English made at run time: shows strings that bypass the catalogs and layouts that cannot grow. */
export const PSEUDO_LOCALE = 'en-XA';

/** The tag that formats dates, numbers and lists in this locale, and labels its pages: Parley's English is British ("7 August", 24-hour times, no comma before "and"). */
export function formattingLocale(locale: string): string {
  return locale === SOURCE_LOCALE ? 'en-GB' : locale;
}

export type Locale = (typeof SUPPORTED_LOCALES)[number] | typeof PSEUDO_LOCALE;

export const isSupportedLocale = (value: unknown): value is (typeof SUPPORTED_LOCALES)[number] =>
  typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);

export const isLocale = (value: unknown): value is Locale => value === PSEUDO_LOCALE || isSupportedLocale(value);

// Scripts written right to left, for engines whose Intl.Locale has no text info (Node 20 has it, older Firefox not).
const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

/** The `dir` attribute for a locale: `rtl` for scripts written right to left, else `ltr`. */
export function textDirection(locale: string): 'ltr' | 'rtl' {
  try {
    const intl = new Intl.Locale(locale) as Intl.Locale & {
      textInfo?: { direction?: string };
      getTextInfo?: () => { direction?: string };
    };
    const info = typeof intl.getTextInfo === 'function' ? intl.getTextInfo() : intl.textInfo;
    if (info?.direction === 'rtl' || info?.direction === 'ltr') return info.direction;
    return RTL_LANGUAGES.has(intl.language) ? 'rtl' : 'ltr';
  } catch {
    return 'ltr';
  }
}
