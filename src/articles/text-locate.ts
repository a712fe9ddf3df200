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
const MAX_GAP = 8;

interface Run {
  start: number;
  end: number;
  /** Words in its prose lines. */
  weight: number;
}

/** Every run of prose lines, allowing short gaps between them (captions, subheads, ads). */
export function proseRuns(texts: string[]): Run[] {
  const runs: Run[] = [];
  let current: Run | null = null;
  texts.forEach((text, i) => {
    if (!isProse(text)) return;
    const w = weightOf(text);
    if (current && i - current.end <= MAX_GAP + 1) {
      current.end = i;
      current.weight += w;
    } else {
      current = { start: i, end: i, weight: w };
      runs.push(current);
    }
  });
  return runs;
}

// A headline is followed by its story within this many lines (standfirst, byline, date, picture).
const STORY_FOLLOWS_WITHIN = 24;

export function locateArticle(texts: string[], judge: LineJudge): LocatedArticle | null {
  const runs = proseRuns(texts);
  if (runs.length === 0) return null;
  const heaviest = Math.max(...runs.map((r) => r.weight));
  const keys = texts.map(lineKey);
  const candidates: Candidate<number>[] = [];
  const bodies = new Map<Candidate<number>, Run>();
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    const w = weightOf(text);
    if (w < 2 || w > 40 || text.length > 300) continue;
    if (judge.isDate(text) || judge.isByline(text)) continue;
    if (/^[•·|>»–—-]/.test(text) || /^\d+\s*\/\s*\d+\b/.test(text)) continue;
    const run = runs.find((r) => r.end > i && r.start <= i + STORY_FOLLOWS_WITHIN && r.start >= i);
    if (!run) continue;
    const c = candidate(i, text, `line ${i + 1}`, 10, 'a single line of headline length');
    // The story that follows: the page's main run of prose, or a minor one (a teaser, a caption list).
    const share = run.weight / heaviest;
    adjust(c, Math.round(16 * share * 10) / 10, `followed by ${run.weight} words of prose (${Math.round(share * 100)} % of the page's longest run)`);
    adjust(c, -Math.round((run.start - i) * 0.25 * 10) / 10, `${run.start - i} lines before the prose`);
    if (w >= 4 && w <= 25) adjust(c, 4, 'between 4 and 25 words');
    if (w <= 3) adjust(c, -3, 'three words or fewer');
    if (endsSentence(text) && !/[?!…]["'”’»)]?$/u.test(text)) adjust(c, -8, 'ends with a full stop, as sentences do');
    // A byline or date right under it: the strongest sign of an article's header.
    for (let j = i + 1; j <= Math.min(texts.length - 1, i + 8); j++) {
      const byline = judge.isByline(texts[j]);
      if (byline || judge.isDate(texts[j])) {
        adjust(c, 16 - (j - i), `a ${byline ? 'byline' : 'date'} ${j - i} line${j - i === 1 ? '' : 's'} below`);
        break;
      }
    }
    // A standfirst follows its headline: a longer line right after a headline-like one is not the headline.
    const previous = texts[i - 1];
    if (previous && weightOf(previous) >= 4 && weightOf(previous) <= 25 && !endsSentence(previous) && !judge.isDate(previous) && !judge.isByline(previous)) {
      adjust(c, -3, 'comes right after a headline-like line');
    }
    // The same words again elsewhere: the page's title area, breadcrumbs, share text.
    const key = keys[i];
    const repeats = keys.filter((k, j) => j !== i && k !== '' && (k === key || (k.startsWith(key) && k.length - key.length <= 40))).length;
    if (repeats > 0 && key.length >= 12) adjust(c, Math.min(repeats, 2) * 3, 'repeated elsewhere on the page');
    const next = texts[i + 1];
    if (next && weightOf(next) > w && weightOf(next) <= 70 && !judge.isDate(next) && !judge.isByline(next)) adjust(c, 2, 'followed by a longer line');
    if (i === run.start) adjust(c, -6, 'the first line of the prose itself');
    if (/^[\p{Ll}]/u.test(text)) adjust(c, -4, 'starts in lower case');
    if (/^(?:image|photo|photograph|picture|credit|illustration|video|foto|bild)s?\s*[:：]|\((?:[^()]*\b(?:getty|reuters|afp|ap|epa|shutterstock|photo|images?)\b[^()]*)\)$/iu.test(text)) {
      adjust(c, -10, 'a picture caption or credit');
    }
    candidates.push(c);
    bodies.set(c, run);
  }
  const choice = choose('headline line', candidates);
  if (!choice.chosen) return null;
  const body = bodies.get(choice.chosen)!;
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
