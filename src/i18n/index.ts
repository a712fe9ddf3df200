// Everything a page, mail or command needs to speak the reader's language.
export { isLocale, isSupportedLocale, PSEUDO_LOCALE, SOURCE_LOCALE, SUPPORTED_LOCALES, textDirection, type Locale } from './locales.ts';
export { acceptedLanguages, matchSupported, negotiateLocale, type LocaleChoice } from './negotiate.ts';
export { createTranslator, t, type MessageKey, type MessageValues, type Translator } from './translator.ts';
