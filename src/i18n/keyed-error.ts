import { formattingLocale, PSEUDO_LOCALE, SOURCE_LOCALE } from './locales.ts';
import { accent } from './pseudo.ts';
import { createTranslator, type MessageKey, type MessageValues, type Translator } from './translator.ts';

/**
 * A catalog message standing for an error's words: the key and its values. `parts` are arguments that
 * are themselves catalog messages (the display-name problem inside the sign-in refusal), or lists of
 * them (every bad setting of one request): each is said in the same language as the sentence around
 * it, never pasted in as English.
 */
export interface KeyedMessage {
  key: MessageKey;
  values?: MessageValues;
  parts?: Readonly<Record<string, KeyedMessage | readonly KeyedMessage[]>>;
}

const ENGLISH = createTranslator('en');

/** A keyed message in one language, its parts said first in that language. */
export function sayIn(i18n: Translator, message: KeyedMessage): string {
  if (!message.parts) return i18n.t(message.key, message.values);
  const values: MessageValues = { ...message.values };
  for (const [name, part] of Object.entries(message.parts)) values[name] = isList(part) ? listIn(i18n, part) : sayIn(i18n, part);
  return i18n.t(message.key, values);
}

const isList = (part: KeyedMessage | readonly KeyedMessage[]): part is readonly KeyedMessage[] => Array.isArray(part);

/**
 * Several messages as one clause list, as the language lists things ("A, B and C", "A, B et C"): each
 * item's closing full stop is dropped, since the sentence around the list closes it.
 */
export function listIn(i18n: Translator, items: readonly KeyedMessage[]): string {
  const clauses = items.map((item) => sayIn(i18n, item).replace(/[.。]\s*$/u, ''));
  // The pseudo-locale is English underneath, its "and" accented like every word it owns, so the
  // pseudo-locale walk does not take it for text that skipped the catalogs.
  const pseudo = i18n.locale === PSEUDO_LOCALE;
  const parts = new Intl.ListFormat(formattingLocale(pseudo ? SOURCE_LOCALE : i18n.locale), { style: 'long', type: 'conjunction' }).formatToParts(clauses);
  return parts.map((part) => (pseudo && part.type === 'literal' ? accent(part.value) : part.value)).join('');
}

/**
 * An error whose words may come from the catalogs (a configuration mistake, a start-up refusal, an
 * importer's reason): `message` stays English for logs and tests, and `messageIn` gives the words in
 * the language of whoever reads them (the shell's, the reader's). Made from a plain string it is
 * English everywhere, as before, for callers that already translated it or have not been moved yet.
 */
export class KeyedError extends Error {
  readonly messageKey: MessageKey | null;
  readonly messageValues: MessageValues | undefined;
  /** Arguments that are catalog messages themselves (see KeyedMessage); said in the reader's language too. */
  readonly messageParts: KeyedMessage['parts'];

  constructor(message: string | KeyedMessage) {
    super(typeof message === 'string' ? message : sayIn(ENGLISH, message));
    this.messageKey = typeof message === 'string' ? null : message.key;
    this.messageValues = typeof message === 'string' ? undefined : message.values;
    this.messageParts = typeof message === 'string' ? undefined : message.parts;
  }

  /** The words as they were given (a key, its values and parts; or the English), to carry into another error. */
  get words(): string | KeyedMessage {
    return this.messageKey ? { key: this.messageKey, values: this.messageValues, parts: this.messageParts } : this.message;
  }

  messageIn(i18n: Translator): string {
    return this.messageKey ? sayIn(i18n, { key: this.messageKey, values: this.messageValues, parts: this.messageParts }) : this.message;
  }
}
