import TurndownService from 'turndown';
import { renderCommentHtml } from '../comments/markdown.ts';
import { normaliseBody } from '../comments/model.ts';

// Another system's HTML becomes our Markdown subset (turndown), and the stored HTML is what our own
// renderer makes of that Markdown: no tag or attribute of the source ever reaches a page or an export.

const turndown = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', emDelimiter: '*', bulletListMarker: '-', br: '' });
// What our subset cannot show is kept as its text: a heading is a strong line, a picture its words.
turndown.addRule('heading', { filter: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'], replacement: (content) => `\n\n**${content.trim()}**\n\n` });
turndown.addRule('image', { filter: 'img', replacement: (_c, node) => (node as unknown as { getAttribute(n: string): string | null }).getAttribute('alt') ?? '' });
turndown.remove(['script', 'style', 'iframe', 'object', 'embed', 'form']);
// Links keep only an address our renderer allows (no title, no `javascript:`); any other keeps its words.
const SAFE_LINK = /^(https?:|mailto:)/i;
turndown.addRule('link', {
  filter: (node) => node.nodeName === 'A' && node.getAttribute('href') !== null && !(node.getAttribute('class') ?? '').split(/\s+/).includes('mention'),
  replacement: (content, node) => {
    const href = ((node as unknown as { getAttribute(n: string): string | null }).getAttribute('href') ?? '').trim();
    if (!SAFE_LINK.test(href) || !content.trim()) return content;
    return `[${content}](${href.replace(/([()])/g, '\\$1')})`;
  },
});
// A mention Parley wrote (`<a class="mention" href="/readers/x">@x</a>`) goes back to `@x`.
turndown.addRule('mention', {
  filter: (node) => node.nodeName === 'A' && (node.getAttribute('class') ?? '').split(/\s+/).includes('mention'),
  replacement: (content) => content,
});

export function htmlToMarkdown(html: string): string {
  if (!html.trim()) return '';
  return turndown.turndown(html).trim();
}

/** The stored body and its HTML. */
export function importedBody(source: { html?: string; markdown?: string }): { body: string; bodyHtml: string } {
  const body = normaliseBody(source.markdown ?? htmlToMarkdown(source.html ?? ''));
  return { body, bodyHtml: body ? renderCommentHtml(body) : '' };
}
