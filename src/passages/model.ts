import search from 'approx-string-match';

// Discuss a passage (issue 17 §1): the pure rules. A passage is a W3C Web Annotation
// TextQuoteSelector (https://www.w3.org/TR/annotation-model/#text-quote-selector) — the words quoted
// (`exact`) and a few words either side (`prefix`, `suffix`) — plus the paragraph it sits in, by the
// number of its #p-N anchor on the article page. The browser's island imports selectorAt from here,
// so this file stays free of server code.

export interface TextQuoteSelector {
  exact: string;
  prefix: string;
  suffix: string;
}

export interface Passage extends TextQuoteSelector {
  /** The paragraph's number in the body, as in its #p-N anchor (from 1). */
  paragraph: number;
  /** The article no longer contains the passage (an edit at re-import): the quote stays, unanchored. */
  changed: boolean;
}

/** The longest quote a comment may carry: a few sentences, not the article. */
export const MAX_EXACT = 1000;
/** Context either side: enough to tell two occurrences of a phrase apart. */
export const CONTEXT = 32;
/** The most context a client may send (it may count characters differently from us). */
export const MAX_CONTEXT = 200;

/** Whitespace as the article stores it: one space, no ends. */
export const squash = (text: string) => text.replace(/[\s\u200B]+/g, ' ').trim();

/** The selector for text[start, end) with CONTEXT characters of context, whitespace squashed. */
export function selectorAt(text: string, start: number, end: number): TextQuoteSelector {
  const exact = squash(text.slice(start, end));
  const prefix = text.slice(Math.max(0, start - CONTEXT), start).replace(/[\s\u200B]+/g, ' ').trimStart();
  const suffix = text.slice(end, end + CONTEXT).replace(/[\s\u200B]+/g, ' ').trimEnd();
  return { exact, prefix, suffix };
}

/**
 * The passage for "discuss this paragraph" (the no-JavaScript link): the whole paragraph, or its first
 * MAX_EXACT characters cut at a word when it is longer.
 */
export function wholeParagraphSelector(text: string): TextQuoteSelector {
  const clean = squash(text);
  if (clean.length <= MAX_EXACT) return { exact: clean, prefix: '', suffix: '' };
  const cut = clean.lastIndexOf(' ', MAX_EXACT);
  const end = cut > MAX_EXACT / 2 ? cut : MAX_EXACT;
  return selectorAt(clean, 0, end);
}

/**
 * What is wrong with a passage, as a catalog message (passages.json) and its values: the server says
 * it in the reader's language (post.ts). The keys are spelt out here rather than typed from the
 * catalogs so that this file, which the browser island imports, stays free of them.
 */
export interface PassageProblem {
  key: 'passages.problem.empty' | 'passages.problem.tooLong' | 'passages.problem.contextNotText' | 'passages.problem.contextTooLong' | 'passages.problem.noParagraph' | 'passages.problem.notFound';
  values?: Record<string, string | number>;
}

/** What is wrong with a passage a client sent; null when nothing. */
export function selectorProblem(input: { exact?: unknown; prefix?: unknown; suffix?: unknown }): PassageProblem | null {
  if (typeof input.exact !== 'string' || squash(input.exact) === '') return { key: 'passages.problem.empty' };
  // Limits as plain digits, as the API's schema states them.
  if (squash(input.exact).length > MAX_EXACT) return { key: 'passages.problem.tooLong', values: { max: String(MAX_EXACT) } };
  for (const side of ['prefix', 'suffix'] as const) {
    const value = input[side];
    if (value !== undefined && value !== null && typeof value !== 'string') return { key: 'passages.problem.contextNotText', values: { side } };
    if (typeof value === 'string' && value.length > MAX_CONTEXT) return { key: 'passages.problem.contextTooLong', values: { side, max: String(MAX_CONTEXT) } };
  }
  return null;
}

// --- Finding a passage in the article -------------------------------------------------------------

/** Where a passage is: its paragraph and its place in that paragraph's text. */
export interface Anchor {
  paragraph: number;
  start: number;
  end: number;
  /** 0 for the exact words; the edit distance when found by fuzzy matching. */
  errors: number;
}

/** How many characters a and b share at their ends: how far the text before a match agrees with the prefix. */
function commonSuffixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** How many characters a and b share at their starts: how far the text after a match agrees with the suffix. */
function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** The article's text as one string, paragraphs two newlines apart, with where each paragraph starts. */
function joined(paragraphs: readonly string[]) {
  const starts: number[] = [];
  let text = '';
  for (const p of paragraphs) {
    if (text !== '') text += '\n\n';
    starts.push(text.length);
    text += squash(p);
  }
  return { text, starts };
}

/** The paragraph (index) holding offset `at` of the joined text. */
function paragraphAt(starts: readonly number[], at: number): number {
  let lo = 0;
  for (let i = 0; i < starts.length; i++) if (starts[i]! <= at) lo = i;
  return lo;
}

interface Candidate {
  start: number;
  end: number;
  errors: number;
}

/** Among candidates, the one whose context agrees most, then the nearest to where it was. */
function best(text: string, candidates: Candidate[], selector: TextQuoteSelector, starts: readonly number[], near: number | null): Candidate | null {
  let chosen: Candidate | null = null;
  let chosenScore = -Infinity;
  for (const c of candidates) {
    const context = commonSuffixLength(text.slice(Math.max(0, c.start - selector.prefix.length), c.start), selector.prefix) + commonPrefixLength(text.slice(c.end, c.end + selector.suffix.length), selector.suffix);
    const distance = near === null ? 0 : Math.abs(paragraphAt(starts, c.start) + 1 - near);
    // Fewer errors first; context breaks ties between equal matches; then nearness.
    const score = -c.errors * 1000 + context * 10 - distance;
    if (score > chosenScore) {
      chosen = c;
      chosenScore = score;
    }
  }
  return chosen;
}

function toAnchor(c: Candidate, starts: readonly number[]): Anchor {
  const index = paragraphAt(starts, c.start);
  return { paragraph: index + 1, start: c.start - starts[index]!, end: c.end - starts[index]!, errors: c.errors };
}

/** Every place the exact words occur, in the paragraph given or in the whole article. */
export function findExact(paragraphs: readonly string[], selector: TextQuoteSelector, paragraph: number | null = null): Anchor | null {
  const exact = squash(selector.exact);
  if (exact === '') return null;
  const { text, starts } = joined(paragraphs);
  const candidates: Candidate[] = [];
  for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) {
    if (paragraph === null || paragraphAt(starts, at) + 1 === paragraph) candidates.push({ start: at, end: at + exact.length, errors: 0 });
  }
  const chosen = best(text, candidates, { ...selector, exact }, starts, paragraph);
  return chosen ? toAnchor(chosen, starts) : null;
}

/** The share of a quote's characters that may differ and still be the same passage after an edit. */
export const FUZZY_TOLERANCE = 0.25;

/**
 * The passage in an edited article: the exact words if they are still there (the occurrence whose
 * context agrees most, then the nearest to its old paragraph), else the closest approximate match
 * (approx-string-match, Myers' bit-parallel algorithm) within FUZZY_TOLERANCE of its length; null when
 * the passage is gone.
 */
export function reanchor(paragraphs: readonly string[], passage: Pick<Passage, 'exact' | 'prefix' | 'suffix' | 'paragraph'>): Anchor | null {
  const exact = findExact(paragraphs, passage);
  if (exact) return exact;
  const pattern = squash(passage.exact);
  const maxErrors = Math.floor(pattern.length * FUZZY_TOLERANCE);
  if (maxErrors === 0) return null;
  const { text, starts } = joined(paragraphs);
  // A match that runs into the next paragraph is cut at it: an anchor lives in one paragraph.
  const candidates = search(text, pattern, maxErrors).filter((m) => !text.slice(m.start, m.end).includes('\n\n'));
  const chosen = best(text, candidates, { ...passage, exact: pattern }, starts, passage.paragraph);
  return chosen ? toAnchor(chosen, starts) : null;
}

/** The passage after a re-import: anchored again (its paragraph may move), or marked changed. */
export function reanchored(paragraphs: readonly string[], passage: Passage): Passage {
  const anchor = reanchor(paragraphs, passage);
  return anchor ? { ...passage, paragraph: anchor.paragraph, changed: false } : { ...passage, changed: true };
}

/** A passage a reader asks to discuss, checked against the article as it is now. */
export interface PassageRequest {
  exact?: unknown;
  prefix?: unknown;
  suffix?: unknown;
  /** The paragraph the reader selected in, when the client knows it. */
  paragraph?: unknown;
}

/**
 * The passage to store for a request, or what is wrong with it. The words must be in the article now;
 * the context stored is the article's own (the client's only picks between occurrences).
 */
export function resolvePassage(paragraphs: readonly string[], request: PassageRequest): { passage: Passage } | { problem: PassageProblem } {
  const problem = selectorProblem(request);
  if (problem) return { problem };
  let paragraph: number | null = null;
  if (request.paragraph !== undefined && request.paragraph !== null && request.paragraph !== '') {
    paragraph = Number(request.paragraph);
    if (!Number.isSafeInteger(paragraph) || paragraph < 1 || paragraph > paragraphs.length) {
      return { problem: { key: 'passages.problem.noParagraph', values: { paragraph: String(request.paragraph), count: paragraphs.length } } };
    }
  }
  const selector = { exact: request.exact as string, prefix: typeof request.prefix === 'string' ? request.prefix : '', suffix: typeof request.suffix === 'string' ? request.suffix : '' };
  const anchor = findExact(paragraphs, selector, paragraph);
  if (!anchor) {
    return { problem: { key: 'passages.problem.notFound' } };
  }
  return { passage: { ...selectorAt(squash(paragraphs[anchor.paragraph - 1]!), anchor.start, anchor.end), paragraph: anchor.paragraph, changed: false } };
}

/** The passage columns of a comment read (comments/store.ts joins comment_passages); null without one. */
export function passageFromRow(row: { passage_paragraph: number | string | null; passage_exact: string | null; passage_prefix: string | null; passage_suffix: string | null; passage_changed: number | string | null }): Passage | null {
  if (row.passage_exact === null || row.passage_paragraph === null) return null;
  return { exact: row.passage_exact, prefix: row.passage_prefix ?? '', suffix: row.passage_suffix ?? '', paragraph: Number(row.passage_paragraph), changed: Number(row.passage_changed) === 1 };
}
