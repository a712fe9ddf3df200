// Judges the spam classifier across sources: for each file of test/fixtures/spam, trains weights and
// calibration on the other files and scores that one. Prints one row per fold and threshold, and the
// worst fold at the default hold threshold.
// Run: npm run eval:spam
import { loadExamples } from '../src/moderation/classifier/dataset.ts';
import { crossSourceFolds, worstFold } from '../src/moderation/classifier/training.ts';
import { DEFAULT_MODERATION_SETTINGS } from '../src/moderation/model.ts';

const threshold = DEFAULT_MODERATION_SETTINGS.spamHoldThreshold;
const thresholds = [...new Set([0.5, threshold, 0.9])].sort();
const started = performance.now();
const folds = crossSourceFolds(loadExamples(), thresholds);
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

const rows = folds.flatMap((fold) =>
  fold.evaluations.map((e) => [
    fold.heldOut,
    fold.trainedOn.join(' + '),
    e.threshold === threshold ? `${e.threshold} (default)` : String(e.threshold),
    percent(e.precision),
    percent(e.recall),
    `${e.truePositives}/${e.truePositives + e.falseNegatives}`,
    `${e.falsePositives}/${e.falsePositives + e.trueNegatives}`,
  ]),
);
const header = ['tested on (held out)', 'trained on', 'hold at', 'precision', 'recall', 'spam held', 'legitimate held'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
// Calibration: of the held-out comments given a score in each band, how many were spam.
console.log('\ncalibration on held-out comments (all folds):');
for (const [low, high] of [[0, 0.1], [0.1, 0.3], [0.3, 0.5], [0.5, 0.7], [0.7, 0.9], [0.9, 1.01]]) {
  const band = folds.flatMap((f) => f.scored).filter((s) => s.score >= low && s.score < high);
  const spam = band.filter((s) => s.spam).length;
  console.log(`  score ${low.toFixed(1)}–${Math.min(high, 1).toFixed(1)}: ${String(band.length).padStart(3)} comments, ${band.length ? percent(spam / band.length) : '–'} spam`);
}
const worst = worstFold(folds, threshold);
console.log(`\nworst fold at ${threshold}: precision ${percent(worst.precision)}, recall ${percent(worst.recall)} (target ≥ 97% and ≥ 85%)`);
console.log(`${folds.length} folds in ${((performance.now() - started) / 1000).toFixed(1)} s`);
