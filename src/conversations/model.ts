// How alive a conversation is, as numbers kept in the write path (issue 17 §3).
//
// Each readable comment weighs e^(−age/τ): 1 when just posted, ½ after one half-life. An article's
// activity is the sum over its comments. Summing weights that shrink with time would mean rewriting
// every row as the clock moves, so each row keeps instead the time-independent
//     key = ln Σ e^((tᵢ − epoch)/τ)
// and its activity at any instant is e^(key − (now − epoch)/τ). Ordering by key is ordering by
// activity, whatever the instant, so "Active now" is a plain ORDER BY on an index. Adding a comment
// is a log-add-exp, removing one (rejected, deleted) a log-subtract-exp, both one atomic UPDATE.

/** Half the weight after a quarter of an hour: a comment an hour old still counts 1/16. */
export const HALF_LIFE_MS = 15 * 60_000;
export const TAU_MS = HALF_LIFE_MS / Math.LN2;
/** Any fixed instant; it keeps keys small (a few ten thousands) so that doubles stay precise. */
export const EPOCH_MS = Date.UTC(2025, 0, 1);
/** "Active now" lists conversations with a readable comment within this window. */
export const ACTIVE_WINDOW_MS = 60 * 60_000;
/** e^−30 ≈ 1e−13: a term this much smaller than the sum changes nothing a double can hold. */
export const NEGLIGIBLE = 30;

/** A comment written at `at` as a term of the key. */
export function keyTerm(at: Date): number {
  return (at.getTime() - EPOCH_MS) / TAU_MS;
}

/** The recency-weighted count (in comments posted just now) a key stands for at `now`. */
export function activityAt(key: number | null, now: Date): number {
  return key === null ? 0 : Math.exp(key - keyTerm(now));
}

/** ln(e^key + e^term), the key with one more comment; the same rule as the SQL in store.ts. */
export function addTerm(key: number | null, term: number): number {
  if (key === null) return term;
  const hi = Math.max(key, term);
  return hi + Math.log1p(Math.exp(-Math.abs(key - term)));
}

/** ln(e^key − e^term), the key without one comment; null when nothing is left. */
export function removeTerm(key: number | null, term: number): number | null {
  if (key === null) return null;
  if (key - term > NEGLIGIBLE) return key;
  if (term >= key - 1e-9) return null;
  return key + Math.log1p(-Math.exp(term - key));
}

export interface ConversationSummary {
  articleId: number;
  slug: string;
  headline: string;
  commentCount: number;
  /** Comments weighted for recency (1 = one comment posted just now). */
  activity: number;
  lastCommentAt: Date | null;
}
