import { htmlLang } from '../i18n/request.ts';
import { PSEUDO_LOCALE, SOURCE_LOCALE } from '../i18n/locales.ts';
import type { MessageKey, Translator } from '../i18n/index.ts';
import type { IslandWords, PluralForms, StreamWords } from './words.ts';

// The words of words.ts in one language, from the catalogs: made once per language and process.

/** Numbers that fall in each plural category in some language; a million is French "many". */
const SAMPLES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 20, 21, 22, 100, 101, 102, 1_000_000];

/**
 * A plural message as one text per category of the language, `{n}` where its number is: formatted
 * with a number of each category, then the number taken out. Messages with exact matches (`=0`)
 * do not fit this; the island's counts have none.
 */
export function pluralForms(i18n: Translator, key: MessageKey): PluralForms {
  // intl-messageformat writes `#` in the translator's language (the pseudo-locale's is English).
  const locale = i18n.locale === PSEUDO_LOCALE ? SOURCE_LOCALE : i18n.locale;
  const rules = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const forms: Partial<Record<Intl.LDMLPluralRule, string>> = {};
  for (const category of rules.resolvedOptions().pluralCategories) {
    const n = SAMPLES.find((sample) => rules.select(sample) === category);
    if (n !== undefined) forms[category] = i18n.t(key, { count: n }).replace(numbers.format(n), '{n}');
  }
  // A category that reads as `other` need not travel (countText falls back to it): French "many".
  const other = forms.other ?? '';
  for (const category of Object.keys(forms) as Intl.LDMLPluralRule[]) if (category !== 'other' && forms[category] === other) delete forms[category];
  return { ...forms, other };
}

const streams = new Map<string, StreamWords>();
const islands = new Map<string, IslandWords>();

/** The links under a comment and its counts, in the translator's language. */
export function streamWords(i18n: Translator): StreamWords {
  let words = streams.get(i18n.locale);
  if (!words) {
    words = {
      lang: htmlLang(i18n.locale),
      respect: i18n.t('comments.action.respect'),
      reply: i18n.t('comments.action.reply'),
      quote: i18n.t('comments.action.quote'),
      edit: i18n.t('comments.action.edit'),
      report: i18n.t('comments.action.report'),
      reported: i18n.t('comments.action.reported'),
      follow: i18n.t('comments.action.follow'),
      unfollow: i18n.t('comments.action.unfollow'),
      delete: i18n.t('comments.action.delete'),
      respects: pluralForms(i18n, 'comments.action.respects'),
      respectLabel: pluralForms(i18n, 'comments.action.respectLabel'),
      showReplies: pluralForms(i18n, 'comments.showReplies'),
    };
    streams.set(i18n.locale, words);
  }
  return words;
}

/** Everything the conversation island says, for the section's `data-messages`. */
export function islandWords(i18n: Translator): IslandWords {
  let words = islands.get(i18n.locale);
  if (!words) {
    words = {
      ...streamWords(i18n),
      failed: i18n.t('comments.island.failed'),
      loadFailed: i18n.t('comments.island.loadFailed'),
      previewFailed: i18n.t('comments.island.previewFailed'),
      outOfDate: i18n.t('comments.island.outOfDate'),
      confirmDelete: i18n.t('comments.island.confirmDelete'),
      replyTo: i18n.t('comments.composer.replyTo', { name: '{name}' }),
      replyToComment: i18n.t('comments.composer.replyToComment'),
      postReply: i18n.t('comments.composer.postReply'),
      cancel: i18n.t('comments.composer.cancel'),
      newComments: pluralForms(i18n, 'comments.island.newComments'),
      charactersLeft: pluralForms(i18n, 'comments.island.charactersLeft'),
      charactersOver: pluralForms(i18n, 'comments.island.charactersOver'),
    };
    islands.set(i18n.locale, words);
  }
  return words;
}

const messagesJson = new Map<string, { json: string; attribute: string }>();

/**
 * The island's words as JSON and as a whole `data-messages='…'` attribute, made once per language:
 * every page with the conversation carries them, and stringifying and escaping ~1.7 KB on each
 * signed-in page showed in its profile. The attribute is single-quoted so that the JSON's many
 * double quotes travel as they are (`&quot;` made it half as long again); only `&` and `'` are escaped.
 */
function islandMessages(i18n: Translator): { json: string; attribute: string } {
  let entry = messagesJson.get(i18n.locale);
  if (!entry) {
    const json = JSON.stringify(islandWords(i18n));
    entry = { json, attribute: `data-messages='${json.replaceAll('&', '&amp;').replaceAll("'", '&#39;')}'` };
    messagesJson.set(i18n.locale, entry);
  }
  return entry;
}

/** The island's words as JSON (for a component, which escapes its attributes itself). */
export const islandMessagesJson = (i18n: Translator): string => islandMessages(i18n).json;

/** The island's words as a ready-escaped attribute, for the section's open tag written as text (section.tsx). */
export const islandMessagesAttribute = (i18n: Translator): string => islandMessages(i18n).attribute;
