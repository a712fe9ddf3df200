// The story's structure from HTML (subheads, lists, quotes, links, emphasis) as typed blocks, how
// stored bodies are read back (old rows hold paragraphs only), and how the blocks are shown.
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { parseStoredBody, safeHref } from './body-blocks.ts';
import { ArticleBody } from './body-view.tsx';
import { parseHtmlArticle } from './import-html.ts';

const LONG = 'The council met on Tuesday evening and, after a debate that lasted almost three hours, voted to keep the harbour open to small boats through the winter months.';

function page(body: string, url = 'https://news.example/harbour/'): string {
  return `<!doctype html><html><head><title>Harbour stays open</title><link rel="canonical" href="${url}">
    <script type="application/ld+json">{"@type":"NewsArticle","headline":"Harbour stays open","author":{"@type":"Person","name":"Jane Marlow"}}</script></head>
    <body><nav><a href="/">Home</a></nav><article><h1>Harbour stays open</h1>${body}</article><footer>© Gazette</footer></body></html>`;
}

describe("the HTML importer keeps the story's structure", () => {
  const draft = parseHtmlArticle(
    page(`
      <p>${LONG} Read <a href="https://council.example/minutes">the <em>minutes</em></a> or <a href="/archive">our archive</a>.</p>
      <h2>What changes</h2>
      <p>${LONG}</p>
      <ul><li>Moorings stay at <strong>£12</strong> a night</li><li>The slipway opens at <a href="javascript:alert(1)">dawn</a></li></ul>
      <h3>Who objected</h3>
      <ol><li>The sailing club</li><li>Two councillors</li></ol>
      <blockquote><p>“We will keep the lights on,” the harbour master said.</p></blockquote>
      <p>Write to <a href="mailto:desk@news.example">the desk</a> with <i>your</i> views. ${LONG}</p>`),
  );

  it('turns subheads, lists and quotes into their own blocks, in order', () => {
    expect(draft.body.map((b) => b.type)).toEqual(['paragraph', 'heading', 'paragraph', 'list', 'heading', 'list', 'quote', 'paragraph']);
    expect(draft.body[1]).toEqual({ type: 'heading', level: 2, text: 'What changes' });
    expect(draft.body[4]).toEqual({ type: 'heading', level: 3, text: 'Who objected' });
    expect(draft.body[5]).toEqual({ type: 'list', ordered: true, items: [{ text: 'The sailing club' }, { text: 'Two councillors' }], text: 'The sailing club\nTwo councillors' });
    expect(draft.body[6]).toEqual({ type: 'quote', text: '“We will keep the lights on,” the harbour master said.' });
  });

  it('keeps links (made absolute) and emphasis as inline runs, and the plain text beside them', () => {
    const first = draft.body[0];
    expect(first.text).toBe(`${LONG} Read the minutes or our archive.`);
    expect(first.type === 'paragraph' && first.inline).toEqual([
      { text: `${LONG} Read ` },
      { text: 'the ', href: 'https://council.example/minutes' },
      { text: 'minutes', href: 'https://council.example/minutes', emphasis: true },
      { text: ' or ' },
      { text: 'our archive', href: 'https://news.example/archive' },
      { text: '.' },
    ]);
    const last = draft.body[7];
    expect(last.type === 'paragraph' && last.inline?.slice(0, 4)).toEqual([
      { text: 'Write to ' },
      { text: 'the desk', href: 'mailto:desk@news.example' },
      { text: ' with ' },
      { text: 'your', emphasis: true },
    ]);
  });

  it('drops a javascript: link but keeps its words', () => {
    const list = draft.body[3];
    expect(list.type === 'list' && list.items).toEqual([
      { text: 'Moorings stay at £12 a night', inline: [{ text: 'Moorings stay at ' }, { text: '£12', strong: true }, { text: ' a night' }] },
      { text: 'The slipway opens at dawn' },
    ]);
    expect(JSON.stringify(draft.body)).not.toMatch(/javascript/i);
  });
});

describe('safeHref', () => {
  it.each([
    ['https://a.example/x', 'https://a.example/x'],
    ['http://a.example', 'http://a.example/'],
    ['mailto:desk@a.example', 'mailto:desk@a.example'],
    ['javascript:alert(1)', null],
    [' JaVaScRiPt:alert(1)', null],
    ['data:text/html,<script>alert(1)</script>', null],
    ['vbscript:x', null],
    ['/relative', null],
    ['//evil.example/x', null],
    ['', null],
  ])('%s → %s', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });
});

describe('stored bodies', () => {
  it('reads rows written before typed blocks as paragraphs', () => {
    expect(parseStoredBody('[{"type":"paragraph","text":"One."},{"type":"paragraph","text":"Two."}]')).toEqual([
      { type: 'paragraph', text: 'One.' },
      { type: 'paragraph', text: 'Two.' },
    ]);
  });

  it('drops unsafe links and malformed blocks instead of failing the page', () => {
    const body = parseStoredBody(
      JSON.stringify([{ type: 'paragraph', text: 'Hi there', inline: [{ text: 'Hi', href: 'javascript:alert(1)' }, { text: ' there' }] }, { type: 'list', items: 'nope' }, 42, { type: 'heading', level: 7, text: 'Sub' }]),
    );
    expect(body).toEqual([
      { type: 'paragraph', text: 'Hi there', inline: [{ text: 'Hi' }, { text: ' there' }] },
      { type: 'heading', level: 2, text: 'Sub' },
    ]);
    expect(parseStoredBody('not json')).toEqual([]);
  });
});

describe('the article page body', () => {
  const html = renderToString(
    h(ArticleBody, {
      origin: 'https://parley.example',
      blocks: [
        { type: 'paragraph', text: '<script>alert(1)</script> see source', inline: [{ text: '<script>alert(1)</script> see ' }, { text: 'source', href: 'https://news.example/a?x=1&y="2"' }] },
        { type: 'heading', level: 2, text: 'A <b>subhead</b>' },
        { type: 'list', ordered: false, items: [{ text: 'one' }, { text: 'two', inline: [{ text: 'two', href: 'https://parley.example/articles/x' }] }], text: 'one\ntwo' },
        { type: 'quote', text: 'Said & done' },
        { type: 'paragraph', text: 'bad', inline: [{ text: 'bad', href: 'javascript:alert(1)' }] },
      ],
    }),
  );

  it('renders each block as its element with its p-N anchor', () => {
    expect(html).toContain('<h2 id="p-2">A &lt;b>subhead&lt;/b></h2>');
    expect(html).toMatch(/<ul id="p-3"><li>one<\/li><li><a href="https:\/\/parley.example\/articles\/x">two<\/a><\/li><\/ul>/);
    expect(html).toContain('<blockquote id="p-4"><p>Said &amp; done</p></blockquote>');
  });

  it('escapes text and addresses, marks external links, and writes no unsafe link', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(html).toContain('<a href="https://news.example/a?x=1&amp;y=%222%22" rel="nofollow noopener">source</a>');
    expect(html).toContain('<p id="p-5">bad</p>');
    expect(html).not.toMatch(/javascript/i);
  });
});
