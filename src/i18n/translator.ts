import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { CATALOGS, SOURCE_CATALOG, type MessageKey } from './catalogs.ts';
import { formattingLocale, isLocale, PSEUDO_LOCALE, SOURCE_LOCALE, type Locale } from './locales.ts';
import { pseudoLocalizeAst } from './pseudo.ts';

// Messages are ICU MessageFormat (plurals, select, numbers, dates) with namespaced keys
// ("email.verify.subject"), one JSON file per language and area (catalogs.ts). English is the
// source: every key exists there, and `npm run i18n:check` keeps the other catalogs complete and
// their arguments in step.

export type { Catalog, MessageKey } from './catalogs.ts';
export { CATALOGS } from './catalogs.ts';
export type MessageValues = Record<string, PrimitiveType>;

export interface Translator {
  readonly locale: Locale;
  t(key: MessageKey, values?: MessageValues): string;
  /**
   * A message whose arguments may be elements (a link inside a sentence): the sentence stays whole
   * in the catalog, with `{link}` where the element goes; returns text and the elements in order.
   */
  rich<T>(key: MessageKey, values: Record<string, PrimitiveType | T>): string | T | (string | T)[];
}

// Compiling a message costs far more than formatting it: each is compiled once per process and locale.
const compiled = new Map<string, IntlMessageFormat>();

/**
 * Named formats a message may use. `{until, date, utcMinute}`: a moment to the minute, in UTC with the
 * zone named ("7 August 2017 at 16:47 UTC", "7 août 2017 à 16:47 UTC"), the same for every reader
 * whatever the server's own zone; for moments that belong to no article's zone (a suspension's end).
 */
const FORMATS = {
  date: { utcMinute: { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' } },
} as const satisfies { date: Record<string, Intl.DateTimeFormatOptions> };


function compile(locale: Locale, key: MessageKey): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) {
    const source: string | undefined = SOURCE_CATALOG[key];
    if (source === undefined) throw new Error(`Unknown message key "${key}"`);
    if (locale === PSEUDO_LOCALE) format = new IntlMessageFormat(pseudoLocalizeAst(source), formattingLocale(SOURCE_LOCALE), FORMATS);
    else {
      // A key the check missed reads in English rather than breaking the page or the mail.
      const message = CATALOGS[locale][key] ?? source;
      format = new IntlMessageFormat(message, formattingLocale(locale), FORMATS);
    }
    compiled.set(id, format);
  }
  return format;
}

export function t(locale: Locale, key: MessageKey, values?: MessageValues): string {
  const out = compile(locale, key).format(values);
  if (typeof out !== 'string') throw new Error(`Message "${key}" did not format to text`);
  return out;
}

const translators = new Map<Locale, Translator>();

/** A translator for one locale; an unknown locale gets English. */
export function createTranslator(locale: string): Translator {
  const chosen: Locale = isLocale(locale) ? locale : SOURCE_LOCALE;
  let translator = translators.get(chosen);
  if (!translator) {
    translator = { locale: chosen, t: (key, values) => t(chosen, key, values), rich: (key, values) => compile(chosen, key).format(values) };
    translators.set(chosen, translator);
  }
  return translator;
}
