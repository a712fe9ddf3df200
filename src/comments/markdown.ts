import MarkdownIt from 'markdown-it';

// Comments are a small Markdown subset: paragraphs, emphasis, links, block quotes, lists and inline
// code. Raw HTML is off, so every tag in the output is one markdown-it wrote itself; links are limited
// to http, https and mailto, and marked as user content that passes no ranking and no opener.

const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true })
  .enable(['paragraph', 'newline', 'emphasis', 'link', 'autolink', 'linkify', 'blockquote', 'list', 'backticks', 'escape', 'entity']);

const SAFE_LINK = /^(https?:|mailto:)/i;
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.attrSet('rel', 'nofollow ugc noopener');
  token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'target');
  return self.renderToken(tokens, idx, options);
};

/** The HTML of a comment body; safe to insert as it is. */
export function renderCommentHtml(source: string): string {
  return md.render(source).trim();
}
