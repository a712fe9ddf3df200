// Keeps the importers' accuracy on the development set (../shared/data/import-dev, see its README)
// from falling below what they reach today. `npm run eval:import -- --verbose` shows every miss.
// The gold is Readability's expected metadata; where a person would name the headline or byline
// differently, import-gold-overrides.ts says so with a reason per page.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEV_DIR, evaluate, listPages, percent, type Evaluation } from '../../scripts/eval-import.ts';
import { GOLD_OVERRIDES } from './import-gold-overrides.ts';

// What the importers reached when this test was written, less a small margin (in percent).
const FLOORS = {
  html: { headline: 98, author: 97, date: 96 },
  // text dates: over the pages whose copy shows the gold day as a full date (see scripts/eval-import.ts).
  text: { headline: 88, author: 90, date: 90 },
} as const;

const haveDevSet = fs.existsSync(path.join(DEFAULT_DEV_DIR, 'README.md'));

describe.skipIf(!haveDevSet)('import accuracy on the development set', () => {
  let result: Evaluation;
  const run = () => (result ??= evaluate(DEFAULT_DEV_DIR));

  it('crashes on no page (a page that cannot be read is refused with a reason)', { timeout: 600_000 }, () => {
    const { crashes, results } = run();
    expect(results.filter((r) => r.crashed).map((r) => `${r.format} ${r.page}: ${r.crashed}`)).toEqual([]);
    expect(crashes).toEqual({ html: 0, text: 0 });
  });

  for (const format of ['html', 'text'] as const) {
    for (const field of ['headline', 'author', 'date'] as const) {
      it(`${format} ${field} stays at or above ${FLOORS[format][field]} %`, { timeout: 600_000 }, () => {
        const score = run().scores[format][field];
        expect(score.total).toBeGreaterThan(0);
        expect(percent(score)).toBeGreaterThanOrEqual(FLOORS[format][field]);
      });
    }
  }

  it('overrides only pages that exist, each with its reason', () => {
    const pages = new Set(listPages(DEFAULT_DEV_DIR));
    for (const [page, override] of Object.entries(GOLD_OVERRIDES)) {
      expect(pages.has(page), page).toBe(true);
      expect(override.reason.length, page).toBeGreaterThan(15);
    }
  });
});
