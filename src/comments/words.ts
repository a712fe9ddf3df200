// The conversation's words that the island writes too (the links under a comment, the counts, its
// messages), as plain strings: the server picks them from the catalogs in the page's language
// (stream-words.ts) and ships the island only these, in the section's `data-messages`; one function
// writes a count on both sides, so the server's markup and the island's agree by construction.
// The island imports this module, so it stays free of server code and of any catalog.

/** A count's text by plural category (`one`, `other`…), `{n}` where the number goes. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** What the links under a comment and the counts beside them say. */
export interface StreamWords {
  /** The page's language for Intl (`<html lang>`). */
  lang: string;
  respect: string;
  reply: string;
  quote: string;
  edit: string;
  report: string;
  reported: string;
  follow: string;
  unfollow: string;
  delete: string;
  /** The unit after the count: "respects". */
  respects: PluralForms;
  /** The Respect button's accessible name with its count. */
  respectLabel: PluralForms;
  showReplies: PluralForms;
}

/** What the conversation island says besides: failures, the banner, the composer's counter and its reply forms. */
export interface IslandWords extends StreamWords {
  failed: string;
  loadFailed: string;
  previewFailed: string;
  outOfDate: string;
  confirmDelete: string;
  /** `{name}` where the author's name goes. */
  replyTo: string;
  replyToComment: string;
  postReply: string;
  cancel: string;
  newComments: PluralForms;
  charactersLeft: PluralForms;
  charactersOver: PluralForms;
}

const plurals = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();

// Intl's format and select cost a microsecond or two each, and a page without JavaScript writes some
// two hundred counts (every comment's respects, in its text and its button's name), nearly all small:
// the texts of counts below this are kept, per language and per set of forms (the forms are the
// catalog's, made once per language: stream-words.ts).
const KEPT_BELOW = 1000;
const numberTexts = new Map<string, string[]>();
const countTexts = new WeakMap<PluralForms, Map<string, string[]>>();

/** The text of count `n`, made once into `texts[n]` when the count is one of those kept. */
function kept(texts: () => string[], n: number, make: () => string): string {
  if (!Number.isInteger(n) || n < 0 || n >= KEPT_BELOW) return make();
  const list = texts();
  return (list[n] ??= make());
}

/** `map`'s value for `key`, made and stored the first time. */
function entry<K, V>(map: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/** A number as the page's language writes it ("1,200", "1 200"). */
export function formatNumber(n: number, lang: string): string {
  return kept(() => entry(numberTexts, lang, () => []), n, () => entry(numbers, lang, () => new Intl.NumberFormat(lang)).format(n));
}

/** The form of `forms` for `n`, with the number written in. */
export function countText(forms: PluralForms, n: number, lang: string): string {
  return kept(
    () => entry(entry(countTexts, forms, () => new Map<string, string[]>()), lang, () => []),
    n,
    () => (forms[entry(plurals, lang, () => new Intl.PluralRules(lang)).select(n)] ?? forms.other).replace('{n}', formatNumber(n, lang)),
  );
}
