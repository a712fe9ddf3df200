import { keyedReason, type Phase } from '../model.ts';

/** Case, accents, punctuation and spacing folded away: "Buy NOW!!" and "buy now" are the same text. */
export function comparableText(text: string): string {
  // Plain ASCII has nothing to compose, decompose or strip of marks: the normalisations would return it unchanged.
  const normalised = ASCII.test(text) ? text : text.normalize('NFKC').normalize('NFD').replace(/\p{M}+/gu, '');
  return normalised
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * The distinct trigrams of a text, each as one exact number (three UTF-16 code units in 48 bits),
 * sorted. Sets of three-character strings made 80 small objects for an 80-character comment; kept in
 * the cache below until the author's next posts, they outlived the young generation and were
 * collected with the old, which cost more than the comparisons.
 */
function trigrams(text: string): Float64Array {
  const count = Math.max(0, text.length - 2);
  const codes = new Float64Array(count);
  for (let i = 0; i < count; i++) codes[i] = text.charCodeAt(i) * 4294967296 + text.charCodeAt(i + 1) * 65536 + text.charCodeAt(i + 2);
  codes.sort();
  let distinct = 0;
  for (let i = 0; i < count; i++) if (i === 0 || codes[i] !== codes[i - 1]) codes[distinct++] = codes[i]!;
  return codes.subarray(0, distinct);
}

/** Shared trigrams over all trigrams (Jaccard): 1 for the same text, near 1 for a copy with a word changed. */
export function similarity(a: string, b: string): number {
  return similarityTo(a, trigrams(a), b);
}

/** The same, with the first text's trigrams made once for comparing it with several others. */
function similarityTo(a: string, x: Float64Array, b: string, y = trigrams(b)): number {
  if (a === b) return 1;
  let shared = 0;
  // Both sorted: one merge counts the trigrams they share.
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    if (x[i] === y[j]) {
      shared++;
      i++;
      j++;
    } else if (x[i]! < y[j]!) i++;
    else j++;
  }
  const union = x.length + y.length - shared;
  return union === 0 ? 0 : shared / union;
}

// An author's recent texts are compared with each new comment of theirs, so the same few texts were
// folded and cut into trigrams again at every post (most of this phase's time). The texts seen last
// are kept folded, up to a bound in characters (a text's trigrams take 8 bytes a character, and its
// folded copy as much again: about 1 MB at most).
const FOLDED_MAX_CHARACTERS = 64 * 1024;
const folded = new Map<string, { text: string; grams: Float64Array }>();
let foldedCharacters = 0;

function foldedWithGrams(body: string): { text: string; grams: Float64Array } {
  let entry = folded.get(body);
  if (entry) {
    // Least recently used goes first: a hit moves the text to the end of the map's order.
    folded.delete(body);
  } else {
    const text = comparableText(body);
    entry = { text, grams: trigrams(text) };
    // A text longer than the whole bound is folded every time rather than kept.
    if (body.length > FOLDED_MAX_CHARACTERS) return entry;
    foldedCharacters += body.length;
    while (foldedCharacters > FOLDED_MAX_CHARACTERS) {
      const oldest = folded.keys().next().value!;
      folded.delete(oldest);
      foldedCharacters -= oldest.length;
    }
  }
  folded.set(body, entry);
  return entry;
}

/** Below this many characters repetition is normal ("Agreed.", "Thank you!") and not worth holding. */
export const MIN_REPEAT_LENGTH = 20;
/** Copy-paste with a word or two changed still scores above this; two different comments do not. */
export const REPEAT_SIMILARITY = 0.8;

/** The same text posted again by one author (copy-paste flooding) is held. */
export const repeatedText: Phase = {
  name: 'repeated-text',
  run({ body, author }) {
    const { text, grams } = foldedWithGrams(body);
    if (text.length < MIN_REPEAT_LENGTH) return undefined;
    const repeats = author.previousBodies.some((previous) => {
      const earlier = foldedWithGrams(previous);
      return similarityTo(text, grams, earlier.text, earlier.grams) >= REPEAT_SIMILARITY;
    });
    if (!repeats) return undefined;
    return { status: 'held', reason: keyedReason('repeated_text', 'moderation.detail.repeatedText') };
  },
};
