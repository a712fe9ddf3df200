import TurndownService from 'turndown';
import { renderCommentHtml } from '../comments/markdown.ts';
import { normaliseBody } from '../comments/model.ts';
import { headingMarkdown, imageMarkdown, isMention, linkMarkdown, REMOVED_TAGS, TURNDOWN_OPTIONS } from './body-rules.ts';
import { simpleHtmlTree } from './simple-html.ts';
import { simpleTreeToMarkdown } from './simple-markdown.ts';

// Another system's HTML becomes our Markdown subset (turndown), and the stored HTML is what our own
// renderer makes of that Markdown: no tag or attribute of the source ever reaches a page or an export.
// A plain body takes a faster road to the same Markdown (simple-html.ts, simple-markdown.ts), and
// renderCommentHtml takes one to the same HTML (comments/plain-comment-html.ts).

type TurndownElement = { getAttribute(name: string): string | null };

const turndown = new TurndownService(TURNDOWN_OPTIONS);
turndown.addRule('heading', { filter: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'], replacement: (content) => headingMarkdown(content) });
turndown.addRule('image', { filter: 'img', replacement: (_c, node) => imageMarkdown((node as unknown as TurndownElement).getAttribute('alt')) });
turndown.remove([...REMOVED_TAGS]);
turndown.addRule('link', {
  filter: (node) => node.nodeName === 'A' && node.getAttribute('href') !== null && !isMention(node.getAttribute('class')),
  replacement: (content, node) => linkMarkdown(content, (node as unknown as TurndownElement).getAttribute('href') ?? ''),
});
turndown.addRule('mention', {
  filter: (node) => node.nodeName === 'A' && isMention(node.getAttribute('class')),
  replacement: (content) => content,
});

/** The Markdown of a body through turndown's own HTML parser: what the fast path must always agree with. */
export function htmlToMarkdownByTurndown(html: string): string {
  if (!html.trim()) return '';
  return turndown.turndown(html).trim();
}

export function htmlToMarkdown(html: string): string {
  if (!html.trim()) return '';
  const tree = simpleHtmlTree(html);
  return tree ? simpleTreeToMarkdown(tree).trim() : turndown.turndown(html).trim();
}

/** The stored body and its HTML, rendered as a posted comment's is. */
export function importedBody(source: { html?: string; markdown?: string }): { body: string; bodyHtml: string } {
  const body = normaliseBody(source.markdown ?? htmlToMarkdown(source.html ?? ''));
  return { body, bodyHtml: body ? renderCommentHtml(body) : '' };
}
