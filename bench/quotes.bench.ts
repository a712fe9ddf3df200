// Who's quoted: time to find the quotes of one article, on the hand-annotated articles (test/quotes/gold),
// next to the time the text importer takes to read the same article, in the same run (so the figure
// that matters is the ratio: how much extraction adds to an import). The first extraction also pays
// for compromise's lexicon; it is reported apart. Run alone: `node bin/run-ts.js bench/quotes.bench.ts`.
import path from 'node:path';
import { parseTextArticle } from '../src/articles/import-text.ts';
import { loadGold } from '../src/quotes/evaluate.ts';
import { ROOT } from './lib.ts';

const ROUNDS = Number(process.env.BENCH_QUOTES_ROUNDS ?? 20);
const gold = loadGold(path.join(ROOT, 'test', 'quotes', 'gold'));
const sources = gold.map((g) => `${g.name.replace(/-/g, ' ')}\n\nBy A Reporter\n\n${g.paragraphs.join('\n\n')}\n`);

const coldStart = performance.now();
const { extractQuotes } = await import('../src/quotes/extract.ts');
extractQuotes(gold[0]!.paragraphs);
const coldMs = performance.now() - coldStart;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// The first pass meets every name for the first time (compromise's readings of names are remembered).
let t0 = performance.now();
for (const g of gold.slice(1)) extractQuotes(g.paragraphs);
const firstPassMs = (performance.now() - t0) / (gold.length - 1);

/** Milliseconds per article for each round over all articles; the two tasks alternate round by round. */
const extractMs: number[] = [];
const importMs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let t = performance.now();
  for (const g of gold) extractQuotes(g.paragraphs);
  extractMs.push((performance.now() - t) / gold.length);
  t = performance.now();
  for (const s of sources) {
    try {
      parseTextArticle(s);
    } catch {
      // A refused page still cost its work.
    }
  }
  importMs.push((performance.now() - t) / sources.length);
}

const words = gold.reduce((n, g) => n + g.paragraphs.join(' ').split(/\s+/).length, 0) / gold.length;
const e = median(extractMs);
const i = median(importMs);
console.log(`${gold.length} articles (≈ ${Math.round(words)} words each), ${ROUNDS} rounds, medians`);
console.log(`first extraction in a process (loads compromise's lexicon): ${coldMs.toFixed(0)} ms`);
console.log(`quote extraction per article, names not seen before:  ${firstPassMs.toFixed(2)} ms`);
console.log(`quote extraction per article, names seen before:      ${e.toFixed(2)} ms`);
console.log(`text import of the same article (parseTextArticle):   ${i.toFixed(2)} ms`);
console.log(`extraction / import ratio (names seen / not seen):    ${(e / i).toFixed(2)} / ${(firstPassMs / i).toFixed(2)}`);
