// Evidence for one field of an article (headline, authors, date), gathered from every source a page
// offers, scored, and kept with its reasons so `parley import --dry-run --explain` can show why the
// winner won.

export interface Candidate<T> {
  value: T;
  /** What the value looks like to a person (for --explain). */
  shown: string;
  /** Where it came from: "json-ld headline", "h1", "meta author", "text line 12"… */
  source: string;
  score: number;
  reasons: string[];
}

export interface FieldChoice<T> {
  field: string;
  chosen: Candidate<T> | null;
  /** Every candidate, best first. */
  candidates: Candidate<T>[];
}

export type Explanation = FieldChoice<unknown>[];

export function candidate<T>(value: T, shown: string, source: string, score: number, reason: string): Candidate<T> {
  return { value, shown, source, score, reasons: [`${reason} (${score >= 0 ? '+' : ''}${score})`] };
}

/** Adds `points` to the candidate's score with the reason why. */
export function adjust<T>(c: Candidate<T>, points: number, reason: string): void {
  if (points === 0) return;
  c.score += points;
  c.reasons.push(`${reason} (${points > 0 ? '+' : ''}${points})`);
}

/** The best candidate (first in document/source order among equals), above `minimum` if given. */
export function choose<T>(field: string, candidates: Candidate<T>[], minimum = -Infinity): FieldChoice<T> {
  const ranked = candidates.map((c, i) => ({ c, i })).sort((a, b) => b.c.score - a.c.score || a.i - b.i).map(({ c }) => c);
  const best = ranked[0];
  return { field, chosen: best && best.score >= minimum ? best : null, candidates: ranked };
}

/** A plain-text account of the choices, one block per field. */
export function formatExplanation(explanation: Explanation, maxCandidates = 8): string {
  const lines: string[] = [];
  for (const choice of explanation) {
    lines.push(`${choice.field}: ${choice.chosen ? JSON.stringify(choice.chosen.shown) : '(none)'}`);
    choice.candidates.slice(0, maxCandidates).forEach((c) => {
      const mark = c === choice.chosen ? '*' : ' ';
      lines.push(`  ${mark} ${String(c.score).padStart(4)}  ${c.source}: ${JSON.stringify(c.shown.slice(0, 120))}`);
      lines.push(`          ${c.reasons.join('; ')}`);
    });
    if (choice.candidates.length > maxCandidates) lines.push(`    … ${choice.candidates.length - maxCandidates} more`);
  }
  return lines.join('\n');
}
