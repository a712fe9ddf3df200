// How the conversation's counts read (respects, replies), in one place for the server's markup and the
// island's updates: the island imports this module, so it stays free of server code. The words come
// in the page's language (words.ts).
import { countText, formatNumber, type StreamWords } from './words.ts';

/** The unit after the number in "2 respects". */
export const respectUnit = (n: number, w: StreamWords): string => countText(w.respects, n, w.lang);

/** A comment's respects as its footer writes them: "2 respects", the number as the page's language writes it. */
export const respectCountText = (n: number, w: StreamWords): string => `${countNumber(n, w)} ${respectUnit(n, w)}`;

/** The Respect button's accessible name: what it does and how many gave it, e.g. "Respect — 2 respects". */
export const respectLabel = (n: number, w: StreamWords): string => countText(w.respectLabel, n, w.lang);

/** A folded thread's summary: what a click shows. */
export const showRepliesText = (n: number, w: StreamWords): string => countText(w.showReplies, n, w.lang);

/** The number in a count's span, as the page's language writes it. */
export const countNumber = (n: number, w: StreamWords): string => formatNumber(n, w.lang);
