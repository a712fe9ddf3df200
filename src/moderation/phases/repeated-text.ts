import type { Phase } from '../model.ts';

/** Case, accents, punctuation and spacing folded away: "Buy NOW!!" and "buy now" are the same text. */
export function comparableText(text: string): string {
  return text
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function trigrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= text.length; i++) grams.add(text.slice(i, i + 3));
  return grams;
}

/** Shared trigrams over all trigrams (Jaccard): 1 for the same text, near 1 for a copy with a word changed. */
export function similarity(a: string, b: string): number {
  return similarityTo(a, trigrams(a), b);
}

/** The same, with the first text's trigrams made once for comparing it with several others. */
function similarityTo(a: string, x: Set<string>, b: string): number {
  if (a === b) return 1;
  const y = trigrams(b);
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  const union = x.size + y.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** Below this many characters repetition is normal ("Agreed.", "Thank you!") and not worth holding. */
export const MIN_REPEAT_LENGTH = 20;
/** Copy-paste with a word or two changed still scores above this; two different comments do not. */
export const REPEAT_SIMILARITY = 0.8;

/** The same text posted again by one author (copy-paste flooding) is held. */
export const repeatedText: Phase = {
  name: 'repeated-text',
  run({ body, author }) {
    const text = comparableText(body);
    if (text.length < MIN_REPEAT_LENGTH) return undefined;
    const grams = trigrams(text);
    const repeats = author.previousBodies.some((previous) => similarityTo(text, grams, comparableText(previous)) >= REPEAT_SIMILARITY);
    if (!repeats) return undefined;
    return { status: 'held', reason: { code: 'repeated_text', detail: 'The author has recently posted the same or nearly the same text.' } };
  },
};
