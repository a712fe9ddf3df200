// Finding the article inside a whole-page text copy (select-all and copy): navigation, cookie
// banners, section menus, "Skip to…" lines, share bars and related-story lists stand around it.
//
// The body is the longest run of prose on the page: long lines that read as sentences, with at most
// a few short lines (captions, subheads, "Advertisement") between them. The headline is a single
// line before that run, usually followed within a few lines by a byline and/or a date, often
// repeated in the page's title area ("Headline - Site"), and close to where the prose starts.
import { adjust, candidate, choose, type Candidate, type FieldChoice } from './extract/candidates.ts';
import { endsLikeProse, endsSentence, wordCount } from './text-lines.ts';

export interface LocatedArticle {
  /** Index of the headline line. */
  headline: number;
  /** Index of the first and last line of the body's run of prose. */
  bodyStart: number;
  bodyEnd: number;
  choice: FieldChoice<number>;
}

export interface LineJudge {
  isDate(text: string): boolean;
  isByline(text: string): boolean;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/** Words, counting two Chinese/Japanese/Korean characters as one. */
export function weightOf(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  return wordCount(text.replace(CJK, ' ')) + Math.round(cjk / 2);
}

function isProse(text: string): boolean {
  const w = weightOf(text);
  return (w >= 12 && endsLikeProse(text)) || w >= 30 || (w >= 8 && /[。！？]$/u.test(text));
}

// How far apart two prose lines may be and still be one body: captions, subheads, pull quotes.
const MAX_GAP = 4;
// How far before the body a headline is looked for.
const HEADLINE_WINDOW = 60;

/** The longest run of prose lines (by words), allowing short gaps. */
export function findBody(texts: string[]): { start: number; end: number } | null {
  let best: { start: number; end: number; weight: number } | null = null;
  let current: { start: number; end: number; weight: number } | null = null;
  texts.forEach((text, i) => {
    if (!isProse(text)) return;
    const w = weightOf(text);
    if (current && i - current.end <= MAX_GAP + 1) {
      current.end = i;
      current.weight += w;
    } else {
      current = { start: i, end: i, weight: w };
    }
    if (!best || current.weight > best.weight) best = { ...current };
  });
  return best;
}

export function locateArticle(texts: string[], judge: LineJudge): LocatedArticle | null {
  const body = findBody(texts);
  if (!body) return null;
  const from = Math.max(0, body.start - HEADLINE_WINDOW);
  const keys = texts.map(lineKey);
  const candidates: Candidate<number>[] = [];
  for (let i = from; i <= body.start; i++) {
    const text = texts[i];
    const w = weightOf(text);
    if (w < 3 || w > 40 || text.length > 300) continue;
    if (judge.isDate(text) || judge.isByline(text)) continue;
    if (/^[•·|>»–—-]/.test(text) || /^\d+$/.test(text)) continue;
    if (endsSentence(text) && !/[?!…]["'”’»)]?$/u.test(text) && w > 12) continue;
    const c = candidate(i, text, `line ${i + 1}`, 10, 'a single line of headline length');
    if (w >= 4 && w <= 25) adjust(c, 4, 'between 4 and 25 words');
    if (w === 3) adjust(c, -2, 'only three words');
    // A byline or date right under it.
    for (let j = i + 1; j <= Math.min(texts.length - 1, i + 8, body.start + 3); j++) {
      if (judge.isByline(texts[j]) || judge.isDate(texts[j])) {
        adjust(c, 12 - (j - i), `a ${judge.isByline(texts[j]) ? 'byline' : 'date'} ${j - i} line${j - i === 1 ? '' : 's'} below`);
        break;
      }
    }
    // The same words again elsewhere: the page's title area, breadcrumbs, share text.
    const key = keys[i];
    const repeats = keys.filter((k, j) => j !== i && k !== '' && (k === key || (k.startsWith(key) && k.length - key.length <= 40))).length;
    if (repeats > 0) adjust(c, Math.min(repeats, 2) * 3, 'repeated elsewhere on the page');
    // A standfirst (a longer sentence) right after it.
    const next = texts[i + 1];
    if (next && weightOf(next) > w && weightOf(next) <= 70 && !judge.isDate(next) && !judge.isByline(next)) adjust(c, 3, 'followed by a longer line');
    if (i === body.start) adjust(c, -6, 'the first line of the prose itself');
    adjust(c, -Math.round((body.start - i) * 0.15 * 10) / 10, 'distance from the story');
    if (/^[\p{Ll}]/u.test(text)) adjust(c, -4, 'starts in lower case');
    if (!/\s/.test(text) && w < 6) adjust(c, -6, 'one word');
    candidates.push(c);
  }
  const choice = choose('headline line', candidates);
  if (!choice.chosen) return null;
  // Short closing sentences ("Work will begin in the spring, a spokesperson said.") still belong to
  // the story; the page's furniture after it does not end in sentences.
  let end = body.end;
  for (let j = end + 1; j < texts.length && j - end <= MAX_GAP + 1; j++) {
    if (endsSentence(texts[j]) && weightOf(texts[j]) >= 5) end = j;
  }
  return { headline: choice.chosen.value, bodyStart: body.start, bodyEnd: end, choice };
}

function lineKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
