// The labelled comments the spam classifier learns from (test/fixtures/spam/*.csv, the YouTube Spam
// Collection, one file per video), each marked with the file it came from: the classifier is judged
// on sources it was not trained on. Used by scripts/train-spam.ts, scripts/eval-spam.ts and the test
// that re-checks the committed model; nothing at request time reads it.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { decodeHTML } from 'entities';

export interface Example {
  id: string;
  text: string;
  spam: boolean;
  /** The file (without ".csv") it was read from: one page's comments, collected together. */
  source: string;
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(source: string): string[][] {
  return parse(source, { relax_column_count: true, bom: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
}

/**
 * The collection was scraped from YouTube's HTML: it still holds entities and a trailing byte-order
 * mark on many rows. A reader's comment reaches the classifier as plain text, so train on plain text.
 */
export function plainText(scraped: string): string {
  return decodeHTML(scraped)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/\ufeff/g, '')
    .trim();
}

export function examplesFromCsv(csv: string, source = 'csv'): Example[] {
  const [header, ...rows] = parseCsv(csv);
  const id = header.indexOf('COMMENT_ID');
  const content = header.indexOf('CONTENT');
  const label = header.indexOf('CLASS');
  if (id < 0 || content < 0 || label < 0) throw new Error('expected the columns COMMENT_ID, CONTENT and CLASS');
  return rows.filter((r) => r.length === header.length).map((r) => ({ id: r[id], text: plainText(r[content]), spam: r[label] === '1', source }));
}

export const SPAM_FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/spam');

/** Every example from every CSV in the folder, in file-name order so the result never depends on the file system. */
export function loadExamples(dir = SPAM_FIXTURES): Example[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
  return files.flatMap((f) => examplesFromCsv(fs.readFileSync(path.join(dir, f), 'utf8'), f.replace(/\.csv$/, '')));
}

/** mulberry32: a tiny seeded generator, so the folds are the same on every machine and every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FOLD_SEED = 20150101;

/**
 * Stratified folds: each class sorted by comment id, shuffled with the fixed seed and dealt out in
 * turn, so every fold keeps the balance of spam and legitimate comments and the result never depends
 * on the order the examples came in.
 */
export function stratifiedFolds(examples: Example[], count: number, seed = FOLD_SEED): Example[][] {
  const random = seededRandom(seed);
  const folds: Example[][] = Array.from({ length: count }, () => []);
  let next = 0;
  for (const spam of [false, true]) {
    const group = examples.filter((e) => e.spam === spam).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [group[i], group[j]] = [group[j], group[i]];
    }
    for (const example of group) folds[next++ % count].push(example);
  }
  return folds;
}

/** The examples grouped by the file they came from, in file-name order. */
export function bySource(examples: Example[]): Map<string, Example[]> {
  const groups = new Map<string, Example[]>();
  for (const source of [...new Set(examples.map((e) => e.source))].sort()) groups.set(source, examples.filter((e) => e.source === source));
  return groups;
}
