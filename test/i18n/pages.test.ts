import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import { setSetting } from '../../src/settings/store.ts';
import { dialects, EXAMPLE_FILE, startTestApp, type TestApp } from '../helpers/app.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';
import { TestClient } from '../helpers/client.ts';

// Pages in the reader's language (issue 16): negotiated per request, kept apart in the anonymous
// page cache, and chosen on the account page.

describe.each(dialects)('pages in the reader’s language (%s)', (dialect) => {
  let app: TestApp;
  let articlePath: string;
  beforeAll(async () => {
    app = await startTestApp(dialect);
    const draft = await parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });
    articlePath = `/articles/${(await importArticle(app.ctx, draft)).article.slug}`;
  });
  afterAll(() => app.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.baseUrl}${path}`, { headers: { accept: 'text/html', ...headers } });

  test('a French browser gets French pages and an English one English, from one cached page each', async () => {
    // Twice each, alternating: the second of each is served from the anonymous cache.
    for (let round = 0; round < 2; round++) {
      const fr = await get(articlePath, { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' });
      const frHtml = await fr.text();
      expect(frHtml).toContain('<html lang="fr" dir="ltr">');
      expect(frHtml).toContain('lundi 7 août 2017 à 16:47 UTC+1');
      expect(frHtml).toContain('Aller au contenu');
      expect(fr.headers.get('vary')).toMatch(/accept-language/i);
      expect(fr.headers.get('content-language')).toBe('fr');

      const en = await get(articlePath, { 'accept-language': 'en-US,en;q=0.9' });
      const enHtml = await en.text();
      expect(enHtml).toContain('<html lang="en-GB" dir="ltr">');
      expect(enHtml).toContain('Monday 07 August 2017 16:47 BST');
      expect(enHtml).toContain('Skip to content');
      expect(enHtml).not.toContain('Aller au contenu');
    }
    const front = await (await get('/', { 'accept-language': 'fr' })).text();
    expect(front).toContain('Derniers articles');
    expect(front).toMatch(/\d+ commentaires?</);
    expect(await (await get('/')).text()).toContain('Latest stories');
  });

  test('the site’s language is the default, a browser’s own language beats it, and a forced one beats all', async () => {
    await setSetting(app.ctx.db.kysely, 'locale', 'fr');
    try {
      // A setting reaches pages already cached within the cache's lifetime; these paths were not cached.
      expect(await (await get('/signin')).text()).toContain('<h1>Connexion</h1>');
      expect(await (await get('/signin', { 'accept-language': 'de' })).text()).toContain('<h1>Connexion</h1>');
      expect(await (await get('/signin', { 'accept-language': 'en' })).text()).toContain('<h1>Sign in</h1>');
      await setSetting(app.ctx.db.kysely, 'localeForced', true);
      expect(await (await get('/register', { 'accept-language': 'en' })).text()).toContain('<h1>Créer un compte</h1>');
    } finally {
      await setSetting(app.ctx.db.kysely, 'locale', 'en');
      await setSetting(app.ctx.db.kysely, 'localeForced', false);
    }
  });

  test('errors speak the reader’s language, pages and API alike, with the same codes', async () => {
    const page = await get('/no-such-page', { 'accept-language': 'fr' });
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain('<h1>Page introuvable</h1>');
    expect(html).toContain('Il n’y a rien à cette adresse.');
    const api = await fetch(`${app.baseUrl}/api/v1/articles/no-such-article-here`, { headers: { 'accept-language': 'fr' } });
    expect(api.status).toBe(404);
    expect((await api.json()) as unknown).toEqual({ error: expect.objectContaining({ code: 'not_found' }) });
    const missing = await get('/articles/no-such-article-here', { 'accept-language': 'fr' });
    expect(await missing.text()).toContain('Il n’y a pas d’article à cette adresse.');
    const english = await fetch(`${app.baseUrl}/api/v1/nowhere`);
    expect(((await english.json()) as { error: { message: string } }).error.message).toBe('There is nothing at this address.');
  });

  test('a refused form says what is wrong in the reader’s language, next to the field', async () => {
    const client = new TestClient(app.baseUrl);
    const post = async (path: string, fields: Record<string, string>) =>
      client.raw(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'accept-language': 'fr' },
        body: new URLSearchParams({ _csrf: await client.csrfToken(), ...fields }).toString(),
      });
    const signin = await post('/signin', { email: 'nobody-here@example.com', password: 'not the password at all' });
    expect(signin.status).toBe(401);
    expect(await signin.text()).toContain('L’adresse e-mail ou le mot de passe n’est pas le bon. Vérifiez les deux et réessayez.');
    const register = await post('/register', { email: 'not an address', displayName: 'Zoé', password: 'purple elephant marmalade' });
    expect(register.status).toBe(400);
    const html = await register.text();
    expect(html).toContain('<p class="field__error" id="register-email-error">Indiquez une adresse e-mail de la forme nom@exemple.fr.</p>');
    expect(html).toContain('Corrigez le champ signalé ci-dessous.');
    // The API answers the same problem with the same code, in the language asked for.
    const api = await client.json('POST', '/api/v1/auth/login', { email: 'nobody-here@example.com', password: 'not the password at all' }, { headers: { 'accept-language': 'fr' } });
    expect(api.body.error.code).toBe('invalid_credentials');
    expect(api.body.error.message).toBe('L’adresse e-mail ou le mot de passe n’est pas le bon. Vérifiez les deux et réessayez.');
  });

  test('a reader who chooses Français on the account page reads French with an English browser, from the next page on', async () => {
    const reader = await createTestUser(app.ctx);
    const client = await signedInClient(app.ctx, app.baseUrl, reader);
    const english = await client.raw('/account', { headers: { 'accept-language': 'en-GB' } });
    const form = await english.text();
    expect(form).toContain('<h2 id="language-heading">Language</h2>');
    expect(form).toMatch(/<input type="radio" id="language-site" name="locale" value(="")? checked/);

    const saved = await client.form('/account/language', { locale: 'fr' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/account?notice=language');
    const stored = await app.ctx.db.kysely.selectFrom('users').select('locale').where('id', '=', reader.id).executeTakeFirstOrThrow();
    expect(stored.locale).toBe('fr');

    const after = await (await client.raw('/account?notice=language', { headers: { 'accept-language': 'en-GB' } })).text();
    expect(after).toContain('<html lang="fr" dir="ltr">');
    expect(after).toContain('Votre langue est enregistrée.');
    expect(after).toMatch(/<input type="radio" id="language-fr" name="locale" value="fr" checked/);
    expect(await (await client.raw(articlePath, { headers: { 'accept-language': 'en-GB' } })).text()).toContain('lundi 7 août 2017');

    const refused = await client.form('/account/language', { locale: 'xx' });
    expect(refused.status).toBe(400);
    // The page is already French: the reader chose it a moment ago.
    expect(await refused.text()).toContain('Choisissez la langue du site ou l’une de celles-ci\u00a0: English, Français.');

    expect((await client.form('/account/language', { locale: '' })).status).toBe(303);
    const back = await (await client.raw('/account', { headers: { 'accept-language': 'en-GB' } })).text();
    expect(back).toContain('<html lang="en-GB" dir="ltr">');
  });
});
