// How much a line shares the words of a stretch of prose. A story's headline is about its story: most
// of its content words come back in the body below it ("whale strandings" → "the strandings", "whales").
// A related-story teaser, a series label or a promotion standing in the same header area is about
// something else, and shares little. Works in any language written with spaces (words of four or more
// letters, compared by their first five letters so that plurals and inflections still meet), and in
// Chinese and Japanese by pairs of characters.

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

// Frequent words of four letters or more that say nothing of a story's subject, in the languages the
// importer meets most; shorter function words are already dropped by length.
const FUNCTION_WORDS = new Set([
  // English
  'this', 'that', 'these', 'those', 'with', 'from', 'into', 'over', 'about', 'after', 'before', 'what', 'when', 'where',
  'which', 'while', 'will', 'would', 'could', 'should', 'have', 'been', 'were', 'there', 'their', 'they', 'them', 'your',
  'more', 'most', 'some', 'than', 'then', 'just', 'also', 'only', 'does', 'here', 'how', 'why', 'every', 'other',
  // French, Spanish, Portuguese, Italian
  'dans', 'pour', 'avec', 'sans', 'sont', 'leur', 'leurs', 'cette', 'mais', 'plus', 'comme', 'entre', 'sobre', 'para',
  'como', 'pero', 'este', 'esta', 'desde', 'hasta', 'cuando', 'todo', 'todos', 'pelo', 'pela', 'mais', 'isso', 'essa',
  'esse', 'anche', 'della', 'delle', 'dello', 'degli', 'nella', 'sono', 'questo', 'questa', 'dopo',
  // German, Dutch
  'nicht', 'sich', 'eine', 'einer', 'einem', 'einen', 'oder', 'auch', 'nach', 'über', 'wird', 'werden', 'sind', 'dass',
  'voor', 'naar', 'niet', 'zijn', 'wordt', 'deze', 'maar',
]);

const STEM_LENGTH = 5;

/** The line's content words (stemmed) and, for Chinese and Japanese, its pairs of characters. */
export function contentTerms(text: string): Set<string> {
  const terms = new Set<string>();
  const lower = text.normalize('NFKC').toLowerCase();
  for (const run of lower.match(CJK_RUN) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) terms.add(run.slice(i, i + 2));
  }
  for (const word of lower.replace(CJK_RUN, ' ').split(/[^\p{L}\p{M}\p{N}'’-]+/u)) {
    const bare = word.replace(/^['’-]+|['’-]+$/gu, '').replace(/['’]s$/u, '');
    if ([...bare].length < 4 || /\d/.test(bare) || FUNCTION_WORDS.has(bare)) continue;
    terms.add([...bare].slice(0, STEM_LENGTH).join(''));
  }
  return terms;
}

/** The share of the line's terms (0–1) found in the prose, and how many terms it has. */
export function overlap(line: string, prose: ReadonlySet<string>): { share: number; terms: number } {
  const terms = contentTerms(line);
  if (terms.size === 0) return { share: 0, terms: 0 };
  let found = 0;
  for (const term of terms) if (prose.has(term)) found++;
  return { share: found / terms.size, terms: terms.size };
}

/** The terms of several lines together. */
export function termsOf(lines: readonly string[]): Set<string> {
  const all = new Set<string>();
  for (const line of lines) for (const term of contentTerms(line)) all.add(term);
  return all;
}
