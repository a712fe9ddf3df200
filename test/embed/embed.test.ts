import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite } from '../../src/sites/store.ts';
import type { Site } from '../../src/sites/model.ts';
import { TestClient } from '../helpers/client.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';

// A publisher's page embeds the conversation: the frame is allowed only inside the site's origins,
// creates the article on its first load (and fetches the page once for its headline), and readers
// sign in through a first-party window whose one-time code becomes the frame's bearer token.

const STATE = 'state-0123456789abcdef-xyz';

describe.each(dialects)('the embed on %s', (dialect) => {
  let app: TestApp;
  let publisher: http.Server;
  let publisherOrigin: string;
  let site: Site;
  const pagesFetched: string[] = [];

  beforeAll(async () => {
    publisher = http.createServer((req, res) => {
      pagesFetched.push(req.url ?? '');
      if (req.url?.startsWith('/news/')) {
        return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><title>Harbour reopens | Example News</title>
<meta property="og:title" content="Harbour reopens after the storm">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Harbour reopens after the storm","datePublished":"2026-11-30T08:15:00+00:00","author":{"@type":"Person","name":"Jane Marlow"}}</script>
</head><body><article><h1>Harbour reopens after the storm</h1><p class="byline">By Jane Marlow</p>
<p>The harbour reopened on Monday morning after three days of closure, the port authority said, as crews cleared debris from the main channel.</p>
<p>Fishing boats were the first to leave, followed by the ferry to the island, which had been stranded on the mainland side since Friday.</p>
<p>Officials said the breakwater had held, though parts of the promenade will stay closed for repairs until the spring.</p></article></body></html>`);
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
    publisherOrigin = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}`;
    app = await startTestApp(dialect, { FETCH_PRIVATE: 'allow' });
    site = await createSite(app.ctx, { key: 'example-news', name: 'Example News', origins: [publisherOrigin] });
  });
  afterAll(async () => {
    await app?.close();
    publisher?.close();
  });

  const frameUrl = (path: string, extra: Record<string, string> = {}) =>
    `/embed/${site.key}?${new URLSearchParams({ url: `${publisherOrigin}${path}`, title: 'Harbour reopens', origin: publisherOrigin, ...extra }).toString()}`;

  it('shows the conversation in a frame only the site’s origins may hold, and creates the article once', async () => {
    const res = await fetch(`${app.baseUrl}${frameUrl('/news/harbour')}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors ${publisherOrigin}`);
    expect(csp).not.toContain("frame-ancestors 'self'");
    expect(res.headers.get('x-frame-options')).toBeNull();
    const html = await res.text();
    expect(html).toContain('id="comments"');
    expect(html).toContain('data-embed-signin="signin"');
    // Other pages still refuse to be framed.
    const front = await fetch(`${app.baseUrl}/`);
    expect(front.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");

    // The same page written another way is the same conversation.
    await fetch(`${app.baseUrl}${frameUrl('/news/harbour/?utm_source=mail#comments')}`);
    const rows = await app.ctx.db.kysely.selectFrom('articles').select(['id', 'site_id', 'headline', 'source_url']).where('site_id', '=', site.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.source_url).toBe(`${publisherOrigin}/news/harbour`);
  });

  it('fills the headline, author and date in from the publisher’s page, fetched once', async () => {
    const article = await waitFor(
      async () => {
        const row = await app.ctx.db.kysely.selectFrom('articles').selectAll().where('site_id', '=', site.id).executeTakeFirst();
        return row && row.headline === 'Harbour reopens after the storm' ? row : null;
      },
      'the page to be fetched and imported',
      10_000,
    );
    expect(JSON.parse(article.authors)).toEqual([{ name: 'Jane Marlow' }]);
    expect(article.published_at).toBe('2026-11-30T08:15:00.000Z');
    expect(pagesFetched.filter((p) => p.startsWith('/news/harbour'))).toHaveLength(1);
  });

  it('refuses addresses and hosts outside the site’s origins, and creates nothing for them', async () => {
    const before = await app.ctx.db.kysely.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const elsewhere = await fetch(`${app.baseUrl}/embed/${site.key}?${new URLSearchParams({ url: 'https://evil.example/news/x', origin: publisherOrigin }).toString()}`);
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.text()).toContain('is not one of the addresses Example News allows');
    const framedElsewhere = await fetch(`${app.baseUrl}${frameUrl('/news/other', { origin: 'https://evil.example' })}`);
    expect(framedElsewhere.status).toBe(403);
    const notAddress = await fetch(`${app.baseUrl}/embed/${site.key}?${new URLSearchParams({ url: 'javascript:alert(1)', origin: publisherOrigin }).toString()}`);
    expect(notAddress.status).toBe(400);
    const unknown = await fetch(`${app.baseUrl}/embed/no-such-site?${new URLSearchParams({ url: `${publisherOrigin}/a`, origin: publisherOrigin }).toString()}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('There is no site “no-such-site”');
    const after = await app.ctx.db.kysely.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('signs the frame in through the first-party window: a one-time code bound to the frame’s state', async () => {
    const reader = await createTestUser(app.ctx, { displayName: 'Frame Reader' });
    const browser = await signedInClient(app.ctx, app.baseUrl, reader);
    // Signed out, the window goes to the sign-in page and comes back here.
    const anonymous = await new TestClient(app.baseUrl).raw(`/embed/signin?state=${STATE}&site=${site.key}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`/signin?next=${encodeURIComponent(`/embed/signed-in?state=${STATE}`)}`);
    expect(anonymous.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');

    const handoff = await browser.raw(`/embed/signed-in?state=${STATE}`);
    expect(handoff.status).toBe(200);
    expect(handoff.headers.get('cache-control')).toBe('no-store');
    const code = /data-code="([^"]+)"/.exec(await handoff.text())![1]!;

    const wrongState = await new TestClient(app.baseUrl).json('POST', '/api/v1/embed/token', { code, state: 'another-state-0123456789' }, { csrf: false });
    expect(wrongState.status).toBe(400);
    const exchanged = await new TestClient(app.baseUrl).json('POST', '/api/v1/embed/token', { code, state: STATE }, { csrf: false });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.user.displayName).toBe('Frame Reader');
    const again = await new TestClient(app.baseUrl).json('POST', '/api/v1/embed/token', { code, state: STATE }, { csrf: false });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('invalid_code');

    // The token is all the frame has: no cookie, no CSRF token.
    const bearer = { authorization: `Bearer ${exchanged.body.token}` };
    const me = await new TestClient(app.baseUrl).json('GET', '/api/v1/me', undefined, { headers: bearer });
    expect(me.body.user.handle).toBe(reader.handle);
    const article = await app.ctx.db.kysely.selectFrom('articles').select('slug').where('site_id', '=', site.id).executeTakeFirstOrThrow();
    const posted = await new TestClient(app.baseUrl).json('POST', `/api/v1/articles/${article.slug}/comments`, { body: 'Posted from inside the frame.' }, { csrf: false, headers: bearer });
    expect(posted.status).toBe(201);

    // The signed-in section names the reader and offers a way out; the anonymous frame does not.
    const section = await fetch(`${app.baseUrl}${frameUrl('/news/harbour').replace(`/embed/${site.key}?`, `/embed/${site.key}/section?`)}`, { headers: bearer });
    const sectionHtml = await section.text();
    expect(sectionHtml).toContain('Signed in as <strong>Frame Reader</strong>');
    expect(sectionHtml).toContain('data-embed-signout');
    expect(sectionHtml).toContain('Posted from inside the frame.');

    const out = await new TestClient(app.baseUrl).json('POST', '/api/v1/auth/logout', undefined, { csrf: false, headers: bearer });
    expect(out.status).toBe(204);
    const gone = await new TestClient(app.baseUrl).json('GET', '/api/v1/me', undefined, { headers: bearer });
    expect(gone.status).toBe(401);
  });

  it('offers the site’s own OpenID sign-in in the frame, through the same first-party window', async () => {
    const { updateSite } = await import('../../src/sites/store.ts');
    const none = await new TestClient(app.baseUrl).raw(`/embed/signin?mode=oidc&site=${site.key}&state=${STATE}`);
    expect(none.status).toBe(404);
    await updateSite(app.ctx, site.id, { sso: { oidc: { issuer: 'http://127.0.0.1:9/', clientId: 'parley', label: 'Example News accounts' } } });
    const frame = await (await fetch(`${app.baseUrl}${frameUrl('/news/harbour', { sort: 'oldest' })}`)).text();
    expect(frame).toContain('data-embed-signin="oidc"');
    expect(frame).toContain('Sign in with Example News accounts');
    const start = await new TestClient(app.baseUrl).raw(`/embed/signin?mode=oidc&site=${site.key}&state=${STATE}`);
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toBe(`/auth/oidc/${site.key}/start?next=${encodeURIComponent(`/embed/signed-in?state=${STATE}`)}`);
    await updateSite(app.ctx, site.id, { sso: {} });
  });

  it('refuses a hand-off page without a proper state', async () => {
    const res = await new TestClient(app.baseUrl).raw('/embed/signin?state=short');
    expect(res.status).toBe(400);
  });

  it('counts comments for a listing page in one request, with CORS for the site’s origins only', async () => {
    const addresses = [`${publisherOrigin}/news/harbour`, `http://127.0.0.1:1/elsewhere`, `${publisherOrigin}/news/never-embedded`];
    const query = new URLSearchParams({ site: site.key });
    for (const a of addresses) query.append('url', a);
    const res = await fetch(`${app.baseUrl}/api/v1/embed/counts?${query.toString()}`, { headers: { origin: publisherOrigin } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(publisherOrigin);
    expect(res.headers.get('cache-control')).toContain('max-age');
    const { counts } = (await res.json()) as { counts: Record<string, number | null> };
    expect(counts).toEqual({ [addresses[0]!]: 1, [addresses[1]!]: null, [addresses[2]!]: 0 });

    const foreign = await fetch(`${app.baseUrl}/api/v1/embed/counts?${query.toString()}`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const tooMany = new URLSearchParams({ site: site.key });
    for (let i = 0; i < 51; i++) tooMany.append('url', `${publisherOrigin}/n/${i}`);
    expect((await fetch(`${app.baseUrl}/api/v1/embed/counts?${tooMany.toString()}`)).status).toBe(400);
    expect((await fetch(`${app.baseUrl}/api/v1/embed/counts?site=nope&url=x`)).status).toBe(404);
  });

  it('serves the site’s look as CSS custom properties', async () => {
    const { updateSite } = await import('../../src/sites/store.ts');
    await updateSite(app.ctx, site.id, { theme: { accent: '#0055aa', fontBody: 'Georgia, serif' } });
    const css = await (await fetch(`${app.baseUrl}/embed/${site.key}/theme.css`)).text();
    expect(css).toContain('--parley-accent: #0055aa;');
    expect(css).toContain('--parley-font-text: Georgia, serif;');
  });
});
