// How another system's HTML is written in our Markdown subset, where we differ from turndown's
// defaults. Used by turndown's configuration (bodies.ts) and by the fast path for plain bodies
// (simple-markdown.ts), so that both write the same Markdown.

export const TURNDOWN_OPTIONS = { headingStyle: 'atx', codeBlockStyle: 'fenced', emDelimiter: '*', bulletListMarker: '-', br: '' } as const;

/** Removed with their content: never text of the comment. */
export const REMOVED_TAGS = ['script', 'style', 'iframe', 'object', 'embed', 'form'] as const;

/** What our subset cannot show is kept as its text: a heading is a strong line. */
export const headingMarkdown = (content: string) => `\n\n**${content.trim()}**\n\n`;

/** A picture keeps its words. */
export const imageMarkdown = (alt: string | null) => alt ?? '';

/** A mention Parley wrote (`<a class="mention" href="/readers/x">@x</a>`) goes back to `@x`. */
export const isMention = (className: string | null) => (className ?? '').split(/\s+/).includes('mention');

// Links keep only an address our renderer allows (no title, no `javascript:`); any other keeps its words.
const SAFE_LINK = /^(https?:|mailto:)/i;

export function linkMarkdown(content: string, rawHref: string): string {
  const href = rawHref.trim();
  if (!SAFE_LINK.test(href) || !content.trim()) return content;
  return `[${content}](${href.replace(/([()])/g, '\\$1')})`;
}
