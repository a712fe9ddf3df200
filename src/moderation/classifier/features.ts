// What the spam classifier looks at in a comment: its words and the short runs of characters inside
// them. Character n-grams catch what words miss in spam: "subscribe", "subscribers" and "subscribe!!"
// share "subscr"; "http", "www." and ".com" show up however a link is written.

export interface FeatureOptions {
  /** Word n-gram lengths, e.g. [1] for single words, [1, 2] to add pairs. */
  wordNgrams: number[];
  /** Character n-gram lengths taken from the text with its spaces collapsed, e.g. [3, 4]. */
  charNgrams: number[];
}

/** Folds case and compatibility forms ("ｆｒｅｅ" → "free") so that look-alike spellings count as one. */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

export function words(folded: string): string[] {
  return folded.match(WORD) ?? [];
}

/**
 * The features of one text with how often each occurs. Word features are prefixed "w:", character
 * features "c:", so a word and a character run with the same letters never collide.
 */
export function featureCounts(text: string, options: FeatureOptions): Map<string, number> {
  const folded = foldText(text);
  const counts = new Map<string, number>();
  const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
  const tokens = words(folded);
  for (const n of options.wordNgrams) {
    for (let i = 0; i + n <= tokens.length; i++) add(`w:${tokens.slice(i, i + n).join(' ')}`);
  }
  // Padding marks where the text starts and ends; code points, not UTF-16 units, so emoji stay whole.
  const chars = [...` ${folded} `];
  for (const n of options.charNgrams) {
    for (let i = 0; i + n <= chars.length; i++) add(`c:${chars.slice(i, i + n).join('')}`);
  }
  return counts;
}
