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
function similarityTo(a: string, x: Set<string>, b: string, y = trigrams(b)): number {
  if (a === b) return 1;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  const union = x.size + y.size - shared;
  return union === 0 ? 0 : shared / union;
}

// An author's recent texts are compared with each new comment of theirs, so the same few texts were
// folded and cut into trigrams again at every post (most of this phase's time). The texts seen last
// are kept folded, up to a bound in characters (a text's trigram set costs some 50 bytes a character:
// about 3 MB at most).
const FOLDED_MAX_CHARACTERS = 64 * 1024;
const folded = new Map<string, { text: string; grams: Set<string> }>();
let foldedCharacters = 0;

function foldedWithGrams(body: string): { text: string; grams: Set<string> } {
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
