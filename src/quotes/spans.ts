// Finding the quoted spans of an article's paragraphs. Newspapers write a quote that runs over several
// paragraphs by opening each paragraph with a quotation mark and closing only the last one; a span that
// is still open at the end of its paragraph is marked `continues` so the next paragraph's opening span
// inherits its speaker.

export interface QuoteSpan {
  paragraph: number;
  /** Offsets of the quotation marks themselves in the paragraph's text. */
  open: number;
  close: number;
  /** The words between the marks, trimmed of the comma that hands over to the attribution. */
  text: string;
  /** Still open when the paragraph ended. */
  continues: boolean;
  /** Opens its paragraph and follows a span left open at the end of the previous one. */
  continuation: boolean;
}

const OPENING = new Set(['“', '„', '«']);
const CLOSING = new Set(['”', '»']);

/** Straight quotes open or close depending on what is before them, like a reader would tell. */
function straightQuoteOpens(text: string, at: number, inside: boolean): boolean {
  if (inside) return false;
  const before = at === 0 ? ' ' : text[at - 1]!;
  return /[\s([{\-–—:]/.test(before) || at === 0;
}

export function quoteText(raw: string): string {
  return raw
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[,;:]$/, '')
    .trim();
}

export function findSpans(paragraphs: readonly string[]): QuoteSpan[] {
  const spans: QuoteSpan[] = [];
  let carried = false;
  paragraphs.forEach((text, paragraph) => {
    let openAt = -1;
    let continuation = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      const inside = openAt >= 0;
      if (OPENING.has(ch) || (ch === '"' && straightQuoteOpens(text, i, inside))) {
        // A second opening mark inside a quote is a typo or a nested quote: keep the outer one.
        if (!inside) {
          openAt = i;
          continuation = carried && spans.filter((s) => s.paragraph === paragraph).length === 0 && text.slice(0, i).trim() === '';
        }
      } else if ((CLOSING.has(ch) || ch === '"') && inside) {
        spans.push({ paragraph, open: openAt, close: i, text: quoteText(text.slice(openAt + 1, i)), continues: false, continuation });
        openAt = -1;
        continuation = false;
      }
    }
    carried = false;
    if (openAt >= 0) {
      spans.push({ paragraph, open: openAt, close: text.length, text: quoteText(text.slice(openAt + 1)), continues: true, continuation });
      carried = true;
    }
  });
  return spans.filter((s) => s.text.length > 0);
}
