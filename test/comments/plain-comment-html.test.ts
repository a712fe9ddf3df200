import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCommentHtml, renderWithMarkdownIt } from '../../src/comments/markdown.ts';
import { normaliseBody } from '../../src/comments/model.ts';
import { htmlToMarkdown } from '../../src/migrate-comments/bodies.ts';
import type { Source } from '../../src/migrate-comments/model.ts';
import { plainCommentHtml } from '../../src/comments/plain-comment-html.ts';
import { readSource } from '../../src/migrate-comments/sources/index.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

// The direct rendering of plain bodies (plain-comment-html.ts) must give exactly the bytes markdown-it
// gives (renderWithMarkdownIt), whenever it answers at all: on every body of the sample exports, on
// the generated bodies of the benchmark, and on tens of thousands of random strings made of the
// characters and constructs that change markdown-it's output. Each test also checks that the direct
// road is taken often enough to prove something.

const IMPORTS = process.env.PARLEY_IMPORT_SAMPLES ?? '/work/shared/data/imports';

/** What importedBody renders: the stored Markdown of each comment of a sample export. */
async function markdownOf(source: Source, file: string): Promise<string[]> {
  const bodies: string[] = [];
  for await (const item of readSource(source, path.join(IMPORTS, file))) {
    if (item.kind !== 'comment') continue;
    const body = normaliseBody(item.markdown ?? htmlToMarkdown(item.html ?? ''));
    if (body) bodies.push(body);
  }
  return bodies;
}

/** Mostly words, spaces and emphasis (the road must be taken), with everything that makes markdown-it differ. */
const COMMON = ['word', 'The council', 'met', 'again', ' ', ' ', ' ', '*', '**', ' *some words* ', ' **strong** ', '*x*', '\n', '\n\n', '.', ',', '!', '?', '’', 'café', 'x', ' [a link](https://example.org) ', '[the report](https://example.org/news/2026/report?page=2&lang=en#top)'];
/** Links of every shape: the plain kind the direct road follows, and those it must leave to markdown-it. */
const LINKS = [
  '[x](https://example.com)', '[two words](http://a.example/path)', '[x](https://bücher.example/ü)', '[x](https://a.example/%41%zz)', '[x](https://a.example/a*b*c)',
  '[x](https://a.example/"q")', "[x](https://a.example/it's)", '[x](https://a.example/a|b{c}^)', '[x](HTTPS://A.example)', '[x](ftp://a.example)', '[x](javascript:alert(1))',
  '[x](https://a.example "title")', '[x]( https://a.example)', '[x](https://a.example )', '[x](<https://a.example>)', '[x](https://a.example/(y))', '[x](https://a.example/a\\b)',
  '![x](https://a.example)', '[](https://a.example)', '[*x*](https://a.example)', '[https://b.example](https://a.example)', '[a.example](https://a.example)', '[x][y]', '[x]',
  '[x](https://a.example)[y](https://b.example)', '[x(y)](https://a.example)', '[x!](https://a.example)', '[x &amp; y](https://a.example)', '[x](https://a.example/&amp;)',
  '[x\ny](https://a.example)', '[x](https://a.example/\ny)', '[x](https://a.example/ü?q=ä&r=2#ß)', '(see [x](https://a.example))', 'https://a.example', '[x](https://a.example/`)',
];
const RARE = [
  '***', '  ', '   \n', ' \n', '\n\n\n', '\n ', '\n  ', '_', '__', '`', '``', '[', ']', '](x)', '\\', '\\*', '<', '>', '<3', '<https://a.example>', '"', "'", '&', '&amp;',
  '&copy;', '&#39;', '&x;', 'R&D', ':', '://', 'http://example.com', 'https://example.com/a_b', 'example.com', 'foo.bar', 'www.example.org', 'localhost', '1.2.3.4',
  'mail@example.net', '@someone', '@', '- ', '-', '+ ', '+', '> ', '# ', '#', '1. ', '1) ', '12.', '3', '=', '==', '~', '~~x~~', '(', ')', '¡', '“', '”', '—', '–',
  '\u00a0', '\u3000', '\u2003', '\t', '\r\n', '\u0000', '😀', '\ud83d', '\ude00', 'ε', '٪', '€', '$', '%', '^', '{', '}', '|', '/', '//',
];

function generate(r: ReturnType<typeof seededRandom>): string {
  let out = '';
  for (let k = 1 + Math.floor(r.next() * 24); k > 0; k--) {
    const roll = r.next();
    out += roll < 0.9 ? r.pick(COMMON) : roll < 0.95 ? r.pick(LINKS) : r.pick(RARE);
  }
  return out;
}

/** Each body rendered both ways: the direct road's answer, when it gives one, must be markdown-it's. */
function compare(bodies: string[]): number {
  let taken = 0;
  for (const body of bodies) {
    // What comments are stored with, whichever road it took.
    expect(renderCommentHtml(body)).toBe(renderWithMarkdownIt(body));
    const direct = plainCommentHtml(body);
    if (direct === null) continue;
    taken++;
    const reference = renderWithMarkdownIt(body);
    if (direct !== reference) expect({ body, html: direct }).toEqual({ body, html: reference });
  }
  return taken;
}

describe('plain bodies are rendered directly, to markdown-it’s bytes (posted and imported comments alike)', () => {
  it('agrees with markdown-it on every body of the sample exports', async () => {
    const bodies = [
      ...(await markdownOf('disqus', 'isso-disqus.xml')),
      ...(await markdownOf('disqus', 'remark42-disqus.xml')),
      ...(await markdownOf('wordpress', 'isso-wordpress.xml')),
      ...(await markdownOf('commento', 'remark42-commento.json')),
    ];
    expect(bodies.length).toBeGreaterThanOrEqual(20);
    const taken = compare(bodies);
    expect(taken).toBeGreaterThan(bodies.length / 4);
  });

  it('agrees on the benchmark’s generated bodies, and takes the direct road for them', () => {
    const filler = 'The council met again on Tuesday to discuss the harbour, and the <em>reader</em> has views. ';
    const bodies = [1, 7, 19].map((n) => normaliseBody(htmlToMarkdown(`<p>Comment ${n}.</p><p>${filler.repeat(n)}</p>`)));
    expect(compare(bodies)).toBe(bodies.length);
  });

  it('agrees with markdown-it on random strings of the characters that matter', () => {
    const n = 40_000;
    let taken = 0;
    let withEmphasis = 0;
    let withBreaks = 0;
    let withLinks = 0;
    for (let seed = 1; seed <= n; seed++) {
      const body = generate(seededRandom(seed));
      const direct = plainCommentHtml(body);
      if (direct === null) continue;
      taken++;
      if (direct.includes('<em>') || direct.includes('<strong>')) withEmphasis++;
      if (direct.includes('<br>')) withBreaks++;
      if (direct.includes('<a ')) withLinks++;
      const reference = renderWithMarkdownIt(body);
      if (direct !== reference) expect({ seed, body, html: direct }).toEqual({ seed, body, html: reference });
    }
    console.log(`direct road taken for ${taken} of ${n} random bodies (${withEmphasis} with emphasis, ${withBreaks} with breaks, ${withLinks} with links)`);
    // Enough of each kind taken for the agreement to mean something.
    expect(taken).toBeGreaterThan(n / 10);
    expect(withEmphasis).toBeGreaterThan(n / 50);
    expect(withBreaks).toBeGreaterThan(n / 100);
    expect(withLinks).toBeGreaterThan(n / 20);
  }, 120_000);

  it('leaves to markdown-it what it does not follow', () => {
    for (const body of [
      'a *b **c** d*',
      '*open only',
      'intra*word*emphasis',
      '***both***',
      'see https://example.com',
      'write to mail@example.net',
      '@someone said',
      '- a list',
      '> a quote',
      '1. first',
      '  indented',
      'a `code` span',
      'snake_case',
      'an [x](ftp://example.com) link',
      'a [link](https://example.com "with a title")',
      'an ![image](https://example.com/a.png)',
      '*a [link](https://example.com) inside emphasis*',
      '[https://example.com](https://example.com)',
      'a [link](https://example.com/(with)/parentheses)',
      'a [reference][one]',
      'a bare [bracket',
      'an escaped \\* star',
      'fish &amp; chips',
      '<https://example.com>',
      'tab\there',
    ]) {
      expect(plainCommentHtml(body), body).toBeNull();
    }
    expect(plainCommentHtml('Read *this* [report](https://bücher.example/ä?a=1&b=2) (page 2).')).toBe(
      '<p>Read <em>this</em> <a href="https://xn--bcher-kva.example/%C3%A4?a=1&amp;b=2" rel="nofollow ugc noopener">report</a> (page 2).</p>',
    );
    expect(plainCommentHtml('Plain *words* and **strong** ones,\nover two lines.\n\nAnd a second paragraph & "quotes" > 1.')).toBe(
      '<p>Plain <em>words</em> and <strong>strong</strong> ones,<br>\nover two lines.</p>\n<p>And a second paragraph &amp; &quot;quotes&quot; &gt; 1.</p>',
    );
  });
});
