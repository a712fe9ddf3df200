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

const kept = (n: number) => Number.isInteger(n) && n >= 0 && n < KEPT_BELOW;

/** A number as the page's language writes it ("1,200", "1 200"). */
export function formatNumber(n: number, lang: string): string {
  let texts: string[] | undefined;
  if (kept(n)) {
    texts = numberTexts.get(lang);
    if (!texts) numberTexts.set(lang, (texts = []));
    const text = texts[n];
    if (text !== undefined) return text;
  }
  let format = numbers.get(lang);
  if (!format) numbers.set(lang, (format = new Intl.NumberFormat(lang)));
  const text = format.format(n);
  if (texts) texts[n] = text;
  return text;
}

/** The form of `forms` for `n`, with the number written in. */
export function countText(forms: PluralForms, n: number, lang: string): string {
  let texts: string[] | undefined;
  if (kept(n)) {
    let byLang = countTexts.get(forms);
    if (!byLang) countTexts.set(forms, (byLang = new Map()));
    texts = byLang.get(lang);
    if (!texts) byLang.set(lang, (texts = []));
    const text = texts[n];
    if (text !== undefined) return text;
  }
  let rules = plurals.get(lang);
  if (!rules) plurals.set(lang, (rules = new Intl.PluralRules(lang)));
  const text = (forms[rules.select(n)] ?? forms.other).replace('{n}', formatNumber(n, lang));
  if (texts) texts[n] = text;
  return text;
}
