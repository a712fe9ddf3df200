// Bylines in a whole-page text copy: the time stamps beside them, and telling a writer's name from the
// page's own words. A line of two or three
// capitalised words can be a person ("Dave Steer") or interface ("Start A Wiki", "US Editions",
// "All Share Services", "Fiction Page"): the page itself tells which, because the words of its
// interface and sections are ordinary words that its prose also uses in lower case, and names are not.
import type { ArticleAuthor } from './model.ts';

const SOCIAL = new Set(['facebook', 'twitter', 'whatsapp', 'linkedin', 'reddit', 'pinterest', 'instagram', 'youtube', 'tiktok', 'telegram', 'email', 'e-mail', 'rss']);

/** The words the page writes in lower case somewhere (its ordinary vocabulary). */
export function lowerCaseVocabulary(texts: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const text of texts) {
    // Whole words only: handles, addresses and links ("@ahiza_garcia", "dan.goodin@…") spell names in lower case.
    for (const token of text.split(/\s+/)) {
      const word = /^[("“'‘«¿¡]*(\p{Ll}[\p{Ll}'’-]*)[)"”'’»,;:.!?]*$/u.exec(token)?.[1];
      if (word) words.add(word);
    }
  }
  return words;
}

/**
 * A "name" made only of the page's ordinary words, social networks' names and short acronyms: a menu
 * entry, a section or a button, not a person. One word of a name that is also an ordinary word
 * ("Mark Young", "Rose Green") is not enough: every word must be.
 */
export function isInterfaceName(name: string, vocabulary: ReadonlySet<string>): boolean {
  const words = name.split(/\s+/).filter(Boolean);
  if (words.length === 0 || /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(name)) return false;
  return words.every((word) => {
    const lower = word.toLowerCase().replace(/[.,:;]+$/u, '');
    return vocabulary.has(lower) || SOCIAL.has(lower) || /^\p{Lu}{2,3}$/u.test(word) || lower.length <= 1;
  });
}

export function withoutInterfaceNames(authors: ArticleAuthor[], vocabulary: ReadonlySet<string>): ArticleAuthor[] {
  return authors.filter((author) => !isInterfaceName(author.name, vocabulary));
}

// Credits that are not authorship: "Adrian Malloch (photography)", "(video)", "(illustrations)".
const NOT_WRITING = String.raw`photography|photos?|pictures|images|illustrations?|graphics|video|design|editing|edited|translation|translated`;

/**
 * A byline line without what is not a writer's name: "by Eleanor Ainge Roy (reporting) and Adrian
 * Malloch (photography)" → "by Eleanor Ainge Roy". Roles in parentheses are dropped; a person credited
 * with something other than writing is dropped with the role.
 */
export function writersOnly(line: string): string {
  return line
    // The credited person's capitalised name (case matters: no i flag, which would make \p{Lu} match any letter).
    .replace(new RegExp(String.raw`(?:,|\s(?:and|&|et|und|y|e))?\s*(?:\p{Lu}[\p{L}.'’-]*\s+){0,4}\p{Lu}[\p{L}.'’-]*\s*\((?:${NOT_WRITING})\)`, 'gu'), '')
    .replace(/\s*\((?:reporting|text|words|writing|reportage|texte|texto)\)/giu, '')
    .trim();
}

// An age or a time of day: "1:39 PM ET", "14:05", "8h", "3 hours ago", "před 2 hodinami", "il y a 2 heures".
const CLOCK_OR_AGE = String.raw`\d{1,2}[:.h]\d{2}\s*(?:[aApP]\.?[mM]\.?)?(?:\s+\p{Lu}{2,5})?|\d{1,3}\s*(?:s|m|h|d|w|mins?|minutes?|hrs?|hours?|days?|weeks?|months?)(?:\s+ago)?`;
// In languages that put a word before the number: lower-case words, a number, a lower-case unit
// ("před 2 hodinami", "hace 3 horas"), or German's capitalised unit ("vor 2 Stunden").
const AGE_AFTER_WORD = String.raw`(?:\p{Ll}+\s+){1,3}\d{1,3}\s+\p{Ll}{3,}|vor\s+\d{1,3}\s+\p{Lu}\p{Ll}+`;
const STAMP = `(?:${CLOCK_OR_AGE}|${AGE_AFTER_WORD})`;
// Case matters in AGE_AFTER_WORD (a flag would make \p{Ll} match capitals too); the units are written in lower case.
const WHOLE_STAMP = new RegExp(String.raw`^${STAMP}$`, 'u');
// The stamp after a name: "Name • 8h", "Name - 14:05", "Name 1 day ago".
const NAME_THEN_STAMP = new RegExp(String.raw`^(.{2,60}?)(?:\s+[•·|–—-])?\s+${STAMP}$`, 'u');

/** A time of day or an age with nothing else, or after a name: where a date would stand. */
export function isTimeStamp(text: string): boolean {
  return WHOLE_STAMP.test(text.trim()) || nameBeforeStamp(text) !== null;
}

/** "Alex Perry 1 day ago" → "Alex Perry"; null when the line does not end with a stamp after a name. */
export function nameBeforeStamp(text: string): string | null {
  const match = NAME_THEN_STAMP.exec(text.trim());
  if (!match) return null;
  const name = match[1].trim();
  // Two to five capitalised words: a person's name, not a sentence ending in a number.
  const words = name.split(/\s+/);
  return words.length >= 2 && words.length <= 5 && words.every((w) => /^\p{Lu}/u.test(w)) ? name : null;
}
