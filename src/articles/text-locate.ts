// Finding the article inside a whole-page text copy (select-all and copy): navigation, cookie
// banners, section menus, "Skip to…" lines, share bars and related-story lists stand around it.
//
// The body is the longest run of prose on the page: long lines that read as sentences, with at most
// a few short lines (captions, subheads, "Advertisement") between them. The headline is a single
// line before that run, usually followed within a few lines by a byline and/or a date, often
// repeated in the page's title area ("Headline - Site"), and close to where the prose starts.
import { adjust, candidate, choose, type Candidate, type FieldChoice } from './extract/candidates.ts';
import { endsLikeProse, endsSentence, endsWithAbbreviation, wordCount } from './text-lines.ts';
import { overlap, termsOf } from './text-overlap.ts';

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
  /** The line is a row of a table (its cells were separated by tabs). */
  isTableRow?(index: number): boolean;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/** Words, counting two Chinese/Japanese/Korean characters as one. */
export function weightOf(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  return wordCount(text.replace(CJK, ' ')) + Math.round(cjk / 2);
}

function isProse(text: string): boolean {
  if (isNavigation(text)) return false;
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

// Runs of prose further apart than this belong to different things (the story, its related list).
const MAX_SECTION_GAP = 40;

/** Lines between two runs that could separate them: a video player's or gallery's controls ("Mute", "50%", "Cyan") are one or two words each, and a hundred of them still sit inside one story. */
function separatingLines(texts: string[], from: number, to: number): number {
  let count = 0;
  for (let j = from; j < to; j++) if (weightOf(texts[j]) >= 3) count++;
  return count;
}

/** Runs close enough to be sections of one body, as runs with their summed weight. */
function chainRuns(runs: Run[], texts: string[]): Run[] {
  const chains: Run[] = [];
  for (const run of runs) {
    const last = chains[chains.length - 1];
    if (last && separatingLines(texts, last.end + 1, run.start) <= MAX_SECTION_GAP) {
      last.end = run.end;
      last.weight += run.weight;
    } else chains.push({ ...run });
  }
  return chains;
}

function proseWeightBetween(texts: string[], from: number, to: number): number {
  let weight = 0;
  for (let j = from; j < to; j++) if (isProse(texts[j])) weight += weightOf(texts[j]);
  return weight;
}

// Words about the site and the reader's session, never in a news headline's own words.
const SITE_VOCABULARY =
  /\b(?:sign(?:ed)? (?:in|up|out)|log(?:ged)? ?(?:in|out)|privacy (?:terms|policy|settings)|cookies? (?:policy|settings)|subscribe|newsletters?|comments|search|editor['’]s picks|publish changes|having trouble)\b/i;

// How much of the story a headline's words are looked for in: its opening, where a story restates its subject.
const STORY_TERMS_WORDS = 1500;

// Prose above a line, in the same run, that makes the line a subhead.
const SUBHEAD_AFTER_WORDS = 40;

// A headline is followed by its story within this many lines (standfirst, byline, date, picture).
const STORY_FOLLOWS_WITHIN = 24;

export function locateArticle(texts: string[], judge: LineJudge): LocatedArticle | null {
  const runs = proseRuns(texts);
  if (runs.length === 0) return null;
  // A story's sections (split by a table of contents, a table, code or a gallery) are one body for
  // judging what a line heads: runs close to each other are chained.
  const chains = chainRuns(runs, texts);
  const chainOf = (run: Run) => chains.find((chain) => chain.start <= run.start && chain.end >= run.end)!;
  const heaviest = Math.max(...chains.map((r) => r.weight));
  const keys = texts.map(lineKey);
  const candidates: Candidate<number>[] = [];
  const bodies = new Map<Candidate<number>, Run>();
  const headerLine = (t: string | undefined) => t !== undefined && (judge.isDate(t) || judge.isByline(t));
  // Headline-like: a line of headline length that is not a sentence, a date or a byline.
  // Lines that open with the same three words as a neighbour are a run of link labels ("Link externo,
  // abre página da … no Twitter", "… no Instagram"), not headlines.
  const openingOf = (t: string | undefined) => (t === undefined ? '' : t.toLowerCase().split(/\s+/).slice(0, 3).join(' '));
  const labels = new Set(
    texts.filter((t, i) => wordCount(t) >= 3 && wordCount(t) <= 15 && [texts[i - 1], texts[i + 1]].some((n) => n !== undefined && n !== t && wordCount(n) >= 3 && openingOf(n) === openingOf(t))),
  );
  const headlineLike = (t: string | undefined) => {
    if (t === undefined || headerLine(t) || isCaption(t) || labels.has(t)) return false;
    const w = weightOf(t);
    // Questions and exclamations are headlines too ("What Did We Learn from the Switch Leak?").
    return w >= 4 && w <= 25 && (!endsLikeProse(t) || /[?!…]["'”’»)]*$/u.test(t));
  };
  // Each tagline's title: the line right above it, or, past a run of page tabs ("Article", "Talk",
  // "Edit", "View history"), the line above the tabs.
  const titledTaglines = new Map<number, number>();
  texts.forEach((t, at) => {
    if (!isTagline(t) || at === 0) return;
    let run = 0;
    while (run < 10 && at - run - 1 >= 0 && weightOf(texts[at - run - 1]) <= 2) run++;
    const title = run >= 3 ? at - run - 1 : at - 1;
    if (title >= 0) titledTaglines.set(title, at);
  });
  // The words of the story that starts at a line: its prose, up to a few hundred words.
  const termsFrom = new Map<number, Set<string>>();
  const storyTerms = (start: number, end: number) => {
    let terms = termsFrom.get(start);
    if (!terms) {
      const prose: string[] = [];
      let words = 0;
      for (let j = start; j <= end && words < STORY_TERMS_WORDS; j++) {
        if (!isProse(texts[j])) continue;
        prose.push(texts[j]);
        words += weightOf(texts[j]);
      }
      terms = termsOf(prose);
      termsFrom.set(start, terms);
    }
    return terms;
  };
  // A line inside a body (its runs of prose, chained across code, tables and galleries), after at
  // least a paragraph of it: a subhead.
  const isSubhead = (j: number) => {
    const body = chains.find((chain) => chain.start < j && chain.end > j);
    return body !== undefined && proseWeightBetween(texts, body.start, j) >= SUBHEAD_AFTER_WORDS;
  };
  const teaserAt = (j: number) => headlineLike(texts[j]) && (headerLine(texts[j + 1]) || headerLine(texts[j + 2]));
  const teaserNear = (i: number) => [-4, -3, -2, 2, 3, 4].some((d) => i + d >= 0 && i + d < texts.length && teaserAt(i + d));
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    const w = weightOf(text);
    if (w < 1 || w > 40 || text.length > 300) continue;
    if (headerLine(text) || judge.isTableRow?.(i) || isNavigation(text)) continue;
    // A headline that reads as a sentence may itself open a run of prose: the story starts after it.
    let run = runs.find((r) => r.end > i && r.start <= i + STORY_FOLLOWS_WITHIN);
    // An encyclopedia's title (its site's tagline under it) heads the page's main body, past the
    // infobox and the contents that stand between them.
    if (titledTaglines.has(i)) {
      const main = chains.filter((chain) => chain.start > i).sort((a, b) => b.weight - a.weight)[0];
      if (main && (!run || main.weight > chainOf(run).weight)) run = runs.find((r) => r.start === main.start);
    }
    if (!run) continue;
    let storyStart = Math.max(run.start, i + 1);
    while (storyStart < run.end && !isProse(texts[storyStart])) storyStart++;
    const c = candidate(i, text, `line ${i + 1}`, 10, 'a single line of headline length');
    // The story that follows: the page's main run of prose, or a minor one (a teaser, a caption list).
    const chain = chainOf(run);
    const after = chain.weight - proseWeightBetween(texts, chain.start, i);
    // A short story under its header beats a long list elsewhere: the share counts, but not linearly.
    const share = after / heaviest;
    adjust(c, Math.round(16 * Math.sqrt(share) * 10) / 10, `followed by ${after} words of prose (${Math.round(share * 100)} % of the page's longest body)`);
    // Prose of the same body above it: a subhead or a table-of-contents entry, not the headline.
    const above = proseWeightBetween(texts, Math.min(run.start, i), i);
    // A headline is about its story: its words come back in the prose below; a teaser's do not.
    const shared = overlap(text, storyTerms(storyStart, chain.end));
    // Half is enough to be about it (the rest is the headline's own turn of phrase); a fifth or less is about something else.
    if (shared.terms >= 2) {
      const points = shared.share >= 0.5 ? 4 : shared.share <= 0.2 ? -5 : -5 + ((shared.share - 0.2) / 0.3) * 9;
      adjust(c, Math.round(points * 10) / 10, `${Math.round(shared.share * 100)} % of its words recur in the story below`);
    }
    if (above >= 120) adjust(c, -10, `${above} words of the same body above it (a subhead)`);
    else if (above >= 40) adjust(c, -7, `${above} words of the same body above it`);
    if (/^\d+(?:\.\d+)+\.?\s|^\d+\.\s/u.test(text)) adjust(c, -6, 'numbered like a section');
    // A timestamp or a date run into a word ("Yahoo FinanceOctober 13, 2016"): a meta line or a comment's header.
    if (/\b\d{1,2}:\d{2}\b|\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\p{Ll}(?:January|February|March|April|May|June|July|August|September|October|November|December)\b/u.test(text)) {
      adjust(c, -8, 'carries a timestamp');
    }
    if (/^by\s/i.test(text)) adjust(c, -10, 'starts with "By", as credits do');
    // Reference marks ("…New Zealand[164]", "[n 1]", "[citation needed]") belong to captions, tables and body text.
    if (/\[(?:\d{1,4}|[a-z]{1,2} ?\d{1,3}|citation needed)\]/iu.test(text)) adjust(c, -10, 'carries a reference mark');
    if (/\s[#¶§]$/u.test(text)) adjust(c, -8, 'ends with a permalink mark, as subheads do');
    if (SITE_VOCABULARY.test(text)) adjust(c, -10, 'speaks of the site (sign-in, privacy, comments, search)');
    adjust(c, -Math.round(Math.min(storyStart - i, STORY_FOLLOWS_WITHIN) * 0.25 * 10) / 10, `${storyStart - i} lines before the prose`);
    let headerBelow = 0;
    // A byline or date right under it: the strongest sign of an article's header.
    if (isTagline(text)) adjust(c, -12, 'names the site it is from (a tagline)');
    else {
      // Page tabs ("Article", "Talk", "Edit") may stand between an encyclopedia's title and its tagline.
      const tagline = titledTaglines.get(i);
      if (tagline !== undefined) {
        headerBelow = tagline - i;
        adjust(c, 14, `the site's tagline ${tagline - i === 1 ? 'right below' : 'below, past the page tabs'} (an encyclopedia's title area)`);
      }
    }
    for (let j = i + 1; j <= Math.min(texts.length - 1, i + 8) && headerBelow === 0; j++) {
      const byline = judge.isByline(texts[j]);
      if (byline || judge.isDate(texts[j])) {
        headerBelow = j - i;
        adjust(c, 18 - 2 * (j - i), `a ${byline ? 'byline' : 'date'} ${j - i} line${j - i === 1 ? '' : 's'} below`);
        break;
      }
    }
    // A date line just above (dateline bars, "21 September 2020" / "SQL" / the headline): weaker than
    // one below, which teaser lists also have.
    if (headerBelow === 0 && w >= 4) {
      for (let j = i - 1; j >= Math.max(0, i - 2); j--) {
        if (judge.isDate(texts[j])) {
          adjust(c, 6, `a date ${i - j} line${i - j === 1 ? '' : 's'} above`);
          break;
        }
      }
    }
    if (w >= 4 && w <= 25) adjust(c, 4, 'between 4 and 25 words');
    // Menus and section labels are one to three words; so are a few real titles, which then stand
    // right above their byline or date.
    if (w <= 3) adjust(c, headerBelow > 0 && headerBelow <= 2 ? -3 : -8, 'three words or fewer');
    // The last item of a menu or of page tabs: one- and two-word lines right above it.
    if (w <= 2 && i >= 2 && weightOf(texts[i - 1]) <= 2 && weightOf(texts[i - 2]) <= 2) adjust(c, -6, 'ends a run of one- and two-word lines (a menu)');
    if (endsSentence(text) && !/[?!…]["'”’»)]?$/u.test(text) && !endsWithAbbreviation(text)) adjust(c, -8, 'ends with a full stop, as sentences do');
    // A standfirst follows its headline: a longer line right after a headline-like one is not the headline.
    // (A caption may stand between the headline and its standfirst.)
    const previousAt = i >= 2 && isCaption(texts[i - 1]) ? i - 2 : i - 1;
    const previous = texts[previousAt];
    if (previous && weightOf(previous) >= 4 && weightOf(previous) <= 25 && !endsSentence(previous) && !headerLine(previous) && !isCaption(previous) && !labels.has(previous)) {
      // …but a kicker (a series or section label, "Seascape: the state of our oceans") is shorter than
      // the headline it tops; a label that ends a list of such lines is the list's, not a kicker.
      const kicker = isKicker(previous, text) && !headlineLike(texts[previousAt - 1]);
      if (!kicker && weightOf(text) > weightOf(previous)) adjust(c, -5, 'comes right after a shorter headline-like line (a standfirst)');
      else if (!kicker) adjust(c, -3, 'comes right after a headline-like line');
    }
    const following = texts[i + 1];
    if (following && isKicker(text, following) && headlineLike(following) && !headlineLike(previous) && [2, 3, 4].some((d) => headerLine(texts[i + d]))) {
      adjust(c, -4, 'a short line above a longer headline and its header (a kicker)');
    }
    // Related-story lists: headline-like lines one after another, none with a standfirst or byline.
    if (headlineLike(previous) && headlineLike(texts[i + 1])) adjust(c, -5, 'one of a list of headline-like lines');
    // Teaser lists ("Recommended", "Latest"): headline, byline or date, headline, byline or date…
    // A story's own header is not repeated a few lines above or below.
    if (headerBelow > 0 && headerBelow <= 2 && teaserNear(i)) adjust(c, -8, 'one of a list of headlines each with its byline or date');
    // The same words again elsewhere: the page's title area, breadcrumbs, share text.
    const key = keys[i];
    // But a line that comes back as a subhead inside a body (after some of its prose) is an entry of a
    // table of contents, or a reader quoting a subhead in a comment, not a title.
    const repeatsAt = keys.flatMap((k, j) => (j !== i && k !== '' && (k === key || (k.startsWith(key) && k.length - key.length <= 40)) ? [j] : []));
    // (Like the repeats above, only lines long enough to be specific: a name or a label recurs anywhere.)
    const subheadCopy = key.length >= 12 && repeatsAt.some((j) => keys[j] === key && isSubhead(j));
    const repeats = repeatsAt.filter((j) => !isSubhead(j)).length;
    if (repeats > 0 && key.length >= 12) adjust(c, Math.min(repeats, 2) * 3, 'repeated elsewhere on the page');
    if (subheadCopy) adjust(c, -6, 'comes back as a subhead inside a body (a table of contents, a quote)');
    const next = texts[i + 1];
    if (next && weightOf(next) > w && weightOf(next) <= 70 && !headerLine(next) && (endsLikeProse(next) || w <= 3)) {
      adjust(c, w <= 3 ? -2 : 2, w <= 3 ? 'a label above a longer line' : 'followed by a longer line (a standfirst)');
    }
    if (isProse(text) && headerBelow === 0) adjust(c, -6, 'the first line of the prose itself');
    if (/^\p{Ll}[\p{Ll}'’-]*(?:\s|$)/u.test(text)) adjust(c, -8, 'starts with a lower-case word');
    if (labels.has(text)) adjust(c, -6, 'one of a run of lines that open alike (link labels)');
    if (isCaption(text)) adjust(c, -10, 'a picture caption or credit');
    else if (following !== undefined && following.startsWith(text) && following.length > text.length && isCaption(following)) {
      adjust(c, -10, "a picture's alt text above its caption");
    }
    candidates.push(c);
    bodies.set(c, { ...run, start: storyStart });
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

// A kicker has at most this many words and is shorter than the headline under it.
const MAX_KICKER_WORDS = 6;

/** Whether `above` reads as the kicker of `headline`: a short label over a longer line that is not a sentence. */
function isKicker(above: string, headline: string): boolean {
  const w = weightOf(above);
  return w <= MAX_KICKER_WORDS && weightOf(headline) > w && weightOf(headline) <= 25 && !endsSentence(headline.replace(/[?!…]["'”’»)]*$/u, ''));
}

/** "From Wikipedia, the free encyclopedia": the site naming itself under a title. */
function isTagline(text: string): boolean {
  return /^[Ff]rom\s+\p{Lu}[\p{L}\p{N} .'’-]{1,40},\s+(?:the|a|an|la|le|el|die|der|das)\s[^.!?]{3,60}$/u.test(text);
}

/**
 * Menus, breadcrumbs and pagers: several items on one line ("Home | News | Sport", "« Previous |
 * Next »", "Home > Science > Article"), a kicker or label that leads into what follows ("Biz & IT —",
 * "Sponsored by", "Filed under:"), or a search box's prompt.
 */
function isNavigation(text: string): boolean {
  // (Separators may be doubled: "首页 >> 教育资讯 >> 正文".)
  if ((text.match(/\s(?:[|>›»/]{1,2}|::)\s|[|│]/g)?.length ?? 0) >= 2) return true;
  if (/[«»]/.test(text) && text.length < 40) return true;
  // Pagers ("Next Work →"), rules and table borders drawn with symbols, wiki pointers ("Main article: …").
  if (/[←→]/u.test(text) || !/\p{L}{2}/u.test(text)) return true;
  if (/^(?:main articles?|see also|further information|for other uses)\s*:/i.test(text)) return true;
  // Buttons whose labels ran together ("ProfileFollowUnfollow", "ShopSubscribe").
  if (/\p{Lu}\p{Ll}+\p{Lu}\p{Ll}+\p{Lu}\p{Ll}+/u.test(text) && wordCount(text) <= 3) return true;
  if (/^\/\/|^\d+\s*\/\s*\d+\b/.test(text) || /^[•·|>»–—\-+*^]/.test(text)) return true;
  if (/(?:[—–:|›>]|\b(?:by|of|from|in|to|with|and|the|is|are))$/iu.test(text)) return true;
  return false;
}

// Picture agencies whose name ends a caption ("… Getty Images", "… (Reuters)", "… Prakash Mathema/AFP").
const AGENCY = String.raw`getty(?: images)?|reuters|afp|ap(?: photo)?|epa(?:-efe)?|shutterstock|alamy|istock(?:photo)?|pa(?: images| wire| media)?|bloomberg|corbis|rex(?: features)?|xinhua|dpa|ansa|efe|anadolu|sipa|abaca|zuma(?: press)?|nurphoto`;
const CAPTION = new RegExp(
  String.raw`(?:^|\s[-–—|]\s|[.!?]\s)(?:image|photo|photograph|picture|credit|illustration|video|foto|bild)s?\s*[:：]` +
    String.raw`|[.)”](?:Credit|Photo|Foto)(?=\p{Lu}|[\s:])` +
    String.raw`|\((?:[^()]*\b(?:${AGENCY}|photo|images?)\b[^()]*)\)$` +
    String.raw`|\s(?:${AGENCY})$`,
  'iu',
);
// "… Benoit Tessier/Reuters", "… Prakash Mathema/AFP": a photographer and an agency at the end (case matters).
const PHOTOGRAPHER_AND_AGENCY = /\s\p{Lu}[\p{L}.'’-]+(?:\s\p{Lu}[\p{L}.'’-]+)*\s?\/\s?\p{Lu}[\p{L}.'’-]*(?:\s\p{Lu}[\p{L}.'’-]+)*$/u;

/** A picture's caption or credit line, as copied under a picture. */
export function isCaption(text: string): boolean {
  return CAPTION.test(text) || PHOTOGRAPHER_AND_AGENCY.test(text);
}

function lineKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
