// Telling a writer's name from the page's own words in a whole-page text copy. A line of two or three
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
    .replace(new RegExp(String.raw`(?:,|\s(?:and|&|et|und|y|e))?\s*[^,&()]+?\s*\((?:${NOT_WRITING})\)`, 'giu'), '')
    .replace(/\s*\((?:reporting|text|words|writing|reportage|texte|texto)\)/giu, '')
    .trim();
}
