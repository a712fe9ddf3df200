import fs from 'node:fs';
import path from 'node:path';
import TurndownService from 'turndown';
import { describe, expect, it } from 'vitest';
import { htmlToMarkdown, htmlToMarkdownByTurndown, importedBody } from '../../src/migrate-comments/bodies.ts';
import { workerConverter } from '../../src/migrate-comments/body-converter.ts';
import { simpleHtmlTree } from '../../src/migrate-comments/simple-html.ts';
import { escapeMarkdown } from '../../src/migrate-comments/simple-markdown.ts';
import { readSource } from '../../src/migrate-comments/sources/index.ts';
import type { Source } from '../../src/migrate-comments/model.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

// The fast road for plain bodies (simple-html.ts + simple-markdown.ts) must write exactly the Markdown
// turndown writes from the same HTML: on every body of the real exports, on thousands of generated
// bodies (well formed, misnested and broken), and for turndown's escaping. Where the fast road
// declines a body, turndown converts it, so the outputs agree by construction; the tests also check
// that the fast road is taken where it should be, or they would prove nothing.

const IMPORTS = process.env.PARLEY_IMPORT_SAMPLES ?? '/work/shared/data/imports';

async function bodiesOf(source: Source, file: string): Promise<string[]> {
  const bodies: string[] = [];
  for await (const item of readSource(source, file)) if (item.kind === 'comment' && item.html) bodies.push(item.html);
  return bodies;
}

const WORDS = [
  'word', 'The council', 'met', ' ', '  ', '\n', '\t', ' \n ', 'a_b', 'snake_case', '*star*', '**', '`tick`', '```', '[x]', '](y)', '\\', '# not a heading', '#hash',
  '- dash', '+ plus', '+plus', '1. one', '12. twelve', '3)', '> quote', '=== ', '~~~', '~', '&amp;', '&lt;b&gt;', '&quot;', '&#39;', '&#x41;', '&nbsp;', '\u00a0', 'café',
  'naïve', '😀', 'http://example.com/a_b', 'www.example.org', 'mail@example.net', '@someone', '<3', 'a < b', '1 > 0', '&copy;', '&hellip;', '&amp', '&notit;', '\u2003',
];
const INLINE = ['em', 'i', 'strong', 'b', 'u', 's', 'span', 'code', 'a', 'small', 'sub', 'sup', 'del', 'q', 'cite'];
const BLOCK = ['p', 'blockquote', 'ul', 'ol', 'li', 'pre', 'h2', 'h4'];
const HREFS = ['https://example.com/x', 'http://example.com/a(b)', 'mailto:me@example.net', 'javascript:alert(1)', '/readers/ann', ' https://example.com/space ', 'https://example.com/a b', '', '#top'];

function attributes(tag: string, r: ReturnType<typeof seededRandom>): string {
  if (tag === 'a') {
    const parts = [];
    if (r.next() < 0.85) parts.push(`href="${r.pick(HREFS)}"`);
    if (r.next() < 0.2) parts.push('class="mention"');
    if (r.next() < 0.2) parts.push('title="A &quot;title&quot;"');
    return parts.length ? ` ${parts.join(' ')}` : '';
  }
  if (tag === 'ol' && r.next() < 0.4) return ` start="${r.pick(['3', '0', 'x', ''])}"`;
  if (tag === 'code' && r.next() < 0.3) return ' class="language-js"';
  if (r.next() < 0.1) return ' class="x" data-y="1"';
  return '';
}

function generate(r: ReturnType<typeof seededRandom>, depth: number, chaos: number): string {
  let out = '';
  const parts = 1 + Math.floor(r.next() * 5);
  for (let i = 0; i < parts; i++) {
    const roll = r.next();
    if (roll < 0.35 || depth > 4) out += r.pick(WORDS);
    else if (roll < 0.45) out += r.pick(['<br>', '<br/>', '<br />', '<img alt="a picture">', '<img src="x.png">']);
    else {
      const tag = roll < 0.75 ? r.pick(INLINE) : r.pick(BLOCK);
      const inner = tag === 'pre' && r.next() < 0.5 ? `<code${attributes('code', r)}>${r.pick(['\nline one\n  line two\n', 'x ``` y', '```\ninside\n````', 'a < b && c'])}</code>` : generate(r, depth + 1, chaos);
      // Now and then something a browser's parser repairs: an end tag left out, or one too many.
      const close = r.next() < chaos ? r.pick(['', `</${r.pick([...INLINE, ...BLOCK])}>`, '</p>', '</br>']) : `</${tag}>`;
      out += `<${tag}${attributes(tag, r)}>${inner}${close}`;
    }
  }
  return out;
}

describe('plain bodies take a faster road to the same Markdown', () => {
  it('agrees with turndown on every body of the real exports', async () => {
    const bodies = [
      ...(await bodiesOf('disqus', path.join(IMPORTS, 'isso-disqus.xml'))),
      ...(await bodiesOf('disqus', path.join(IMPORTS, 'remark42-disqus.xml'))),
      ...(await bodiesOf('wordpress', path.join(IMPORTS, 'isso-wordpress.xml'))),
    ];
    expect(bodies.length).toBeGreaterThanOrEqual(15);
    let fast = 0;
    for (const html of bodies) {
      if (simpleHtmlTree(html)) fast++;
      expect(htmlToMarkdown(html), html).toBe(htmlToMarkdownByTurndown(html));
    }
    // Nearly every real comment is plain; the rest went to turndown.
    expect(fast / bodies.length).toBeGreaterThan(0.8);
  });

  it('agrees with turndown on thousands of generated bodies, well formed or not', () => {
    let fast = 0;
    const n = 1500;
    for (let seed = 1; seed <= n; seed++) {
      const r = seededRandom(seed);
      const html = generate(r, 0, seed % 3 === 0 ? 0.15 : 0);
      if (simpleHtmlTree(html)) fast++;
      const expected = htmlToMarkdownByTurndown(html);
      if (htmlToMarkdown(html) !== expected) expect({ seed, html, markdown: htmlToMarkdown(html) }).toEqual({ seed, html, markdown: expected });
    }
    console.log(`fast road taken for ${fast} of ${n} generated bodies`);
    expect(fast).toBeGreaterThan(n / 5);
    // turndown itself takes most of the time (a few ms a body on a busy machine).
  }, 180_000);

  it('declines what only a full HTML parser builds right', () => {
    for (const html of [
      '<p>one<p>two',
      '<p>a <em>b<p>c</p></em></p>',
      '<p>list<ul><li>x</li></ul></p>',
      '<ul><li>a<em>b<li>c</li></em></li></ul>',
      '<b><i>x</b></i>',
      '<a href="https://a.example">one <em><a href="https://b.example">two</a></em></a>',
      'text</p>more',
      'a</em>b',
      '<br></br>',
      '<div>block</div>',
      '<table><tr><td>cell</td></tr></table>',
      '<p>a<!-- comment -->b</p>',
      'fish &amp chips',
      'x &notit; y',
      '<em>left open',
      '<script>alert(1)</script>',
      'a\u0000b',
    ]) {
      expect(simpleHtmlTree(html), html).toBeNull();
      expect(htmlToMarkdown(html)).toBe(htmlToMarkdownByTurndown(html));
    }
  });

  it('takes the fast road for the usual comment', () => {
    const html = '<p>I <em>really</em> agree with <a href="https://example.com/a_b">this_piece</a>.</p><blockquote><p>Quoted *text*</p></blockquote><ul><li>one</li><li>two<br>lines</li></ul><pre><code>\nconst x = 1;\n</code></pre>';
    expect(simpleHtmlTree(html)).not.toBeNull();
    expect(htmlToMarkdown(html)).toBe(htmlToMarkdownByTurndown(html));
    expect(htmlToMarkdown(html)).toBe('I *really* agree with [this\\_piece](https://example.com/a_b).\n\n> Quoted \\*text\\*\n\n-   one\n-   two\n    lines\n\n```\n\nconst x = 1;\n```');
  });

  it('escapes text exactly as turndown does', () => {
    const turndown = new TurndownService();
    const r = seededRandom(42);
    const pieces = ['-', '+', '+ ', '=', '==', '#', '## ', '####### ', '~~~', '~~', '>', '1. ', '12. ', '1.', '*', '_', '`', '[', ']', '\\', ' ', 'a', '9', '\n'];
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let k = 1 + Math.floor(r.next() * 6); k > 0; k--) text += r.pick(pieces);
      if (escapeMarkdown(text) !== turndown.escape(text)) expect({ text, escaped: escapeMarkdown(text) }).toEqual({ text, escaped: turndown.escape(text) });
    }
  });
});

describe('conversion on worker threads (large imports)', () => {
  it('gives each batch back in order, converted exactly as in place', async () => {
    const sources = [
      ...(await bodiesOf('disqus', path.join(IMPORTS, 'isso-disqus.xml'))).map((html) => ({ html })),
      { markdown: 'Already **Markdown** from Commento' },
      { html: '<p>Deleted or empty bodies stay empty</p>' },
      { html: '' },
    ];
    expect(fs.existsSync(path.join(IMPORTS, 'isso-disqus.xml'))).toBe(true);
    const converter = workerConverter(2);
    try {
      const batches = await Promise.all([converter.convert(sources), converter.convert(sources.slice(1)), converter.convert([])]);
      expect(batches[0]).toEqual(sources.map(importedBody));
      expect(batches[1]).toEqual(sources.slice(1).map(importedBody));
      expect(batches[2]).toEqual([]);
    } finally {
      await converter.close();
    }
  }, 60_000);
});
