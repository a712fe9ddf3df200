import type MarkdownItClass from 'markdown-it';
import { lazyModule } from '../lazy-module.ts';
import { MENTION } from '../community/model.ts';
import { COMMENT_LINK_REL, plainCommentHtml } from './plain-comment-html.ts';

// Comments are a small Markdown subset: paragraphs, emphasis, links, block quotes, lists and inline
// code. Raw HTML is off, so every tag in the output is one markdown-it wrote itself; links are limited
// to http, https and mailto, and marked as user content that passes no ranking and no opener.

// markdown-it loads with the first comment rendered, not with the server (nor with the CLI commands
// that never render one).
const markdownIt = lazyModule<typeof MarkdownItClass>('markdown-it');
type MarkdownIt = InstanceType<typeof MarkdownItClass>;
let renderer: MarkdownIt | null = null;

function makeRenderer(): MarkdownIt {
  const md = new (markdownIt())('zero', { html: false, linkify: true, breaks: true })
    .enable(['paragraph', 'newline', 'emphasis', 'link', 'autolink', 'linkify', 'blockquote', 'list', 'backticks', 'escape', 'entity']);

  const SAFE_LINK = /^(https?:|mailto:)/i;
  md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx]!;
    token.attrSet('rel', COMMENT_LINK_REL);
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'target');
    return self.renderToken(tokens, idx, options);
  };

  // "@handle" links to the reader's page (the community feature notifies them). A core rule over the
  // finished inline tokens, so text inside links and code is left alone.
  md.core.ruler.push('mention', (state) => {
    for (const block of state.tokens) {
      if (block.type !== 'inline' || !block.children) continue;
      const out: typeof block.children = [];
      let inLink = 0;
      for (const token of block.children) {
        if (token.type === 'link_open') inLink++;
        if (token.type === 'link_close') inLink--;
        if (token.type !== 'text' || inLink > 0 || !token.content.includes('@')) {
          out.push(token);
          continue;
        }
        let last = 0;
        for (const match of token.content.matchAll(MENTION)) {
          const start = match.index + match[1]!.length;
          const handle = match[2]!.toLowerCase();
          const before = new state.Token('text', '', 0);
          before.content = token.content.slice(last, start);
          const open = new state.Token('link_open', 'a', 1);
          open.attrs = [['href', `/readers/${handle}`], ['class', 'mention']];
          const text = new state.Token('text', '', 0);
          text.content = `@${match[2]}`;
          out.push(before, open, text, new state.Token('link_close', 'a', -1));
          last = start + 1 + match[2]!.length;
        }
        const rest = new state.Token('text', '', 0);
        rest.content = token.content.slice(last);
        out.push(rest);
      }
      block.children = out;
    }
  });
  return md;
}

/** markdown-it's HTML of a comment body: the reference the direct road below must give byte for byte. */
export function renderWithMarkdownIt(source: string): string {
  return (renderer ??= makeRenderer()).render(source).trim();
}

/**
 * The HTML of a comment body; safe to insert as it is. Most bodies are plain paragraphs, perhaps with
 * some emphasis: they are written directly (plain-comment-html.ts), at a fraction of markdown-it's cost
 * (a token per word run and delimiter, its link normalisation, linkify's validation); the others, and
 * anything that direct road does not follow, go to markdown-it.
 */
export function renderCommentHtml(source: string): string {
  return plainCommentHtml(source) ?? renderWithMarkdownIt(source);
}
