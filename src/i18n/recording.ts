import { t, type MessageKey, type MessageValues, type Translator } from './translator.ts';

/** The catalog message a check chose, to be said again later in whatever language is asked. */
export interface RecordedMessage {
  /** The English words (always there); `key` is missing when they did not come from the catalogs. */
  english: string;
  key?: MessageKey;
  values?: MessageValues;
}

/**
 * Runs a check written against a Translator (`siteProblem(input, i18n)`) in English, and remembers
 * which message it returned: a command can then refuse with the key and values, and each person
 * reads the refusal in their language. Null when the check found nothing wrong.
 */
export function keyedResult(check: (i18n: Translator) => string | null): RecordedMessage | null {
  const said = new Map<string, RecordedMessage>();
  const english = (key: MessageKey, values?: MessageValues) => {
    const text = t('en', key, values);
    said.set(text, { english: text, key, values });
    return text;
  };
  const recorder: Translator = { locale: 'en', t: english, rich: (key, values) => english(key, values as MessageValues) };
  const problem = check(recorder);
  if (problem === null) return null;
  // The check returns one of the messages it formatted; a label it formatted for a value is not it.
  return said.get(problem) ?? { english: problem };
}
