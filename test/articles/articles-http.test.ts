import http from 'node:http';
import zlib from 'node:zlib';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import type { ArticleDraft } from '../../src/articles/model.ts';
import { readEventsAfter } from '../../src/events/outbox.ts';
import { dialects, EXAMPLE_FILE, startTestApp, type TestApp } from '../helpers/app.ts';

const seedDraft = () => parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });

function draft(n: number, publishedAt: string | null): ArticleDraft {
  return {
    headline: `Story number ${n}`,
    standfirst: `Standfirst ${n}`,
    authors: [{ name: 'A Reporter' }],
    dateline: null,
    publishedAt: publishedAt ? new Date(publishedAt) : null,
    timeZone: 'Europe/London',
    image: null,
    body: [{ type: 'paragraph', text: `Paragraph of story ${n}.` }],
    sourceUrl: `https://news.example/story-${n}`,
    publicationName: 'The Example',
  };
}

describe.each(dialects)('articles over HTTP on %s', (dialect) => {
  let app: TestApp;
  let seedSlug: string;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    seedSlug = (await importArticle(app.ctx, await seedDraft())).article.slug;
  });
  afterAll(async () => app?.close());

  it('serves the seed as an API record with exactly the documented fields', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/articles/${seedSlug}`);
    expect(res.status).toBe(200);
    const { article } = (await res.json()) as { article: Record<string, unknown> };
    expect(Object.keys(article).sort()).toEqual(
      ['slug', 'site', 'url', 'headline', 'standfirst', 'authors', 'dateline', 'publishedAt', 'timeZone', 'image', 'body', 'commentCount', 'commentsOpen'].sort(),
    );
    expect(article.site).toBe('default');
    expect(article.url).toBe(`/articles/${seedSlug}`);
    expect(article.headline).toBe("Rex Tillerson says Russia's election interference has 'created serious mistrust'");
    expect(article.publishedAt).toBe('2017-08-07T15:47:00.000Z');
    expect(article.timeZone).toBe('Europe/London');
    expect(article.authors).toEqual([{ name: 'Alexandra Wilts' }]);
    expect(article.dateline).toBe('Washington DC');
    expect(article.image).toEqual({ src: null, alt: 'US Secretary of State Rex Tillerson', caption: 'US Secretary of State Rex Tillerson', credit: 'Getty', width: null, height: null, srcset: [] });
    const body = article.body as { type: string; text: string }[];
    expect(body).toHaveLength(14);
    expect(body.every((b) => b.type === 'paragraph')).toBe(true);
    const text = body.map((b) => b.text).join('\n');
    expect(text).not.toMatch(/commenting forum|registering|logged in|thought-provoking/i);
    expect(article.commentCount).toBe(0);
    expect(article.commentsOpen).toBe(true);
  });

  it('updates an article imported twice instead of duplicating it, and records both events', async () => {
    const first = await importArticle(app.ctx, draft(1, '2020-01-01T10:00:00Z'));
    const changed = { ...draft(1, '2020-01-01T10:00:00Z'), headline: 'Story number 1, corrected' };
    const second = await importArticle(app.ctx, changed);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.article.id).toBe(first.article.id);
    expect(second.article.slug).toBe(first.article.slug);
    expect(second.article.headline).toBe('Story number 1, corrected');
    const events = await readEventsAfter(app.ctx.db.kysely, 0, { stream: `article:${first.article.id}` });
    expect(events.map((e) => e.type)).toEqual(['article.published', 'article.updated']);
    expect(events[0]!.payload).toMatchObject({ articleId: Number(first.article.id), slug: first.article.slug });
  });

  // Issue 14, bug 4: a different story whose headline starts like an existing one's used to update
  // (and rename) the existing article with all its comments: text imports were matched on a slug cut
  // to 80 characters.
  it('creates a new article for a different story whose headline starts the same way', async () => {
    const start = 'Council approves the long-delayed harbour redevelopment plan after a heated three-hour meeting';
    const noUrl = (headline: string, authors = [{ name: 'A Reporter' }], at = '2022-02-02T10:00:00Z') => ({ ...draft(70, at), headline, authors, sourceUrl: null });
    const first = await importArticle(app.ctx, noUrl(`${start} on Monday`));
    const other = await importArticle(app.ctx, noUrl(`${start} on Tuesday night`));
    expect(first.created).toBe(true);
    expect(other.created).toBe(true);
    expect(other.article.id).not.toBe(first.article.id);
    expect(other.article.slug).not.toBe(first.article.slug);
    const kept = (await (await fetch(`${app.baseUrl}/api/v1/articles/${first.article.slug}`)).json()) as { article: { headline: string } };
    expect(kept.article.headline).toBe(`${start} on Monday`);

    // The same full headline over another byline, or on another day, is another story too.
    expect((await importArticle(app.ctx, noUrl(`${start} on Monday`, [{ name: 'B Writer' }]))).created).toBe(true);
    expect((await importArticle(app.ctx, noUrl(`${start} on Monday`, undefined, '2022-03-03T10:00:00Z'))).created).toBe(true);
    // The same headline, byline and date is the same story: updated in place.
    const again = await importArticle(app.ctx, { ...noUrl(`${start} on Monday`), standfirst: 'Corrected standfirst' });
    expect(again.created).toBe(false);
    expect(again.article.id).toBe(first.article.id);
    expect(again.article.standfirst).toBe('Corrected standfirst');
  });

  it('matches by source URL when both have one, and by headline, byline and date otherwise', async () => {
    const base = { ...draft(80, '2022-04-04T10:00:00Z'), headline: 'Ferry returns to the island after a winter away' };
    const fromUrl = await importArticle(app.ctx, { ...base, sourceUrl: 'https://news.example/ferry-returns' });
    // Another address with the same words is the publisher's other story (a syndicated copy).
    const elsewhere = await importArticle(app.ctx, { ...base, sourceUrl: 'https://other.example/ferry-returns' });
    expect(elsewhere.created).toBe(true);
    // A text copy of the first (no address) updates it and keeps its address.
    const copy = await importArticle(app.ctx, { ...base, sourceUrl: null, standfirst: 'From the text copy' });
    expect(copy.created).toBe(false);
    expect([fromUrl.article.id, elsewhere.article.id]).toContain(copy.article.id);
    expect(copy.article.sourceUrl).not.toBeNull();
  });

  it('still updates a story imported before story keys existed (keyed by its slug)', async () => {
    const legacy = { ...draft(90, '2019-09-09T09:00:00Z'), sourceUrl: null };
    const first = await importArticle(app.ctx, legacy);
    await app.ctx.db.kysely.updateTable('articles').set({ import_key: `slug:${first.article.slug}` }).where('id', '=', Number(first.article.id)).execute();
    const again = await importArticle(app.ctx, { ...legacy, standfirst: 'Updated standfirst' });
    expect(again.created).toBe(false);
    expect(again.article.id).toBe(first.article.id);
  });

  // Issue 14, bug 7: subheads, lists, quotes and inline links survive import, storage, the API and the page.
  it('stores, serves and shows the body as typed blocks with links and emphasis', async () => {
    const body: ArticleDraft['body'] = [
      { type: 'paragraph', text: 'Read the minutes first.', inline: [{ text: 'Read ' }, { text: 'the minutes', href: 'https://council.example/minutes?a=1&b=2' }, { text: ' ' }, { text: 'first', emphasis: true }, { text: '.' }] },
      { type: 'heading', level: 2, text: 'What <changes>' },
      { type: 'list', ordered: true, items: [{ text: 'Moorings' }, { text: 'Slipway', inline: [{ text: 'Slipway', strong: true }] }], text: 'Moorings\nSlipway' },
      { type: 'quote', text: '“We will keep the lights on.”' },
    ];
    const { article } = await importArticle(app.ctx, { ...draft(95, '2023-01-01T10:00:00Z'), body });
    const api = (await (await fetch(`${app.baseUrl}/api/v1/articles/${article.slug}`)).json()) as { article: { body: unknown } };
    expect(api.article.body).toEqual(body);
    const html = await (await fetch(`${app.baseUrl}/articles/${article.slug}`)).text();
    expect(html).toContain('<p id="p-1">Read <a href="https://council.example/minutes?a=1&amp;b=2" rel="nofollow noopener">the minutes</a> <em>first</em>.</p>');
    expect(html).toContain('<h2 id="p-2">What &lt;changes></h2>');
    expect(html).toContain('<ol id="p-3"><li>Moorings</li><li><strong>Slipway</strong></li></ol>');
    expect(html).toContain('<blockquote id="p-4"><p>“We will keep the lights on.”</p></blockquote>');
  });

  it('gives two different stories with one headline two slugs', async () => {
    const a = await importArticle(app.ctx, { ...draft(50, '2021-05-01T10:00:00Z'), headline: 'Same headline' });
    const b = await importArticle(app.ctx, { ...draft(51, '2021-06-01T10:00:00Z'), headline: 'Same headline' });
    expect(a.article.slug).toBe('same-headline');
    expect(b.article.slug).toBe('same-headline-2021-06-01');
  });

  it('pages the article list newest first with an opaque cursor', async () => {
    for (let n = 100; n < 125; n++) await importArticle(app.ctx, draft(n, new Date(Date.UTC(2022, 0, 1, 0, n)).toISOString()));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `${app.baseUrl}/api/v1/articles${cursor ? `?cursor=${cursor}` : ''}`;
      const res = await fetch(url);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { articles: { slug: string; publishedAt: string | null }[]; nextCursor: string | null };
      seen.push(...page.articles.map((a) => a.slug));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await app.ctx.db.kysely.selectFrom('articles').select(['slug', 'sort_at', 'id']).orderBy('sort_at', 'desc').orderBy('id', 'desc').execute();
    expect(seen).toEqual(all.map((r) => r.slug));
  });

  it('answers a bad cursor with 400 and the one error shape', async () => {
    for (const bad of ['nonsense', Buffer.from('{"x":1}').toString('base64url'), '%E0%A4%A']) {
      const res = await fetch(`${app.baseUrl}/api/v1/articles?cursor=${bad}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toMatch(/invalid_cursor|bad_request/);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
  });

  it('answers an unknown slug with 404, as JSON for the API and HTML for people', async () => {
    const api = await fetch(`${app.baseUrl}/api/v1/articles/no-such-story`);
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining('no-such-story') } });
    const page = await fetch(`${app.baseUrl}/articles/no-such-story`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Page not found');
  });

  it('renders the article page faithful to the seed', async () => {
    const res = await fetch(`${app.baseUrl}/articles/${seedSlug}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<h1[^>]*>Rex Tillerson says Russia&#39;s election interference has &#39;created serious mistrust&#39;<\/h1>|<h1[^>]*>Rex Tillerson says Russia's election/);
    expect(html).toContain('<time datetime="2017-08-07T15:47:00.000Z">Monday 07 August 2017 16:47 BST</time>');
    expect(html).toContain('Washington DC');
    expect(html).toContain('href="#comments"');
    expect(html).toContain('id="comments"');
    expect(html).toContain('<link rel="canonical" href="http://parley.test/articles/');
    expect(html).toContain('"@type":"NewsArticle"');
    expect(html).toContain('property="og:title"');
    // The only scripts: the JSON-LD data block and our own built islands; nothing inline, nothing third-party.
    for (const tag of html.match(/<script[^>]*>/g) ?? []) {
      expect(tag).toMatch(/type="application\/ld\+json"|src="\/assets\/client\/[\w.-]+\.js"/);
    }
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('publishes an Atom feed of the latest stories', async () => {
    const res = await fetch(`${app.baseUrl}/feed.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await res.text();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(xml).toContain(`http://parley.test/articles/${seedSlug}`);
    expect(xml).toContain('<subtitle>Latest stories from ');
    // A French feed reader gets the feed's own words in French; the stories stay as written.
    const fr = await (await fetch(`${app.baseUrl}/feed.xml`, { headers: { 'accept-language': 'fr' } })).text();
    expect(fr).toContain('<subtitle>Les derniers articles de ');
    expect(fr).toContain('Rex Tillerson says Russia');
  });

  it('describes the API in an OpenAPI document generated from the route schemas', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/articles', '/api/v1/articles/{slug}']));
  });

  it('reports health once the database answers', async () => {
    const res = await fetch(`${app.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    // Readiness (src/ops/health.ts): the status and each check behind it.
    expect(await res.json()).toMatchObject({ status: 'ok', checks: expect.any(Object) });
  });

  it('never answers malformed requests with a 500', async () => {
    const probes: [string, RequestInit?][] = [
      ['/api/v1/articles/%E0%A4%A'],
      ['/articles/%'],
      ['/api/v1/articles?cursor=' + 'x'.repeat(600)],
      ['/api/v1/articles', { method: 'POST', body: '{bad json', headers: { 'content-type': 'application/json' } }],
      ['/api/v1/articles', { method: 'DELETE' }],
    ];
    for (const [path, init] of probes) {
      const res = await fetch(`${app.baseUrl}${path}`, init);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});

describe.each(dialects)('the anonymous page cache on %s', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(async () => app?.close());

  it('serves a changed article at once after its update event, to anonymous readers too', async () => {
    const first = await importArticle(app.ctx, { ...draft(900, '2023-01-01T10:00:00Z'), body: [{ type: 'paragraph', text: 'The first version.' }] });
    const url = `${app.baseUrl}/articles/${first.article.slug}`;
    expect(await (await fetch(url)).text()).toContain('The first version.');
    expect(await (await fetch(url)).text()).toContain('The first version.');
    await importArticle(app.ctx, { ...draft(900, '2023-01-01T10:00:00Z'), body: [{ type: 'paragraph', text: 'The corrected version.' }] });
    // The invalidation runs on the bus wake-up after the commit; give it the event loop turn it needs.
    await new Promise((r) => setTimeout(r, 50));
    const html = await (await fetch(url)).text();
    expect(html).toContain('The corrected version.');
    expect(html).not.toContain('The first version.');
    const front = await (await fetch(`${app.baseUrl}/`)).text();
    expect(front).toContain(first.article.headline);
  });

  it('sends cached pages with the same security headers and no cookies', async () => {
    const { article } = await importArticle(app.ctx, draft(901, '2023-02-01T10:00:00Z'));
    const url = `${app.baseUrl}/articles/${article.slug}`;
    const miss = await fetch(url);
    const hit = await fetch(url);
    for (const res of [miss, hit]) {
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect(await hit.text()).toBe(await miss.text());
  });

  it('sends pages compressed to browsers that accept it, cached ones compressed once, and plain to the others', async () => {
    const { article } = await importArticle(app.ctx, draft(902, '2023-03-01T10:00:00Z'));
    const path = `/articles/${article.slug}`;
    const plain = await rawGet(path, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toContain('<h1');
    for (const [accept, encoding, decode] of [
      ['gzip, deflate, br', 'br', zlib.brotliDecompressSync],
      ['gzip', 'gzip', zlib.gunzipSync],
      ['br;q=0, gzip;q=0.5', 'gzip', zlib.gunzipSync],
    ] as const) {
      // The first of each is a miss or a hit depending on the order; the second is a hit.
      for (const round of [1, 2]) {
        const res = await rawGet(path, { 'accept-encoding': accept });
        expect(res.headers['content-encoding'], `${accept}, round ${round}`).toBe(encoding);
        expect(res.headers.vary).toMatch(/accept-encoding/i);
        expect(decode(res.body).toString()).toBe(plain.body.toString());
        expect(Number(res.headers['content-length'] ?? res.body.length)).toBe(res.body.length);
        expect(res.body.length).toBeLessThan(plain.body.length / 2);
      }
    }
    // Pages that are not cached and API answers are compressed as they are sent (above 1 KB).
    const api = await rawGet('/api/v1/openapi.json', { 'accept-encoding': 'gzip' });
    expect(api.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(api.body).toString()).openapi).toBe('3.1.0');
  });

  function rawGet(path: string, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      http
        .get(`${app.baseUrl}${path}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
  }
});
