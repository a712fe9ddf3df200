// A reply that starts with what it answers: the quoted text as a Markdown block quote, then an empty
// line for the reader's own words. Shared by the server (the no-JavaScript reply page, `?quote=1`)
// and the conversation island (the reader's selection), so both quote alike.

/** The longest quotation a reply starts with; a reader quotes a passage, not a whole essay. */
export const QUOTE_MAX = 600;

export function quoteAsMarkdown(text: string): string {
  let clean = text.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  if (clean.length === 0) return '';
  if (clean.length > QUOTE_MAX) clean = `${clean.slice(0, QUOTE_MAX).replace(/\s+\S*$/, '')} …`;
  return `${clean
    .split('\n')
    .map((line) => (line.trim() ? `> ${line.trim()}` : '>'))
    .join('\n')}\n\n`;
}
