import { t, type MessageKey, type MessageValues, type Translator } from './translator.ts';

/** A catalog message standing for an error's words: the key and its values. */
export interface KeyedMessage {
  key: MessageKey;
  values?: MessageValues;
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

  constructor(message: string | KeyedMessage) {
    super(typeof message === 'string' ? message : t('en', message.key, message.values));
    this.messageKey = typeof message === 'string' ? null : message.key;
    this.messageValues = typeof message === 'string' ? undefined : message.values;
  }

  messageIn(i18n: Translator): string {
    return this.messageKey ? i18n.t(this.messageKey, this.messageValues) : this.message;
  }
}
