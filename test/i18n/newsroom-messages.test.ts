import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { cliLocale, cliTranslator } from '../../src/i18n/cli.ts';
import { siteCommand } from '../../src/sites/cli.ts';
import { quotesCommand } from '../../src/quotes/cli.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import type { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';

// The newsroom's words in French (issue 16): moderation and admin pages and their refusals, API
// error messages (codes stay as they are), and the commands, which follow the shell's LANG while
// their JSON does not change.

describe('commands speak the shell’s language', () => {
  test('LC_ALL, then LC_MESSAGES, then LANG decide; C and languages Parley does not speak are English', () => {
    expect(cliLocale({ LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(cliLocale({ LC_ALL: 'C', LANG: 'fr_FR.UTF-8' })).toBe('en');
    expect(cliLocale({ LC_MESSAGES: 'fr_CA.UTF-8', LANG: 'en_GB.UTF-8' })).toBe('fr');
    expect(cliLocale({ LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(cliLocale({})).toBe('en');
  });

  test('`parley site` and `parley quotes` refuse in French under LANG=fr, in English otherwise, with the same exit code', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const config = {} as Parameters<typeof siteCommand>[0];
      expect(await siteCommand(config, ['update'], cliTranslator({ LANG: 'fr_FR.UTF-8' }))).toBe(2);
      expect(await siteCommand(config, ['frobnicate'], cliTranslator({ LANG: 'fr_FR.UTF-8' }))).toBe(2);
      expect(await siteCommand(config, ['create', '--origin', 'https://a.example'], cliTranslator({ LANG: 'fr_FR.UTF-8' }))).toBe(2);
      expect(await siteCommand(config, ['update'], cliTranslator({ LANG: 'en_GB.UTF-8' }))).toBe(2);
      expect(await quotesCommand(config, ['extrakt'], cliTranslator({ LANG: 'fr_FR.UTF-8' }))).toBe(2);
      expect(error.mock.calls.map((c) => String(c[0]))).toEqual([
        'parley: site update demande la CLÉ du site',
        'parley: commande de site inconnue «\u00a0frobnicate\u00a0» (create, list, update)',
        'parley: site create demande --name',
        'parley: site update needs the KEY of the site',
        'parley: commande de citations inconnue «\u00a0extrakt\u00a0»\nutilisation\u00a0: parley quotes extract [--site CLÉ]',
      ]);
    } finally {
      error.mockRestore();
    }
  });
});

describe.each(dialects)('moderation and admin in French (%s)', (dialect) => {
  let app: TestApp;
  let moderator: TestClient;
  let admin: TestClient;
  beforeAll(async () => {
    app = await startTestApp(dialect);
    moderator = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { displayName: 'Mona Moderator', role: 'moderator' }));
    admin = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { displayName: 'Ada Admin', role: 'admin' }));
  });
  afterAll(() => app?.close());

  const post = async (client: TestClient, path: string, fields: Record<string, string>, language: string) => {
    const body = new URLSearchParams({ ...fields, _csrf: await client.csrfToken() });
    return client.raw(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'accept-language': language }, body: body.toString() });
  };

  test('the queue, the readers page and the admin pages read in French, and in English as before', async () => {
    const queue = await moderator.page('/moderate', { 'accept-language': 'fr-FR,fr;q=0.9' });
    expect(queue).toContain('<html lang="fr" dir="ltr">');
    expect(queue).toContain('<title>Modération\u00a0: Retenus — Parley</title>');
    expect(queue).toContain('Rien dans cette file.');
    expect(queue).toContain('Raccourcis clavier (?)');
    expect(queue).toContain('commentaire suivant');
    const english = await moderator.page('/moderate', { 'accept-language': 'en' });
    expect(english).toContain('<title>Moderation: Held — Parley</title>');
    expect(english).toContain('Nothing in this queue.');

    const readers = await moderator.page('/moderate/readers?handle=nobody-here', { 'accept-language': 'fr' });
    expect(readers).toContain('Aucun lecteur n’a l’identifiant @nobody-here.');
    expect(readers).toContain('Personne n’est averti, suspendu ou banni.');

    const settings = await admin.page('/admin', { 'accept-language': 'fr' });
    expect(settings).toContain('<h1>Réglages</h1>');
    expect(settings).toContain('Enregistrer les réglages');
    expect(settings).toMatch(/<option value="moderator">modérateur<\/option>/);
    const webhooks = await admin.page('/admin/webhooks', { 'accept-language': 'fr' });
    expect(webhooks).toContain('Aucun point de terminaison n’est enregistré.');
    expect(webhooks).toContain('Un lecteur crée un compte');
  });

  test('refusals of the moderation forms are French for a French browser; their codes do not change', async () => {
    const none = await post(moderator, '/moderate/bulk', { decision: 'approve' }, 'fr');
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('Sélectionnez au moins un commentaire, puis choisissez quoi en faire.');
    const english = await post(moderator, '/moderate/bulk', { decision: 'approve' }, 'en');
    expect(await english.text()).toContain('Select at least one comment, then choose what to do with them.');
    const role = await post(admin, '/admin/role', { handle: 'x', role: 'emperor' }, 'fr');
    expect(role.status).toBe(400);
    expect(await role.text()).toContain('Choisissez lecteur, rédaction, modérateur ou administrateur.');
  });

  test('the embed’s sign-in refusals are French on the API too, with the same code', async () => {
    const res = await fetch(`${app.baseUrl}/embed/signin?state=bad state!`, { headers: { accept: 'application/json', 'accept-language': 'fr' } });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('Cette fenêtre de connexion n’a pas été ouverte par une conversation Parley.');
  });
});
