// The failure kinds issue 13 lists for HTML pages, each as a small page of its own: the visible
// headline against rewritten metadata, bylines only on the page, dates only on the page or in odd
// formats, the page's own offset, modified against published, and CSS jsdom cannot parse.
import { describe, expect, it } from 'vitest';
import { explainHtmlArticle, parseHtmlArticle } from './import-html.ts';
import { formatExplanation } from './extract/candidates.ts';

const BODY = '<p>The harbour bridge reopened to traffic on Tuesday morning after eight months of repairs to its deck and cables, the council said.</p>'.repeat(3);

function page(head: string, article: string): string {
  return `<!doctype html><html><head>${head}</head><body><header><a href="/">The Gazette</a><nav><a href="/news">News</a></nav></header>` +
    `<main><article>${article}${BODY}</article></main><footer>© The Gazette</footer></body></html>`;
}

describe('HTML headline evidence', () => {
  it('takes the visible <h1> when the metadata is a rewrite of it', () => {
    const draft = parseHtmlArticle(page(
      '<title>Bridge reopens: what drivers need to know | The Gazette</title><meta property="og:title" content="Bridge reopens: what drivers need to know">',
      '<h1>Harbour bridge reopens after eight months of repairs</h1>',
    ));
    expect(draft.headline).toBe('Harbour bridge reopens after eight months of repairs');
  });

  it('never takes the logo or a section label for the headline', () => {
    const draft = parseHtmlArticle(
      `<!doctype html><html><head><title>Harbour bridge reopens after repairs - The Gazette</title><meta property="og:site_name" content="The Gazette"></head>` +
        `<body><h1 class="logo">The Gazette</h1><div class="kicker"><h1>Local</h1></div><article><h2>Harbour bridge reopens after repairs</h2>${BODY}</article></body></html>`,
    );
    expect(draft.headline).toBe('Harbour bridge reopens after repairs');
  });

  it('takes the article title on encyclopedia-like pages, not the short description in JSON-LD', () => {
    const draft = parseHtmlArticle(page(
      '<title>New Zealand - Wikipedia</title><script type="application/ld+json">{"@type":"Article","headline":"country in Oceania","name":"New Zealand"}</script>',
      '<h1 id="firstHeading">New Zealand</h1>',
    ));
    expect(draft.headline).toBe('New Zealand');
  });
});

describe('HTML byline evidence', () => {
  it.each([
    ['<p class="byline">By Jane Marlow, Porthallow</p>', ['Jane Marlow']],
    ['<div class="article-meta">By <a rel="author" href="/a/1">Ana Lima</a> and <a rel="author" href="/a/2">Ben Okafor</a></div>', ['Ana Lima', 'Ben Okafor']],
    ['<span class="author-name">Par Sébastien Farcis</span>', ['Sébastien Farcis']],
    ['<p class="byline">By JOE HILDEBRAND</p>', ['Joe Hildebrand']],
    ['<span>by</span> <h3><a href="/profile/1">Sleyca</a></h3>', ['Sleyca']],
  ])('finds the writer in %s', (byline, expected) => {
    const draft = parseHtmlArticle(page('<title>Harbour bridge reopens after repairs</title>', `<h1>Harbour bridge reopens after repairs</h1>${byline}`));
    expect(draft.authors.map((a) => a.name)).toEqual(expected);
  });

  it('prefers the person named on the page over the publication in the metadata', () => {
    const draft = parseHtmlArticle(page(
      '<title>Harbour bridge reopens</title><meta name="author" content="The Gazette"><meta property="og:site_name" content="The Gazette">',
      '<h1>Harbour bridge reopens</h1><p class="byline">By Tomasz Nowak</p>',
    ));
    expect(draft.authors).toEqual([{ name: 'Tomasz Nowak' }]);
  });

  it('keeps every writer JSON-LD names, and drops an agency beside a person', () => {
    const ld = JSON.stringify({ '@type': 'NewsArticle', headline: 'Harbour bridge reopens', author: [{ '@type': 'Person', name: 'Stella Kim' }, { '@type': 'Person', name: 'Jennifer Jett' }, { '@type': 'Organization', name: 'Reuters' }] });
    const draft = parseHtmlArticle(page(`<script type="application/ld+json">${ld}</script>`, '<h1>Harbour bridge reopens</h1>'));
    expect(draft.authors).toEqual([{ name: 'Stella Kim' }, { name: 'Jennifer Jett' }]);
  });
});

describe('HTML date evidence', () => {
  it.each([
    ['<p class="date">8 January 2020, 3:51 pm</p>', '2020-01-08T15:51:00.000Z'],
    ['<span class="published">Jan 18, 2019</span>', '2019-01-18T00:00:00.000Z'],
    ['<div class="meta">Von Ben Schwan | 04. November 2021, 15:02 Uhr</div>', '2021-11-04T15:02:00.000Z'],
    ['<span class="datum">28.01.2020</span>', '2020-01-28T00:00:00.000Z'],
    ['<p class="fecha">21 de diciembre de 2018</p>', '2018-12-21T00:00:00.000Z'],
  ])('reads a date only printed on the page: %s', (printed, iso) => {
    const draft = parseHtmlArticle(page('<title>Harbour bridge reopens</title>', `<h1>Harbour bridge reopens</h1>${printed}`));
    expect(draft.publishedAt?.toISOString()).toBe(iso);
  });

  it('reads JSON-LD dates in Java\'s format', () => {
    const ld = JSON.stringify({ '@type': 'NewsArticle', headline: 'Harbour bridge reopens', datePublished: 'Tue Jan 28 12:00:00 CET 2020' });
    const draft = parseHtmlArticle(page(`<script type="application/ld+json">${ld}</script>`, '<h1>Harbour bridge reopens</h1>'));
    expect(draft.publishedAt?.toISOString()).toBe('2020-01-28T11:00:00.000Z');
  });

  it('keeps the page\'s own offset as the zone, so the article stays on its day', () => {
    const draft = parseHtmlArticle(page('<meta property="article:published_time" content="2024-03-05T21:30:00-07:00"><title>Harbour bridge reopens</title>', '<h1>Harbour bridge reopens</h1>'));
    expect(draft.publishedAt?.toISOString()).toBe('2024-03-06T04:30:00.000Z');
    expect(draft.timeZone).toBe('Etc/GMT+7');
    // A zone named by the caller is the publication's own and wins over the offset.
    expect(parseHtmlArticle(page('<meta property="article:published_time" content="2024-03-05T21:30:00-07:00"><title>Harbour bridge reopens</title>', '<h1>Harbour bridge reopens</h1>'), { defaultTimeZone: 'America/Denver' }).timeZone).toBe('America/Denver');
  });

  it('prefers the published date over the modified one, even when a CMS fills published_time with the edit', () => {
    const ld = JSON.stringify({ '@type': 'NewsArticle', headline: 'Harbour bridge reopens', datePublished: '2024-12-06T22:00:40Z', dateModified: '2024-12-07T12:43:39Z' });
    const draft = parseHtmlArticle(page(
      `<script type="application/ld+json">${ld}</script><meta property="article:published_time" content="2024-12-07T12:43:39Z"><meta property="article:modified_time" content="2024-12-07T12:43:39Z">`,
      '<h1>Harbour bridge reopens</h1><time class="updated" datetime="2024-12-07T12:43:39Z">Updated Dec 7</time>',
    ));
    expect(draft.publishedAt?.toISOString()).toBe('2024-12-06T22:00:40.000Z');
  });
});

describe('HTML pages that break parsers', () => {
  it('imports a page whose CSS jsdom cannot parse', () => {
    const css = '<style>.a { border: inherit; border-width: 1px } @media (max-width: 10px) { .b { border: inherit } }</style>';
    const html = page(`${css}<title>Harbour bridge reopens</title>`, '<h1 style="border: inherit">Harbour bridge reopens</h1>');
    expect(parseHtmlArticle(html).headline).toBe('Harbour bridge reopens');
  });
});

describe('explanations', () => {
  it('lists the candidates and the reasons the winner won', () => {
    const { explanation } = explainHtmlArticle(page(
      '<title>Bridge reopens | The Gazette</title><meta property="og:title" content="Bridge reopens">',
      '<h1>Harbour bridge reopens after eight months of repairs</h1><p class="byline">By Tomasz Nowak</p>',
    ));
    const text = formatExplanation(explanation);
    expect(text).toMatch(/^headline: "Harbour bridge reopens after eight months of repairs"/m);
    expect(text).toMatch(/first heading inside the article/);
    expect(text).toMatch(/og:title: "Bridge reopens"/);
    expect(text).toMatch(/^authors: "Tomasz Nowak"/m);
  });
});
