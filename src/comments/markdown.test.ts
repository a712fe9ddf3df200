import { describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import { renderCommentHtml } from './markdown.ts';

/** What a browser would build from the HTML: every element, with its attributes. */
function parse(html: string): Element[] {
  return [...JSDOM.fragment(html).querySelectorAll('*')];
}


describe('comment Markdown', () => {
  it('renders the subset: paragraphs, emphasis, links, quotes, lists, inline code', () => {
    const html = renderCommentHtml('Hello *you* and **all**.\n\n> quoted\n\n- one\n- two\n\n1. first\n\nuse `x < y` [here](https://example.org/a)');
    expect(html).toContain('<p>Hello <em>you</em> and <strong>all</strong>.</p>');
    expect(html).toContain('<blockquote>\n<p>quoted</p>\n</blockquote>');
    expect(html).toContain('<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
    expect(html).toContain('<ol>\n<li>first</li>\n</ol>');
    expect(html).toContain('<code>x &lt; y</code>');
    expect(html).toContain('<a href="https://example.org/a" rel="nofollow ugc noopener">here</a>');
  });

  it('leaves headings, images, tables, rules and fenced code as plain text', () => {
    const html = renderCommentHtml('# Big\n\n![alt](https://x.test/i.png)\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(html).not.toMatch(/<h1|<img|<hr|<table/);
    expect(html).toContain('# Big');
  });

  it('links bare addresses with the same rel and no target', () => {
    expect(renderCommentHtml('see https://example.org')).toBe('<p>see <a href="https://example.org" rel="nofollow ugc noopener">https://example.org</a></p>');
  });

  const attacks: [string, string][] = [
    ['script tag', '<script>alert(1)</script>'],
    ['img onerror', '<img src=x onerror=alert(1)>'],
    ['svg onload', '<svg onload=alert(1)>'],
    ['event handler in a link title', '[x](https://a.test "\\" onmouseover=\\"alert(1)")'],
    ['javascript: link', '[click](javascript:alert(1))'],
    ['JavaScript: mixed case', '[click](JaVaScRiPt:alert(1))'],
    ['entity-encoded javascript:', '[click](&#106;avascript:alert(1))'],
    ['tab inside the scheme', '[click](java\tscript:alert(1))'],
    ['data: URL', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['vbscript:', '[click](vbscript:msgbox(1))'],
    ['autolink javascript:', '<javascript:alert(1)>'],
    ['iframe', '<iframe src="https://evil.test"></iframe>'],
    ['style tag', '<style>body{display:none}</style>'],
    ['html inside a list', '- <b onclick="alert(1)">x</b>'],
  ];

  for (const [name, payload] of attacks) {
    it(`neutralises ${name}`, () => {
      const html = renderCommentHtml(payload);
      const elements = parse(html);
      const allowed = new Set(['P', 'A', 'EM', 'STRONG', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'CODE', 'BR']);
      expect(elements.map((e) => e.tagName).filter((t) => !allowed.has(t))).toEqual([]);
      for (const element of elements) {
        expect([...element.attributes].map((a) => a.name).filter((n) => n.startsWith('on'))).toEqual([]);
        const href = element.getAttribute('href');
        if (href !== null) expect(href).toMatch(/^(https?:|mailto:)/i);
      }
    });
  }
});
