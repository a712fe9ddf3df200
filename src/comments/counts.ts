// How the conversation's counts read (respects, replies), in one place for the server's markup and the
// island's updates: the island imports this module, so it stays free of server code.

/** "1 respect", "2 respects", "0 respects". */
export function respectCount(n: number): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? 'respect' : 'respects'}`;
}

/** The Respect button's accessible name: what it does and how many gave it, e.g. "Respect — 2 respects". */
export function respectLabel(n: number): string {
  return `Respect — ${respectCount(n)}`;
}

/** The unit after the number in `<span class="comment__count">2</span> respects`. */
export const respectUnit = (n: number): string => (n === 1 ? 'respect' : 'respects');

/** A folded thread's summary: what a click shows. */
export const showRepliesText = (count: number): string => (count === 1 ? 'Show 1 reply' : `Show ${count.toLocaleString('en-GB')} replies`);
