import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGold, scoreArticle, totals } from '../../src/quotes/evaluate.ts';

// Issue 17's targets for Who's quoted, on the articles annotated by hand in test/quotes/gold (their
// provenance and the annotation rules are in its README): ≥ 90 % precision and ≥ 80 % recall of
// (speaker, quote) pairs. `npm run eval:quotes -- --verbose` shows what is missed or wrong.

describe('quote attribution against the hand-annotated articles', () => {
  const gold = loadGold(path.join(import.meta.dirname, 'gold'));

  it('has at least 15 annotated articles, the seed among them', () => {
    expect(gold.length).toBeGreaterThanOrEqual(15);
    expect(gold.map((g) => g.name)).toContain('seed-independent-tillerson');
  });

  it('reaches 90 % precision and 80 % recall', () => {
    const t = totals(gold.map(scoreArticle));
    expect(t.precision).toBeGreaterThanOrEqual(0.9);
    expect(t.recall).toBeGreaterThanOrEqual(0.8);
  }, 60_000);
});
