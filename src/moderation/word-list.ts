// Finding a publisher's banned or suspect words in a comment, robustly enough that the usual dodges
// do not work and strictly enough that innocent words are left alone.
//
// Both the list and the comment are brought to one canonical form first (normaliseForMatching); then
// each listed term becomes a pattern that must stand as a whole word, so "Scunthorpe" does not match
// a four-letter term inside it, while "SPAAAM", "s.p.a.m", "sp-am", "ｓｐａｍ", "spåm" and "5p4m" all
// match "spam".

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

/**
 * NFKC folds compatibility forms (full-width letters, ligatures, mathematical alphabets); NFD then
 * splits accents off so they can be dropped; case is folded last.
 */
function foldLetters(text: string): string {
  return text.normalize('NFKC').normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC').toLowerCase();
}

/** Digits and symbols standing in for letters, but only inside a word that has letters: "455" stays a number. */
function undoLeet(text: string): string {
  return text.replace(/[\p{L}\p{N}@$]+/gu, (token) => (/\p{L}/u.test(token) && /[013457@$]/.test(token) ? token.replace(/[013457@$]/g, (c) => LEET[c]) : token));
}

/** Three or more single letters with separators between them ("s p a m", "f.r.e.e") are read as one word. */
const SPACED_OUT = /(?<![\p{L}\p{N}])\p{L}(?:[\s.\-_*·+~]{1,3}\p{L}){2,}(?![\p{L}\p{N}])/gu;

export function normaliseForMatching(text: string): string {
  const folded = undoLeet(foldLetters(text));
  return folded.replace(SPACED_OUT, (run) => run.replace(/[^\p{L}]/gu, '')).replace(/\s+/gu, ' ');
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Between two letters of a term a cheat may put one dot, dash, underscore or star: "sp.am". */
const IN_WORD_SEPARATOR = '[.\\-_*·]?';

/**
 * The pattern for one listed term. Each letter may be repeated ("spaaam"); words of a phrase may be
 * joined by any spacing or punctuation, or none; a term ending in "*" also matches longer words
 * ("spam*" finds "spammer"). Lookarounds, not \b, mark the word's edges, because \b knows only ASCII.
 */
function termPattern(term: string): string | null {
  const prefix = term.trim().endsWith('*');
  const words = normaliseForMatching(term.trim().replace(/\*+$/, '')).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.length === 0) return null;
  const wordPattern = (word: string) => [...word].map((c) => `${escape(c)}+`).join(IN_WORD_SEPARATOR);
  const body = words.map(wordPattern).join('[^\\p{L}\\p{N}]*');
  return `(?<![\\p{L}\\p{N}])${body}${prefix ? '' : '(?![\\p{L}\\p{N}])'}`;
}

export interface WordMatch {
  /** The listed term as the publisher wrote it. */
  term: string;
  /** The part of the (normalised) comment that matched. */
  found: string;
}

export interface WordMatcher {
  find(text: string): WordMatch | null;
}

function compile(terms: readonly string[]): WordMatcher {
  const compiled = terms.flatMap((term) => {
    const pattern = termPattern(term);
    // Sticky, so that it can be asked "does this term match exactly here?" about a hit of `any`.
    return pattern ? [{ term, pattern: new RegExp(pattern, 'uy') }] : [];
  });
  if (compiled.length === 0) return { find: () => null };
  // One pass over the comment with every term; only on a hit do we ask which term it was.
  const any = new RegExp(compiled.map((c) => `(?:${c.pattern.source})`).join('|'), 'u');
  return {
    find(text) {
      const normalised = normaliseForMatching(text);
      const hit = any.exec(normalised);
      if (!hit) return null;
      const which =
        compiled.find((c) => {
          c.pattern.lastIndex = hit.index;
          return c.pattern.test(normalised);
        }) ?? compiled[0];
      return { term: which.term, found: hit[0] };
    },
  };
}

// Settings are read on every post but change rarely: compile each distinct list once. A handful of
// lists (banned, suspect, and the old ones after an edit) live at a time; the cap keeps it so.
const cache = new Map<string, WordMatcher>();
const CACHE_LIMIT = 16;

export function wordMatcher(terms: readonly string[]): WordMatcher {
  const key = JSON.stringify(terms);
  let matcher = cache.get(key);
  if (!matcher) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    matcher = compile(terms);
    cache.set(key, matcher);
  }
  return matcher;
}
