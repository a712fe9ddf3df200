import { describe, expect, it } from 'vitest';
import { renderCommentHtml } from './markdown.ts';
import { QUOTE_MAX, quoteAsMarkdown } from './quote.ts';

describe('quoteAsMarkdown', () => {
  it('quotes every line and leaves room for the answer', () => {
    expect(quoteAsMarkdown('First line\r\nsecond line')).toBe('> First line\n> second line\n\n');
    expect(quoteAsMarkdown('One\n\n\n\nTwo')).toBe('> One\n>\n> Two\n\n');
    expect(quoteAsMarkdown('   ')).toBe('');
  });

  it('shortens a long passage at a word', () => {
    const quoted = quoteAsMarkdown('word '.repeat(400));
    expect(quoted.length).toBeLessThan(QUOTE_MAX + 10);
    expect(quoted).toMatch(/word …\n\n$/);
  });

  it('renders as a block quote through the comment renderer', () => {
    expect(renderCommentHtml(`${quoteAsMarkdown('They said <b>this</b>')}I disagree.`)).toMatch(/<blockquote>[\s\S]*They said &lt;b&gt;this&lt;\/b&gt;[\s\S]*<\/blockquote>[\s\S]*I disagree\./);
  });
});
