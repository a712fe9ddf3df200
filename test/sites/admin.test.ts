import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import { findSiteByKey, forgetSites, moderatorSiteIds } from '../../src/sites/store.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient, type TestUser } from '../helpers/users.ts';
import { storyDraft } from '../helpers/drafts.ts';

// Sites for admins (issue 11 §1): the API and the pages, their refusals, secrets that never come
// back in clear, and an audit row for every change. Also: Parley's own front page and feed are the
// default site's, and the article API names each article's site.

const SECRET = 'a-publisher-secret-that-is-long-enough-0123456789';

describe.each(dialects)('sites for admins on %s', (dialect) => {
  let app: TestApp;
  let admin: TestClient;
  let adminUser: TestUser;
  let moderator: TestClient;
  let reader: TestClient;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    adminUser = await createTestUser(app.ctx, { displayName: 'Ada Admin', role: 'admin' });
    admin = await signedInClient(app.ctx, app.baseUrl, adminUser);
    moderator = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { displayName: 'Moira Mod', role: 'moderator' }));
    reader = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { displayName: 'Rita Reader' }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const auditOf = async (key: string) => {
    const res = await admin.get(`/api/v1/moderation/audit?targetType=site`);
    expect(res.status).toBe(200);
    return (res.body.entries as { action: string; targetId: string; actorHandle: string | null; detail: any }[]).filter((e) => e.targetId === key);
  };

  it('creates a site through the API, its key made from its name, and audits it', async () => {
    const res = await admin.post('/api/v1/admin/sites', { name: 'The Example Times', origins: ['https://www.example-news.com/', 'https://example-news.com'], sso: { jwt: { secret: SECRET } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.site).toMatchObject({
      key: 'the-example-times',
      name: 'The Example Times',
      origins: ['https://www.example-news.com', 'https://example-news.com'],
      articleCount: 0,
      sso: { jwt: { secret: 'set', jwksUrl: null }, oidc: null, roles: null },
      embed: {
        snippet: '<div id="parley-comments"></div><script src="http://parley.test/embed.js" data-site="the-example-times" async></script>',
        countSnippet: '<script src="http://parley.test/count.js" data-site="the-example-times" async></script>',
      },
    });
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    const [entry] = await auditOf('the-example-times');
    expect(entry).toMatchObject({ action: 'site.create', actorHandle: adminUser.handle, detail: { name: 'The Example Times', sso: { jwt: { secret: 'set' } } } });
    expect(JSON.stringify(entry)).not.toContain(SECRET);
    // The secret itself is stored for the server's own use.
    forgetSites(app.ctx.db.kysely);
    expect((await findSiteByKey(app.ctx.db.kysely, 'the-example-times'))!.sso.jwt!.secret).toBe(SECRET);
  });

  it('lists the sites with their article counts, and reads one', async () => {
    await importArticle(app.ctx, storyDraft('Harbour works start', 'https://www.example-news.com/harbour'), { siteId: (await findSiteByKey(app.ctx.db.kysely, 'the-example-times'))!.id });
    const list = await admin.get('/api/v1/admin/sites');
    expect(list.status).toBe(200);
    const keys = (list.body.sites as { key: string; articleCount: number }[]).map((s) => [s.key, s.articleCount]);
    expect(keys).toEqual(expect.arrayContaining([['default', 0], ['the-example-times', 1]]));
    const one = await admin.get('/api/v1/admin/sites/the-example-times');
    expect(one.status).toBe(200);
    expect(one.body.site.articleCount).toBe(1);
    expect(JSON.stringify(one.body)).not.toContain(SECRET);
    expect((await admin.get('/api/v1/admin/sites/no-such-site')).status).toBe(404);
  });

  it('changes a site with PATCH: fields left out stay, a secret left out is kept, null removes it; each change audited without the secret', async () => {
    const res = await admin.patch('/api/v1/admin/sites/the-example-times', {
      origins: ['https://news.example.com'],
      theme: { accent: '#123456', fontBody: 'Georgia, serif' },
      sso: { jwt: { jwksUrl: 'https://example-news.com/.well-known/jwks.json' }, oidc: { issuer: 'https://id.example-news.com', clientId: 'parley', clientSecret: 'oidc-client-secret-value', label: 'Example Times' }, roles: { claim: 'roles', map: { editor: 'staff', mod: 'moderator' } } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.site).toMatchObject({
      name: 'The Example Times',
      origins: ['https://news.example.com'],
      theme: { accent: '#123456', fontBody: 'Georgia, serif' },
      sso: { jwt: { secret: 'set', jwksUrl: 'https://example-news.com/.well-known/jwks.json' }, oidc: { issuer: 'https://id.example-news.com', clientId: 'parley', clientSecret: 'set', label: 'Example Times' }, roles: { claim: 'roles', map: { editor: 'staff', mod: 'moderator' } } },
    });
    expect(JSON.stringify(res.body)).not.toContain('oidc-client-secret-value');
    const [update] = await auditOf('the-example-times');
    expect(update!.action).toBe('site.update');
    expect(update!.detail).toMatchObject({ origins: { from: ['https://www.example-news.com', 'https://example-news.com'], to: ['https://news.example.com'] }, oidcClientSecret: 'set' });
    expect(update!.detail.name).toBeUndefined();
    expect(update!.detail.jwtSecret).toBeUndefined();
    expect(JSON.stringify(update)).not.toContain('oidc-client-secret-value');

    const removed = await admin.patch('/api/v1/admin/sites/the-example-times', { sso: { jwt: { secret: null } } });
    expect(removed.body.site.sso.jwt).toEqual({ secret: null, jwksUrl: 'https://example-news.com/.well-known/jwks.json' });
    expect((await auditOf('the-example-times'))[0]!.detail.jwtSecret).toBe('removed');
    // A PATCH that changes nothing writes no audit row.
    const before = (await auditOf('the-example-times')).length;
    expect((await admin.patch('/api/v1/admin/sites/the-example-times', { name: 'The Example Times' })).status).toBe(200);
    expect((await auditOf('the-example-times')).length).toBe(before);
  });

  it('refuses bad input with a 400 that says what is wrong, and a taken key with a 409', async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: 'Paths', origins: ['https://example.com/news'] }, /is not an origin: give the scheme and host only/],
      [{ name: 'Schemes', origins: ['ftp://example.com'] }, /is not an origin/],
      [{ name: 'Bad key', key: 'Not A Key', origins: [] }, /The key must be 1 to 40 lower-case letters/],
      [{ name: '', origins: [] }, /name must be between 1 and 120/],
      [{ name: 'Short secret', origins: [], sso: { jwt: { secret: 'short' } } }, /at least 32 characters/],
      [{ name: 'Colour', origins: [], theme: { accent: 'red; background: url(x)' } }, /Accent colour: .* is not a value Parley can use/],
      [{ name: 'Roles', origins: [], sso: { roles: { claim: 'roles', map: { boss: 'admin' } } } }, /only be staff or moderator/],
      [{ name: 'No origins' }, /missing the field "origins"/],
    ];
    for (const [body, message] of cases) {
      const res = await admin.post('/api/v1/admin/sites', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
    }
    const taken = await admin.post('/api/v1/admin/sites', { name: 'Again', key: 'the-example-times', origins: [] });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toContain('already a site with the key');
    const patch = await admin.patch('/api/v1/admin/sites/the-example-times', { origins: ['nonsense'] });
    expect(patch.status).toBe(400);
    expect(patch.body.error.code).toBe('invalid_site');
  });

  it('creates a key once when admins send it at the same moment: the others get the 409, not a 500', async () => {
    // On PostgreSQL the transactions run side by side: each finds the key free, one insert wins and
    // the others meet the unique index.
    await admin.csrfToken();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => admin.post('/api/v1/admin/sites', { name: `Racing ${i}`, key: 'racing-desk', origins: [] })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const refused of results.filter((r) => r.status === 409)) expect(refused.body.error.code).toBe('site_exists');
  });

  it('refuses everyone but admins', async () => {
    const anonymous = new TestClient(app.baseUrl);
    for (const [client, status] of [[moderator, 403], [reader, 403], [anonymous, 401]] as const) {
      expect((await client.get('/api/v1/admin/sites')).status).toBe(status);
      expect((await client.post('/api/v1/admin/sites', { name: 'Nope', origins: [] })).status).toBe(status);
      expect((await client.get('/api/v1/admin/sites/the-example-times')).status).toBe(status);
      expect((await client.patch('/api/v1/admin/sites/the-example-times', { name: 'Nope' })).status).toBe(status);
      expect((await client.raw('/admin/sites', { headers: { accept: 'text/html' } })).status).toBe(status === 401 ? 401 : 403);
      expect((await client.form('/admin/sites/the-example-times/secret', {})).status).toBe(status === 401 ? 401 : 403);
    }
    expect((await admin.get('/api/v1/admin/sites/the-example-times')).body.site.name).toBe('The Example Times');
  });

  it('lists the sites on the admin page and creates one from the form', async () => {
    const page = await (await admin.raw('/admin', { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('href="/admin/sites"');
    const list = await (await admin.raw('/admin/sites', { headers: { accept: 'text/html' } })).text();
    expect(list).toContain('The Example Times');
    expect(list).toContain('https://news.example.com');
    const created = await admin.form('/admin/sites', { name: 'Südkurier Online', key: '', origins: 'https://www.suedkurier.example\r\n\r\nhttps://suedkurier.example' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/admin/sites/sudkurier-online?created=1');
    const site = await (await admin.raw('/admin/sites/sudkurier-online?created=1', { headers: { accept: 'text/html' } })).text();
    expect(site).toContain('The site is created');
    const unescaped = site.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
    expect(unescaped).toContain('<textarea id="snippet" readonly rows="3"><div id="parley-comments"></div><script src="http://parley.test/embed.js" data-site="sudkurier-online" async></script></textarea>');
    expect(unescaped).toContain('<script src="http://parley.test/count.js" data-site="sudkurier-online" async></script></textarea>');
    expect(site).toContain('https://www.suedkurier.example\nhttps://suedkurier.example</textarea>');
  });

  it('gives the form back with what was typed and each problem next to its field', async () => {
    const refused = await admin.form('/admin/sites', { name: 'Bad <b>origins</b>', key: '', origins: 'https://ok.example\nhttps://bad.example/path' });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/id="new-origins-error">“https:\/\/bad\.example\/path” is not an origin/);
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('value="Bad &lt;b>origins&lt;/b>"');
    expect(html).toContain('https://ok.example\nhttps://bad.example/path</textarea>');

    const taken = await admin.form('/admin/sites', { name: 'The Example Times', key: '', origins: '' });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('There is already a site with the key “the-example-times”');

    const edit = await admin.form('/admin/sites/sudkurier-online', { name: 'Südkurier', origins: 'https://suedkurier.example', accent: 'url(evil)', jwksUrl: 'ftp://keys', roleClaim: '', roleMap: 'editor = staff' });
    expect(edit.status).toBe(400);
    const editHtml = await edit.text();
    expect(editHtml).toMatch(/id="site-accent-error">Accent colour: “url\(evil\)” is not a value Parley can use/);
    expect(editHtml).toMatch(/id="site-jwksUrl-error">The JWKS address must be an http\(s\) address/);
    expect(editHtml).toMatch(/id="site-roleClaim-error">Name the claim/);
    // A French browser reads the same problem in French.
    const editFr = await admin.raw('/admin/sites/sudkurier-online', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'accept-language': 'fr' },
      body: new URLSearchParams({ _csrf: await admin.csrfToken(), name: 'Südkurier', origins: 'https://suedkurier.example', roleClaim: '', roleMap: 'editor = staff' }).toString(),
    });
    expect(editFr.status).toBe(400);
    expect(await editFr.text()).toMatch(/id="site-roleClaim-error">Nommez l’attribut \(claim\) qui porte ces valeurs/);
    expect(editHtml).toContain('value="url(evil)"');
    expect(editHtml).toContain('Please correct the 3 fields marked below.');
    // Nothing was saved.
    expect((await admin.get('/api/v1/admin/sites/sudkurier-online')).body.site.name).toBe('Südkurier Online');
  });

  it('saves the edit form: origins, look, single sign-on; an empty client secret field keeps the secret', async () => {
    const saved = await admin.form('/admin/sites/sudkurier-online', {
      name: 'Südkurier',
      origins: 'https://suedkurier.example\nhttps://www.suedkurier.example\nhttps://m.suedkurier.example',
      accent: '#004f9f',
      background: '',
      text: 'rgb(20, 20, 20)',
      fontBody: "'Source Serif', Georgia, serif",
      fontHeadline: '',
      jwksUrl: '',
      oidcIssuer: 'https://login.suedkurier.example',
      oidcClientId: 'parley-client',
      oidcClientSecret: 'the-oidc-secret',
      oidcLabel: 'Südkurier',
      roleClaim: 'groups',
      roleMap: 'redaktion = staff\r\nmoderation = moderator',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/admin/sites/sudkurier-online?saved=1');
    const again = await admin.form('/admin/sites/sudkurier-online', {
      name: 'Südkurier',
      origins: 'https://suedkurier.example\nhttps://www.suedkurier.example\nhttps://m.suedkurier.example',
      accent: '#004f9f',
      text: 'rgb(20, 20, 20)',
      fontBody: "'Source Serif', Georgia, serif",
      oidcIssuer: 'https://login.suedkurier.example',
      oidcClientId: 'parley-client',
      oidcClientSecret: '',
      oidcLabel: 'Südkurier',
      roleClaim: 'groups',
      roleMap: 'redaktion = staff\nmoderation = moderator',
    });
    expect(again.status).toBe(303);
    const site = (await admin.get('/api/v1/admin/sites/sudkurier-online')).body.site;
    expect(site).toMatchObject({
      name: 'Südkurier',
      origins: ['https://suedkurier.example', 'https://www.suedkurier.example', 'https://m.suedkurier.example'],
      theme: { accent: '#004f9f', text: 'rgb(20, 20, 20)', fontBody: "'Source Serif', Georgia, serif" },
      sso: { jwt: null, oidc: { issuer: 'https://login.suedkurier.example', clientId: 'parley-client', clientSecret: 'set', label: 'Südkurier' }, roles: { claim: 'groups', map: { redaktion: 'staff', moderation: 'moderator' } } },
    });
    forgetSites(app.ctx.db.kysely);
    expect((await findSiteByKey(app.ctx.db.kysely, 'sudkurier-online'))!.sso.oidc!.clientSecret).toBe('the-oidc-secret');
    const page = await (await admin.raw('/admin/sites/sudkurier-online', { headers: { accept: 'text/html' } })).text();
    expect(page).not.toContain('the-oidc-secret');
    expect(page).toContain('A client secret is set; leave empty to keep it.');
  });

  it('generates a new signing secret and shows it once, never again', async () => {
    const res = await admin.form('/admin/sites/sudkurier-online/secret', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const secret = /id="new-secret" readonly="" value="([A-Za-z0-9_-]+)"/i.exec(html)?.[1] ?? /id="new-secret"[^>]*value="([A-Za-z0-9_-]+)"/.exec(html)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    forgetSites(app.ctx.db.kysely);
    expect((await findSiteByKey(app.ctx.db.kysely, 'sudkurier-online'))!.sso.jwt!.secret).toBe(secret);
    const later = await (await admin.raw('/admin/sites/sudkurier-online', { headers: { accept: 'text/html' } })).text();
    expect(later).not.toContain(secret!);
    expect(later).toContain('a signing secret is set.');
    expect(JSON.stringify((await admin.get('/api/v1/admin/sites/sudkurier-online')).body)).not.toContain(secret!);
    const [entry] = await auditOf('sudkurier-online');
    expect(entry).toMatchObject({ action: 'site.update', detail: { jwtSecret: 'set' } });
    expect(JSON.stringify(entry)).not.toContain(secret!);
    // A second one replaces it.
    await (await admin.form('/admin/sites/sudkurier-online/secret', {})).text();
    expect((await auditOf('sudkurier-online'))[0]!.detail.jwtSecret).toBe('replaced');
  });

  it('limits a moderator to some sites from the admin page and the API, audited; only moderators', async () => {
    const mod = await createTestUser(app.ctx, { displayName: 'Limited Lou', role: 'moderator' });
    const res = await admin.form('/admin/moderator-sites', { handle: `@${mod.handle}`, 'site:sudkurier-online': '1', 'site:the-example-times': '1' });
    expect(res.status).toBe(303);
    const ids = async () => (await moderatorSiteIds(app.ctx.db.kysely, mod.id)).sort();
    const [sk, et] = [(await findSiteByKey(app.ctx.db.kysely, 'sudkurier-online'))!.id, (await findSiteByKey(app.ctx.db.kysely, 'the-example-times'))!.id];
    expect(await ids()).toEqual([sk, et].sort());
    const adminPage = await (await admin.raw('/admin', { headers: { accept: 'text/html' } })).text();
    expect(adminPage).toContain(`@${mod.handle}: sudkurier-online, the-example-times`);
    const read = await admin.get(`/api/v1/admin/readers/${mod.handle}/sites`);
    expect(read.body.sites.sort()).toEqual(['sudkurier-online', 'the-example-times']);
    const put = await admin.put(`/api/v1/admin/readers/${mod.handle}/sites`, { sites: ['the-example-times'] });
    expect(put.status).toBe(200);
    expect(await ids()).toEqual([et]);
    const audit = (await admin.get('/api/v1/moderation/audit?action=moderator.sites')).body.entries as { targetId: string; detail: { sites: string[] } }[];
    expect(audit.filter((e) => e.targetId === String(mod.id)).map((e) => e.detail.sites)).toEqual([['the-example-times'], ['sudkurier-online', 'the-example-times']]);
    expect(adminPage).not.toContain('<script src=');
    expect((await admin.put(`/api/v1/admin/readers/${mod.handle}/sites`, { sites: ['nowhere'] })).body.error.message).toContain('There is no site “nowhere”');
    const notModerator = await admin.put(`/api/v1/admin/readers/${adminUser.handle}/sites`, { sites: ['the-example-times'] });
    expect(notModerator.status).toBe(400);
    expect(notModerator.body.error.message).toContain('only moderators can be limited');
    expect((await admin.put(`/api/v1/admin/readers/${mod.handle}/sites`, { sites: [] })).status).toBe(200);
    expect(await ids()).toEqual([]);
  });

  it('replaces a moderator’s sites whole when admins send new lists at the same moment', async () => {
    const mod = await createTestUser(app.ctx, { displayName: 'Racing Rae', role: 'moderator' });
    const lists = [['sudkurier-online', 'the-example-times'], ['the-example-times']];
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => admin.put(`/api/v1/admin/readers/${mod.handle}/sites`, { sites: lists[i % 2] })));
    // On PostgreSQL both deleted the old list, both inserted, and the later met the unique index: 500.
    for (const res of results) expect([200, 503], JSON.stringify(res.body)).toContain(res.status);
    const keys = (await admin.get(`/api/v1/admin/readers/${mod.handle}/sites`)).body.sites.sort();
    expect(lists).toContainEqual(keys);
  });

  it('shows the default site’s articles on the front page and in the feed, and names each article’s site in the API', async () => {
    const { article: home } = await importArticle(app.ctx, storyDraft('Town hall opens its doors', 'https://parley.test/town-hall'));
    const elsewhere = (await findSiteByKey(app.ctx.db.kysely, 'the-example-times'))!;
    const front = await (await new TestClient(app.baseUrl).raw('/', { headers: { accept: 'text/html' } })).text();
    expect(front).toContain('Town hall opens its doors');
    expect(front).not.toContain('Harbour works start');
    const feed = await (await new TestClient(app.baseUrl).raw('/feed.xml')).text();
    expect(feed).toContain('Town hall opens its doors');
    expect(feed).not.toContain('Harbour works start');

    const all = (await reader.get('/api/v1/articles')).body.articles as { slug: string; site: string; headline: string }[];
    expect(all.find((a) => a.headline === 'Harbour works start')?.site).toBe(elsewhere.key);
    expect(all.find((a) => a.slug === home.slug)?.site).toBe('default');
    const filtered = (await reader.get('/api/v1/articles?site=the-example-times')).body.articles as { headline: string }[];
    expect(filtered.map((a) => a.headline)).toEqual(['Harbour works start']);
    expect((await reader.get('/api/v1/articles?site=nowhere')).status).toBe(404);
    expect((await reader.get(`/api/v1/articles/${home.slug}`)).body.article.site).toBe('default');
  });
});
