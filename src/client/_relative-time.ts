// "5 minutes ago" for the conversation island: how long ago, in the page's language, kept fresh. Past a week the
// exact date (which the server wrote) says more than "3 weeks ago", so there is no relative text.

import { COMMENT_HEADER } from './_comment.ts';

/** The times it rewrites: each comment's in its thread, and each in the Featured list's summaries. */
const TIMES = `${COMMENT_HEADER} time, .comment__meta time`;

// Each unit, and how many of it make the next.
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
];

/** The relative wording of `at` seen at `now` (milliseconds), or null when the exact date is better. */
export function relativeTime(at: number, now: number, format: Intl.RelativeTimeFormat): string | null {
  if (!Number.isFinite(at)) return null;
  let value = (at - now) / 60_000;
  // Under a minute (or a clock a little ahead of the server's): "now".
  if (Math.abs(value) < 1) return format.format(0, 'second');
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return format.format(Math.trunc(value), unit);
    value /= size;
  }
  return null;
}

/**
 * Writes "5 minutes ago" into every comment's time under `root`, and keeps it fresh: one timer for the
 * whole conversation, and at once for comments that arrive later (live, more replies, more comments).
 * The server writes the exact time (shared, cacheable HTML never goes stale) as the text only; it is
 * kept in `title` before the relative one is written (a title per comment in the page was the same
 * words twice, some 2.5 KB of a page of eighty comments). Returns what stops it.
 */
export function keepTimesFresh(root: HTMLElement): () => void {
  const relative = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: 'auto' });
  function freshenTimes(): void {
    const now = Date.now();
    for (const time of root.querySelectorAll<HTMLTimeElement>(TIMES)) {
      if (!time.title) time.title = time.textContent ?? '';
      const text = relativeTime(Date.parse(time.dateTime), now, relative);
      if (text !== null && time.textContent !== text) time.textContent = text;
    }
  }
  freshenTimes();
  const timer = setInterval(freshenTimes, 30_000);
  const arrivals = new MutationObserver(freshenTimes);
  arrivals.observe(root, { childList: true, subtree: true });
  return () => {
    clearInterval(timer);
    arrivals.disconnect();
  };
}
