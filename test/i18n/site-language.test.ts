import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import { recipientTranslator } from '../../src/email/recipient-locale.ts';
import { findSiteByKey } from '../../src/sites/store.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import type { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';
import { storyDraft } from '../helpers/drafts.ts';

// A site's own language (issue 16, sites.locale): set by admins on the site's page or by the API,
// spoken by the site's articles and embed frames to readers whose browser asks for no language
// Parley speaks, and by mails about the site; a change drops the site's cached pages at once.

const ORIGIN = 'https://www.le-quotidien.example';

describe.each(dialects)('a site’s own language (%s)', (dialect) => {
  let app: TestApp;
  let admin: TestClient;
  let articlePath: string;
  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { displayName: 'Ada Admin', role: 'admin' }));
    const created = await admin.post('/api/v1/admin/sites', { name: 'Le Quotidien', key: 'le-quotidien', origins: [ORIGIN] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.site.locale).toBeNull();
    const site = (await findSiteByKey(app.ctx.db.kysely, 'le-quotidien'))!;
    const { article } = await importArticle(app.ctx, storyDraft('Le port rouvre', `${ORIGIN}/port`), { siteId: site.id });
    articlePath = `/articles/${article.slug}`;
  });
  afterAll(() => app?.close());

  const anonymous = (path: string, headers: Record<string, string> = {}) => fetch(`${app.baseUrl}${path}`, { headers: { accept: 'text/html', ...headers } }).then((r) => r.text());

  test('the API sets and clears the language, refuses one Parley does not speak, and audits the change', async () => {
    const bad = await admin.patch('/api/v1/admin/sites/le-quotidien', { locale: 'xx' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_site');
    expect(bad.body.error.message).toMatch(/does not speak “xx”/);

    const set = await admin.patch('/api/v1/admin/sites/le-quotidien', { locale: 'fr' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.site.locale).toBe('fr');
    const audit = await admin.get('/api/v1/moderation/audit?targetType=site');
    const change = (audit.body.entries as { action: string; targetId: string; detail: any }[]).find((e) => e.targetId === 'le-quotidien' && e.action === 'site.update');
    expect(change?.detail.locale).toEqual({ from: null, to: 'fr' });

    const cleared = await admin.patch('/api/v1/admin/sites/le-quotidien', { locale: null });
    expect(cleared.body.site.locale).toBeNull();
  });

  test('the site’s articles speak its language unless the browser asks for one Parley speaks; cached copies go at once', async () => {
    // Cached in English first (anonymous, no language asked for), then the site turns French.
    expect(await anonymous(articlePath)).toContain('<html lang="en-GB"');
    expect(await anonymous(articlePath)).toContain('<html lang="en-GB"');
    const res = await admin.patch('/api/v1/admin/sites/le-quotidien', { locale: 'fr' });
    expect(res.status).toBe(200);
    const html = await waitFor(async () => {
      const page = await anonymous(articlePath);
      return page.includes('<html lang="fr"') ? page : null;
    }, 'the cached English copy to be dropped', 5000);
    expect(html).toContain('Aller au contenu');
    // A browser that asks for English still gets English; the default site's pages keep the service's language.
    expect(await anonymous(articlePath, { 'accept-language': 'en-GB,en;q=0.9' })).toContain('<html lang="en-GB"');
    expect(await anonymous('/')).toContain('<html lang="en-GB"');
    await admin.patch('/api/v1/admin/sites/le-quotidien', { locale: null });
  });

  test('the embed frame speaks the site’s language, refusals included', async () => {
    await admin.patch('/api/v1/admin/sites/le-quotidien', { locale: 'fr' });
    const frame = await anonymous(`/embed/le-quotidien?url=${encodeURIComponent(`${ORIGIN}/port`)}&origin=${encodeURIComponent(ORIGIN)}`);
    expect(frame).toContain('<html lang="fr" dir="ltr">');
    expect(frame).toContain('<title>Commentaires sur «\u00a0Le port rouvre\u00a0» — Le Quotidien</title>');
    const refused = await anonymous(`/embed/le-quotidien?url=${encodeURIComponent(`${ORIGIN}/port`)}&origin=${encodeURIComponent('https://elsewhere.example')}`);
    expect(refused).toContain('Cette conversation ne peut pas s’afficher sur https://elsewhere.example');
    await admin.patch('/api/v1/admin/sites/le-quotidien', { locale: null });
  });

  test('the site’s admin page sets the language by a plain form, in the admin’s own language', async () => {
    const page = await admin.page('/admin/sites/le-quotidien', { 'accept-language': 'fr' });
    expect(page).toContain('Langue des pages, des intégrations et des courriels du site');
    expect(page).toMatch(/<option value="fr"[^>]*>français<\/option>/);
    const res = await admin.form('/admin/sites/le-quotidien', { name: 'Le Quotidien', origins: ORIGIN, locale: 'fr' });
    expect(res.status).toBe(303);
    expect((await findSiteByKey(app.ctx.db.kysely, 'le-quotidien'))!.locale).toBe('fr');
    const refused = await admin.form('/admin/sites/le-quotidien', { name: 'Le Quotidien', origins: ORIGIN, locale: 'klingon' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Parley does not speak “klingon”');
    const french = await admin.raw('/admin/sites/le-quotidien', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'accept-language': 'fr' },
      body: new URLSearchParams({ name: 'Le Quotidien', origins: 'pas une origine', locale: 'fr', _csrf: await admin.csrfToken() }).toString(),
    });
    expect(french.status).toBe(400);
    expect(await french.text()).toContain('«\u00a0pas une origine\u00a0» n’est pas une origine\u00a0: donnez seulement le protocole et l’hôte');
    await admin.patch('/api/v1/admin/sites/le-quotidien', { locale: null });
  });

  test('mails about a site speak its language to readers who chose none, and a reader’s choice wins', async () => {
    const site = (await findSiteByKey(app.ctx.db.kysely, 'le-quotidien'))!;
    const reader = await createTestUser(app.ctx, { displayName: 'Rémi Lecteur' });
    expect((await recipientTranslator(app.ctx.db.kysely, { userId: reader.id }, { locale: 'fr' })).locale).toBe('fr');
    expect((await recipientTranslator(app.ctx.db.kysely, { userId: reader.id }, site)).locale).toBe(site.locale ?? 'en');
    expect((await recipientTranslator(app.ctx.db.kysely, { userId: reader.id })).locale).toBe('en');
    await app.ctx.db.kysely.updateTable('users').set({ locale: 'en' }).where('id', '=', reader.id).execute();
    expect((await recipientTranslator(app.ctx.db.kysely, { userId: reader.id }, { locale: 'fr' })).locale).toBe('en');
  });
});
