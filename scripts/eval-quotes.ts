import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGold, scoreArticle, totals } from '../src/quotes/evaluate.ts';

// `npm run eval:quotes`: precision and recall of (speaker, quote) pairs on the hand-annotated articles
// in test/quotes/gold. `--verbose` lists every miss and every wrong pair.

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'quotes', 'gold');
const verbose = process.argv.includes('--verbose');
const scores = loadGold(dir).map(scoreArticle);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

for (const s of scores) {
  console.log(`${s.name.padEnd(32)} gold ${String(s.gold).padStart(3)}  found ${String(s.found).padStart(3)}  right ${String(s.matched).padStart(3)}`);
  if (verbose) {
    for (const m of s.missed) console.log(`    missed  ${m.speaker}: “${m.text.slice(0, 90)}”`);
    for (const w of s.wrong) console.log(`    wrong   ${w.speaker}: “${w.text.slice(0, 90)}”`);
  }
}
const t = totals(scores);
console.log(`\n${t.articles} articles, ${t.gold} annotated pairs, ${t.found} found, ${t.matched} right`);
console.log(`precision ${pct(t.precision)} (target ≥ 90 %)`);
console.log(`recall    ${pct(t.recall)} (target ≥ 80 %)`);
process.exitCode = t.precision >= 0.9 && t.recall >= 0.8 ? 0 : 1;
