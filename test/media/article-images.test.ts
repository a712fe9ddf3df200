import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import type { ArticleDraft } from '../../src/articles/model.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { waitFor } from '../helpers/wait.ts';

// An imported article's picture is copied once and served from Parley's own origin: the page never
// names the publisher's picture server, so reading it tells no third party about the reader.

describe.each(dialects)("imported articles' pictures on %s", (dialect) => {
  let app: TestApp;
  let pictures: http.Server;
  let picturesBase: string;
  const downloads: string[] = [];
  let photo: Buffer;
  // The lead picture is held back until a test lets it go, so the page can be seen before the copy exists.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));

  beforeAll(async () => {
    // A 2000×1000 photo that says where and with what it was taken.
    photo = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#357' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'SecretCam', Copyright: 'Jo Bloggs' } })
      .toBuffer();
    pictures = http.createServer(async (req, res) => {
      downloads.push(req.url ?? '');
      if (req.url === '/pics/held.jpg') await released;
      if (req.url?.endsWith('.jpg') && !req.url.includes('missing')) return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => pictures.listen(0, '127.0.0.1', resolve));
    picturesBase = `http://127.0.0.1:${(pictures.address() as AddressInfo).port}`;
    // The picture server is on loopback, which Parley refuses unless told (see src/media/fetch-image.test.ts).
    app = await startTestApp(dialect, { FETCH_PRIVATE: 'allow' });
  });
  afterAll(async () => {
    release();
    await app?.close();
    pictures.closeAllConnections();
    await new Promise((resolve) => pictures.close(resolve));
  });

  const draft = (n: string, picture: string): ArticleDraft => ({
    headline: `Harbour story ${n} (${dialect})`,
    standfirst: null,
    authors: [{ name: 'A Reporter' }],
    dateline: null,
    publishedAt: new Date('2026-11-01T10:00:00Z'),
    timeZone: 'Europe/London',
    image: { src: `${picturesBase}${picture}`, alt: 'Boats in the harbour at dawn', caption: 'The harbour at dawn', credit: 'Jo Bloggs' },
    body: [{ type: 'paragraph', text: `Story ${n}.` }],
    sourceUrl: `https://news.example/${dialect}/${n}`,
    publicationName: 'The Example',
  });
  const page = async (slug: string) => (await fetch(`${app.baseUrl}/articles/${slug}`)).text();
  type ApiImage = { src: string | null; width: number | null; height: number | null; srcset: { src: string; width: number }[] };
  const apiImage = async (slug: string) => ((await (await fetch(`${app.baseUrl}/api/v1/articles/${slug}`)).json()) as { article: { image: ApiImage } }).article.image;
  const copied = (slug: string) => waitFor(async () => (await apiImage(slug)).src, `the copy of ${slug}'s picture`, 10_000);

  it("shows no picture until the copy is made, then its own copy; the publisher's address never reaches the page", async () => {
    const { article } = await importArticle(app.ctx, draft('held', '/pics/held.jpg'));
    expect(article.image).toMatchObject({ src: null, sourceSrc: `${picturesBase}/pics/held.jpg` });
    const before = await page(article.slug);
    // No copy yet: no picture, no empty box standing in for it (issue 14).
    expect(before).not.toContain('Image not available');
    expect(before).toContain('article__figure--no-copy');
    expect(before).toContain('The harbour at dawn');
    expect(before).not.toMatch(/<img[^>]*alt="Boats in the harbour at dawn"/);
    expect(before).not.toContain(picturesBase);

    release();
    const src = await copied(article.slug);
    expect(src).toMatch(/^\/media\/[0-9a-f]{64}\.webp$/);
    const image = await apiImage(article.slug);
    expect(image).toMatchObject({ width: 2000, height: 1000 });
    expect(image.srcset.map((v) => v.width)).toEqual([480, 960, 1440]);
    expect(image.srcset[2]!.src).toBe(src);
    // The anonymous page cached above is dropped by the change, not served stale.
    const after = await page(article.slug);
    const srcset = image.srcset.map((v) => `${v.src} ${v.width}w`).join(', ');
    expect(after).toContain(`<img src="${src}" srcset="${srcset}" sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)" width="2000" height="1000" alt="Boats in the harbour at dawn"`);
    expect(after).toContain(`<meta property="og:image" content="http://parley.test${src}"`);
    expect(after).not.toContain(picturesBase);
    expect(after).not.toContain('Image not available');
  });

  it('serves each width as WebP without the original\'s metadata, for a year, and answers a revalidation with 304', async () => {
    const { article } = await importArticle(app.ctx, draft('served', '/pics/served.jpg'));
    await copied(article.slug);
    for (const variant of (await apiImage(article.slug)).srcset) {
      const bytes = Buffer.from(await (await fetch(`${app.baseUrl}${variant.src}`)).arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['webp', variant.width, variant.width / 2, undefined]);
    }
    const src = await copied(article.slug);
    const res = await fetch(`${app.baseUrl}${src}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("img-src 'self' data:;");
    const etag = res.headers.get('etag')!;
    expect(etag).toBe(`"${src.slice('/media/'.length, -'.webp'.length)}"`);
    // node:http, not fetch: fetch marks a conditional request "no-cache", which rightly gets the whole picture.
    const status = await new Promise<number>((resolve, reject) =>
      http.get(`${app.baseUrl}${src}`, { headers: { 'if-none-match': etag } }, (r) => resolve(r.resume().statusCode!)).on('error', reject),
    );
    expect(status).toBe(304);
  });

  it('answers 404 for any other name: another extension, an unknown hash, junk', async () => {
    const { article } = await importArticle(app.ctx, draft('names', '/pics/names.jpg'));
    const src = await copied(article.slug);
    for (const path of [src.replace(/\.webp$/, '.png'), `/media/${'0'.repeat(64)}.png`, '/media/nonsense', `/media/${'a'.repeat(200)}`]) {
      const res = await fetch(`${app.baseUrl}${path}`, { headers: { accept: 'text/html' } });
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain('There is no picture at this address.');
    }
    const api = await fetch(`${app.baseUrl}/media/${'0'.repeat(64)}.png`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
  });

  it('copies a picture once: a re-import and another article with the same picture reuse the copy at once', async () => {
    const first = await importArticle(app.ctx, draft('once', '/pics/once.jpg'));
    const src = await copied(first.article.slug);
    const again = await importArticle(app.ctx, draft('once', '/pics/once.jpg'));
    expect(again.created).toBe(false);
    expect(again.article.image?.src).toBe(src);
    const other = await importArticle(app.ctx, draft('same-picture', '/pics/once.jpg'));
    expect(other.article.image?.src).toBe(src);
    expect(downloads.filter((d) => d === '/pics/once.jpg')).toHaveLength(1);
  });

  it('a re-import with another picture shows the new one once copied', async () => {
    const first = await importArticle(app.ctx, draft('changed', '/pics/old.jpg'));
    await copied(first.article.slug);
    const second = await importArticle(app.ctx, draft('changed', '/pics/new.jpg'));
    expect(second.article.image).toMatchObject({ src: null, sourceSrc: `${picturesBase}/pics/new.jpg` });
    await waitFor(() => downloads.includes('/pics/new.jpg'), 'the new picture to be fetched');
    expect(await copied(first.article.slug)).toMatch(/^\/media\//);
  });

  it('a picture that cannot be copied leaves no empty box on the page, and the job says why', async () => {
    const { article } = await importArticle(app.ctx, draft('missing', '/pics/missing.jpg'));
    const job = await waitFor(
      () =>
        app.ctx.db.kysely
          .selectFrom('jobs')
          .select(['failed_at', 'last_error', 'payload'])
          .where('kind', '=', 'media.article_image')
          .where('failed_at', 'is not', null)
          .execute()
          .then((rows) => rows.find((r) => JSON.parse(r.payload).articleId === Number(article.id))),
      'the job to give up',
    );
    expect(job.last_error).toMatch(/cannot be copied: 127\.0\.0\.1:\d+ answered 404/);
    const html = await page(article.slug);
    expect(html).not.toContain('Image not available');
    expect(html).not.toMatch(/<img[^>]*alt="Boats in the harbour at dawn"/);
    expect(html).toContain('article__figure--no-copy');
    expect(html).not.toContain(picturesBase);
  });
});
