// "5 minutes ago" for the conversation island: how long ago, in the page's language. Past a week the
// exact date (which the server wrote) says more than "3 weeks ago", so there is no relative text.

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
