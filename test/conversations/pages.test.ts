import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/model.ts';
import { dialects, type TestDialect } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { postComment, startConversation, type Conversation } from '../comments/setup.ts';

// The pages of issue 17 §3 and issue 14's "Also": the front page (pictures, description, Most
// discussed beside Latest), "Also being discussed" under an article, the reader's Following tab, and
// the site's icons.

describe.each(dialects)('alive conversations on the pages, on %s', (dialect: TestDialect) => {
  let c: Conversation;
  let pictured: Article;
  let plain: Article;
  beforeAll(async () => {
    c = await startConversation(dialect);
    pictured = await c.importArticle('A story with a picture');
    plain = await c.importArticle('A story without a picture');
    // The media pipeline's result, as it stores it (test/media covers the copying itself).
    const image = {
      src: '/media/wide.webp',
      sourceSrc: 'https://news.example/p.jpg',
      alt: 'Boats in the harbour at dawn',
      caption: 'The harbour',
      credit: null,
      width: 2000,
      height: 1000,
      srcset: [
        { src: '/media/narrow.webp', width: 480 },
        { src: '/media/middle.webp', width: 960 },
        { src: '/media/wide.webp', width: 1440 },
      ],
    };
    await c.app.ctx.db.kysely.updateTable('articles').set({ image: JSON.stringify(image) }).where('id', '=', Number(pictured.id)).execute();
    // A text import names a picture it has no address for: the article has an image without a copy.
    const named = { src: null, sourceSrc: null, alt: 'A picture we never got', caption: 'Lost', credit: null, width: null, height: null, srcset: [] };
    await c.app.ctx.db.kysely.updateTable('articles').set({ image: JSON.stringify(named) }).where('id', '=', Number(plain.id)).execute();
  });
  afterAll(async () => c?.app.close());

  const html = async (client: TestClient, path: string) => {
    const res = await client.raw(path, { headers: { accept: 'text/html' } });
    expect(res.status, path).toBe(200);
    return res.text();
  };

  it('front page: the 480-pixel copy with its size and alt, a description, no empty picture box, and Most discussed beside Latest', async () => {
    const anonymous = new TestClient(c.app.baseUrl);
    let page = await html(anonymous, '/');
    expect(page).toContain('<img class="story__picture" src="/media/narrow.webp" width="480" height="240" alt="Boats in the harbour at dawn"');
    expect(page).not.toContain('Image not available');
    expect(page).not.toContain('A picture we never got');
    expect(page).toMatch(/<meta name="description" content="The latest stories on Parley[^"]*"/);
    expect(page).toContain('<h2 id="front-most-discussed" class="conversation-box__title">Most discussed</h2>');
    expect(page).toContain('No conversations yet');

    const reader = await c.reader();
    await postComment(reader.client, plain.slug, 'First!');
    await postComment(reader.client, plain.slug, 'Second thought.');
    await postComment(reader.client, pictured.slug, 'Nice picture.');
    // The cached anonymous page is dropped by the comments on stories it shows.
    page = await html(anonymous, '/');
    const box = (id: string) => page.slice(page.indexOf(`id="${id}"`), page.indexOf('</section>', page.indexOf(`id="${id}"`)));
    const mostDiscussed = box('front-most-discussed');
    expect(mostDiscussed.indexOf(plain.headline)).toBeGreaterThan(0);
    expect(mostDiscussed.indexOf(plain.headline)).toBeLessThan(mostDiscussed.indexOf(pictured.headline));
    expect(mostDiscussed).toContain(`<a class="conversation-box__count" href="/articles/${plain.slug}#comments">2 comments</a>`);
    expect(box('front-active')).toContain(pictured.headline);
  });

  it('article page: no grey box without a picture, and "Also being discussed" never lists the article itself', async () => {
    const anonymous = new TestClient(c.app.baseUrl);
    const page = await html(anonymous, `/articles/${plain.slug}`);
    expect(page).not.toContain('Image not available');
    expect(page).not.toContain('article__image-placeholder');
    // The picture's caption stays, with the alt text on a small icon; no image and no empty box.
    const figure = page.slice(page.indexOf('<figure'), page.indexOf('</figure>'));
    expect(figure).toContain('article__figure--no-copy');
    expect(figure).toContain('aria-label="A picture we never got"');
    expect(figure).toContain('Lost');
    expect(figure).not.toContain('<img');
    const box = page.slice(page.indexOf('id="also-discussed"'));
    expect(box).toContain('Also being discussed');
    expect(box).toContain(`href="/articles/${pictured.slug}"`);
    expect(box).not.toContain(`href="/articles/${plain.slug}"`);
    const other = await html(anonymous, `/articles/${pictured.slug}`);
    expect(other).toContain('<img src="/media/wide.webp"');
    expect(other.slice(other.indexOf('id="also-discussed"'))).toContain(`href="/articles/${plain.slug}"`);
  });

  it('Following: the conversations a reader follows with the replies since their last visit, their own not counted', async () => {
    const follower = await c.reader({ displayName: 'Faithful Follower' });
    const other = await c.reader();
    const followed = await c.importArticle('A conversation to follow');
    expect((await follower.client.put(`/api/v1/articles/${followed.slug}/follow`)).status).toBe(200);
    await html(follower.client, `/articles/${followed.slug}`);

    await postComment(other.client, followed.slug, 'One.');
    await postComment(other.client, followed.slug, 'Two.');
    await postComment(follower.client, followed.slug, 'My own.');
    const api = await follower.client.get('/api/v1/me/following');
    expect(api.status).toBe(200);
    expect(api.body.conversations[0]).toMatchObject({ article: { slug: followed.slug, url: `/articles/${followed.slug}` }, commentCount: 3, newReplies: 2 });

    let page = await html(follower.client, '/following');
    expect(page).toContain('<a href="/following" aria-current="page">Following</a>');
    expect(page).toContain(`<a class="following-list__new" href="/articles/${followed.slug}#comments">2 new replies</a>`);

    // Opening the conversation is the visit: nothing is new afterwards.
    await html(follower.client, `/articles/${followed.slug}`);
    expect((await follower.client.get('/api/v1/me/following')).body.conversations[0]).toMatchObject({ newReplies: 0 });
    page = await html(follower.client, '/following');
    expect(page).toContain('No new replies');
    expect(await html(follower.client, '/activity')).toContain('<a href="/following">Following</a>');

    const anonymous = new TestClient(c.app.baseUrl);
    expect((await anonymous.get('/api/v1/me/following')).status).toBe(401);
    const redirect = await anonymous.raw('/following');
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('/signin?next=%2Ffollowing');
    expect((await follower.client.get('/api/v1/me/following?cursor=nonsense')).status).toBe(400);
  });

  it('serves /favicon.ico, the manifest and its icons from our origin, cached long, and links them from every page', async () => {
    const anonymous = new TestClient(c.app.baseUrl);
    const favicon = await anonymous.raw('/favicon.ico');
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toBe('image/x-icon');
    expect(favicon.headers.get('cache-control')).toBe('public, max-age=604800');
    const bytes = Buffer.from(await favicon.arrayBuffer());
    expect([bytes.readUInt16LE(2), bytes.readUInt16LE(4)]).toEqual([1, 3]);

    const manifest = await anonymous.raw('/manifest.webmanifest');
    expect(manifest.headers.get('content-type')).toBe('application/manifest+json; charset=utf-8');
    const body = (await manifest.json()) as { name: string; icons: { src: string; sizes: string; purpose?: string }[] };
    expect(body.name).toBe('Parley');
    expect(body.icons.map((i) => i.sizes)).toEqual(['any', '192x192', '512x512', '512x512']);
    for (const icon of body.icons) {
      const res = await anonymous.raw(icon.src);
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get('cache-control'), icon.src).toBe('public, max-age=31536000, immutable');
    }

    for (const path of ['/', `/articles/${plain.slug}`, '/signin', '/no-such-page']) {
      const page = await (await anonymous.raw(path, { headers: { accept: 'text/html' } })).text();
      expect(page, path).toContain('<link rel="icon" href="/favicon.ico" sizes="48x48"/>');
      expect(page, path).toContain('<link rel="manifest" href="/manifest.webmanifest"/>');
    }
  });
});
