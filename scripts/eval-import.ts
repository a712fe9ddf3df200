// `npm run eval:import [DIR]`: per-field accuracy of the HTML and the whole-page-text importers over
// the development set (../shared/data/import-dev by default; each folder has page.html, page.txt and
// gold.json). test/articles/import-eval.slow.test.ts runs the same evaluation and keeps the figures up.
//
// How an answer is compared with the gold (after the documented overrides of
// test/articles/import-gold-overrides.ts are applied):
// - text copies are scored only on the headline and authors they show (the gold's words appear in
//   page.txt): synthetic test pages carry their title only in <title>, which a copy never contains.
// - headline: equal after normalising text: Unicode NFKC, case folded, curly quotes and dashes made
//   plain, whitespace collapsed, trailing full stops/ellipses dropped.
// - author: the same SET of person names (order ignored), each normalised like text with a leading
//   "By"/"Par"/"Por"/"Von"/"Written by" removed. Scored only on pages whose gold has an author.
// - date: the same calendar day in the article's own zone (publishedAt shown in timeZone), or the
//   same instant as the gold's publishedTime when that carries an offset. Scored only where the gold
//   has a date; for text copies, only where the copy shows that day as a full date in a common
//   format (showsDate: ISO, "27 March 2015", "March 27, 2015", "27.03.2015", "3/27/2015"… in English
//   and the page's language) — the gold often comes from metadata that a copy does not contain. The
//   score over every gold date is printed beside it ("date of all gold").
// A page on which the importer throws anything but an ImportError counts as a crash.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { parseHtmlArticle } from '../src/articles/import-html.ts';
import { parseTextArticle } from '../src/articles/import-text.ts';
import { ImportError, type ArticleDraft } from '../src/articles/model.ts';
import { GOLD_OVERRIDES, type GoldOverride } from '../test/articles/import-gold-overrides.ts';

export const DEFAULT_DEV_DIR = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'import-dev');

export interface Gold {
  lang?: string | null;
  title: string;
  author: string | null;
  date: string | null;
  publishedTime: string | null;
}

export type Field = 'headline' | 'author' | 'date';
export type Format = 'html' | 'text';

export interface FieldScore {
  correct: number;
  total: number;
}

export interface PageResult {
  page: string;
  format: Format;
  /** null when the importer refused the page (ImportError) or crashed. */
  draft: ArticleDraft | null;
  refused: string | null;
  crashed: string | null;
  fields: Partial<Record<Field, boolean>>;
}

export interface Evaluation {
  pages: number;
  results: PageResult[];
  scores: Record<Format, Record<Field, FieldScore>>;
  crashes: Record<Format, number>;
  /** Text dates scored over every page with a gold date, shown in the copy or not. */
  textDatesOfAllGold: FieldScore;
}

export function normalizeText(text: string | null | undefined): string {
  return (text ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’‚‛′`´]/g, "'")
    .replace(/[“”„‟″«»]/g, '"')
    .replace(/[‐‑‒–—―]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/[\s.…]+$/u, '')
    .trim();
}

export function normalizePerson(name: string): string {
  return normalizeText(name.replace(/^\s*(?:written by|by|par|por|von|di|door)\s+/i, ''));
}

/** "Jane Doe, John Roe and Ann Poe" → the set of names. */
export function personSet(names: string | string[]): Set<string> {
  const list = Array.isArray(names) ? names : names.split(/\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*/i);
  return new Set(list.map(normalizePerson).filter((n) => n !== ''));
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

export function headlineMatches(draft: ArticleDraft, gold: Gold): boolean {
  return normalizeText(draft.headline) === normalizeText(gold.title);
}

export function authorMatches(draft: ArticleDraft, gold: Gold): boolean {
  return sameSet(personSet(draft.authors.map((a) => a.name)), personSet(gold.author ?? ''));
}

export function dateMatches(draft: ArticleDraft, gold: Gold): boolean {
  if (!draft.publishedAt || !gold.date) return false;
  const local = DateTime.fromJSDate(draft.publishedAt, { zone: draft.timeZone });
  if (local.isValid && local.toISODate() === gold.date) return true;
  if (gold.publishedTime && /(?:Z|[+-]\d{2}:?\d{2})$/.test(gold.publishedTime)) {
    const instant = DateTime.fromISO(gold.publishedTime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (instant.isValid && instant.toMillis() === draft.publishedAt.getTime()) return true;
  }
  return false;
}

export function readGold(dir: string, page: string, overrides: Record<string, GoldOverride> = GOLD_OVERRIDES): Gold {
  const raw = JSON.parse(fs.readFileSync(path.join(dir, page, 'gold.json'), 'utf8')) as Gold;
  const override = overrides[page];
  return {
    lang: raw.lang ?? null,
    title: override?.title ?? raw.title,
    author: override && 'author' in override ? (override.author ?? null) : raw.author?.trim() || null,
    date: override && 'date' in override ? (override.date ?? null) : raw.date,
    publishedTime: override && 'date' in override ? null : raw.publishedTime,
  };
}

export function listPages(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'gold.json')))
    .map((d) => d.name)
    .sort();
}

function runImporter(format: Format, source: string): Pick<PageResult, 'draft' | 'refused' | 'crashed'> {
  try {
    const draft = format === 'html' ? parseHtmlArticle(source) : parseTextArticle(source);
    return { draft, refused: null, crashed: null };
  } catch (error) {
    if (error instanceof ImportError) return { draft: null, refused: error.message, crashed: null };
    return { draft: null, refused: null, crashed: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

export function evaluate(dir: string = DEFAULT_DEV_DIR, formats: readonly Format[] = ['html', 'text']): Evaluation {
  const pages = listPages(dir);
  const empty = (): Record<Field, FieldScore> => ({ headline: { correct: 0, total: 0 }, author: { correct: 0, total: 0 }, date: { correct: 0, total: 0 } });
  const scores: Evaluation['scores'] = { html: empty(), text: empty() };
  const crashes: Evaluation['crashes'] = { html: 0, text: 0 };
  const textDatesOfAllGold: FieldScore = { correct: 0, total: 0 };
  const results: PageResult[] = [];
  for (const page of pages) {
    const gold = readGold(dir, page);
    for (const format of formats) {
      const source = fs.readFileSync(path.join(dir, page, format === 'html' ? 'page.html' : 'page.txt'), 'utf8');
      const outcome = runImporter(format, source);
      if (outcome.crashed) crashes[format]++;
      const fields: PageResult['fields'] = {};
      const judge = (field: Field, applies: boolean, test: (d: ArticleDraft) => boolean) => {
        if (!applies) return;
        const ok = outcome.draft ? test(outcome.draft) : false;
        fields[field] = ok;
        scores[format][field].total++;
        if (ok) scores[format][field].correct++;
      };
      // A text copy is scored on what it shows: a headline or writer that only the HTML's <title> or
      // metadata carried is not in the copy, and no reader of the copy could name it.
      const shown = format === 'html' || shows(source, gold.title);
      const namesShown = format === 'html' || [...personSet(gold.author ?? '')].every((name) => shows(source, name));
      judge('headline', shown, (d) => headlineMatches(d, gold));
      judge('author', gold.author !== null && namesShown, (d) => authorMatches(d, gold));
      judge('date', gold.date !== null && (format === 'html' || showsDate(source, gold.date, gold.lang ?? null)), (d) => dateMatches(d, gold));
      if (format === 'text' && gold.date !== null) {
        textDatesOfAllGold.total++;
        if (outcome.draft && dateMatches(outcome.draft, gold)) textDatesOfAllGold.correct++;
      }
      results.push({ page, format, ...outcome, fields });
    }
  }
  return { pages: pages.length, results, scores, crashes, textDatesOfAllGold };
}

/** Whether the copy contains the words (after the same normalisation as the comparison). */
export function shows(copy: string, words: string): boolean {
  const squash = (t: string) => normalizeText(t).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return squash(copy).includes(squash(words));
}

// Full dates as pages print them; month names in English and in the page's language.
const DATE_FORMATS = [
  'yyyy-MM-dd', 'yyyy/MM/dd', 'yyyy.MM.dd', 'yyyy年M月d日',
  'd MMMM yyyy', 'dd MMMM yyyy', 'd. MMMM yyyy', 'MMMM d, yyyy', 'MMMM d yyyy', 'MMM d, yyyy', 'MMM. d, yyyy', 'd MMM yyyy', 'MMMM dd, yyyy',
  'dd.MM.yyyy', 'd.M.yyyy', 'dd.MM.yy', 'M/d/yyyy', 'MM/dd/yyyy', 'd/M/yyyy', 'dd/MM/yyyy', 'M/d/yy', 'dd-MM-yyyy',
];

/** Whether the copy shows the day (YYYY-MM-DD) as a full date in one of the common formats. */
export function showsDate(copy: string, isoDate: string, lang: string | null): boolean {
  const day = DateTime.fromISO(isoDate);
  if (!day.isValid) return false;
  const text = copy.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
  const locales = [...new Set(['en', ...(lang ? [lang.slice(0, 2)] : [])])];
  return locales.some((locale) =>
    DATE_FORMATS.some((format) => {
      const shown = day.setLocale(locale).toFormat(format).toLowerCase();
      // Not inside a longer number ("12/3/20151").
      const at = text.indexOf(shown);
      return at >= 0 && !/\d/.test(text[at + shown.length] ?? '') && !/\d/.test(text[at - 1] ?? '');
    }),
  );
}

export function percent(score: FieldScore): number {
  return score.total === 0 ? 100 : (100 * score.correct) / score.total;
}

function report(evaluation: Evaluation, verbose: boolean, dir: string): void {
  if (verbose) {
    for (const r of evaluation.results) {
      const wrong = (Object.keys(r.fields) as Field[]).filter((f) => !r.fields[f]);
      if (wrong.length === 0 && !r.crashed) continue;
      const gold = readGold(dir, r.page);
      const got = r.draft
        ? { headline: r.draft.headline, author: r.draft.authors.map((a) => a.name).join('; '), date: r.draft.publishedAt ? `${r.draft.publishedAt.toISOString()} ${r.draft.timeZone}` : null }
        : { refused: r.refused, crashed: r.crashed };
      console.log(`${r.format} ${r.page}: wrong ${wrong.join(', ')}`);
      console.log(`   got  ${JSON.stringify(got)}`);
      console.log(`   gold ${JSON.stringify({ headline: gold.title, author: gold.author, date: gold.date })}`);
    }
  }
  console.log(`import evaluation over ${evaluation.pages} pages (${dir})`);
  for (const format of ['html', 'text'] as const) {
    const s = evaluation.scores[format];
    if (s.headline.total === 0) continue;
    const cell = (f: Field) => `${f} ${percent(s[f]).toFixed(1)} % (${s[f].correct}/${s[f].total})`;
    const all = format === 'text' ? `  (date of all gold ${percent(evaluation.textDatesOfAllGold).toFixed(1)} % (${evaluation.textDatesOfAllGold.correct}/${evaluation.textDatesOfAllGold.total}))` : '';
    console.log(`${format.padEnd(5)} ${cell('headline')}  ${cell('author')}  ${cell('date')}  crashes ${evaluation.crashes[format]}${all}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose') || args.includes('-v');
  // `--only text` (or html) scores one importer: the text one runs in seconds, the HTML one in minutes.
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const dir = path.resolve(args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '--only') ?? DEFAULT_DEV_DIR);
  const formats: Format[] = args.includes('--only') && (only === 'html' || only === 'text') ? [only] : ['html', 'text'];
  report(evaluate(dir, formats), verbose, dir);
}
