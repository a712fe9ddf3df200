import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import { dialects, EXAMPLE_FILE, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';

// Who's quoted in the reader's language (issue 16): the box in the article page's template (cached
// per article and language), the person page, the newsroom's sources page and its refusals, and the
// API's messages — codes and the CSV's column names unchanged.

const FR = { 'accept-language': 'fr-FR,fr;q=0.9' };
const EN = { 'accept-language': 'en-GB,en;q=0.9' };
const NNBSP = '\u202f';
const TRUMP = 'As President, I can make far better deals with foreign countries than Congress';

describe.each(dialects)('who’s quoted in the reader’s language (%s)', (dialect) => {
  let app: TestApp;
  let slug: string;
  let anonymous: TestClient;

  const page = async (client: TestClient, path: string, headers: Record<string, string>) => {
    const res = await client.raw(path, { headers: { accept: 'text/html', ...headers } });
    return { status: res.status, html: await res.text() };
  };
  const box = (html: string) => /<aside class="quoted"[^]*?<\/aside>/.exec(html)?.[0] ?? '';

  beforeAll(async () => {
    app = await startTestApp(dialect);
    const draft = await parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });
    slug = (await importArticle(app.ctx, draft)).article.slug;
    anonymous = new TestClient(app.baseUrl);
  });
  afterAll(async () => app?.close());

  it('gives French and English readers of one article each their own box, signed in or not, however often the page is cached', async () => {
    const reader = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx));
    for (const client of [anonymous, reader]) {
      for (let round = 0; round < 2; round++) {
        const fr = box((await page(client, `/articles/${slug}`, FR)).html);
        expect(fr).toContain('<h2 id="quoted-heading">Qui est cité</h2>');
        expect(fr).toContain(`«${NNBSP}${TRUMP}${NNBSP}»`);
        expect(fr).toContain('<span class="quoted__role">, Secretary of State</span>');

        const en = box((await page(client, `/articles/${slug}`, EN)).html);
        expect(en).toContain('<h2 id="quoted-heading">Who’s quoted</h2>');
        expect(en).toContain(`“${TRUMP}”`);
        expect(en).not.toContain('«');
      }
    }
  });

  it('shows the person page in French, counts in words that agree, and its 404s', async () => {
    const fr = await page(anonymous, '/people/donald-trump', FR);
    expect(fr.status).toBe(200);
    expect(fr.html).toContain('<html lang="fr"');
    expect(fr.html).toMatch(/<title>Donald Trump\u202f: ses propos dans [^<]+<\/title>/);
    expect(fr.html).toContain('<p>Une citation dans un article.</p>');
    expect(fr.html).toMatch(/Rejoindre la conversation\u202f: \d+ commentaires?</);
    expect((await page(anonymous, '/people/rex-tillerson', FR)).html).toContain('<p>4 citations dans un article.</p>');
    expect((await page(anonymous, '/people/rex-tillerson', EN)).html).toContain('<p>Quoted 4 times in one story.</p>');

    const nobody = await page(anonymous, '/people/nobody-at-all', FR);
    expect(nobody.status).toBe(404);
    expect(nobody.html).toContain('Aucun article de ce site ne cite de personne de ce nom.');
    const api = await anonymous.json('GET', '/api/v1/articles/no-such-story/quotes', undefined, { headers: FR });
    expect(api.status).toBe(404);
    expect(api.body.error).toEqual({ code: 'not_found', message: `Aucun article n’a l’identifiant «${NNBSP}no-such-story${NNBSP}».` });
  });

  it('shows the newsroom’s sources page, its notices and its refusals in French; the CSV keeps its column names', async () => {
    const editor = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { role: 'staff' }));
    const fr = await page(editor, '/admin/sources', FR);
    expect(fr.status).toBe(200);
    expect(fr.html).toContain('<label for="src-section">Rubrique</label>');
    expect(fr.html).toContain('2 personnes citées, 5 citations au total, de la plus citée à la moins citée');
    expect(fr.html).toContain('<th scope="col">Fonction</th>');
    // The seed was filed under no section: said as the filter says it, not as the report's value.
    expect(fr.html).toMatch(/<td>\(sans rubrique\)<\/td>/);
    expect(fr.html).not.toContain('<td>none</td>');
    expect(fr.html).toContain('Vérifier les attributions');
    expect(fr.html).toContain(`aria-label="Ce n’est pas une citation${NNBSP}: «${NNBSP}${TRUMP.slice(0, 60)}${NNBSP}»"`);
    expect(fr.html).toMatch(/Propos de <strong>Donald Trump<\/strong> dans <a href="\/articles\//);
    // The admin tabs still mark this page as the current one, though its title is no longer English.
    expect(fr.html).toMatch(/<a href="\/admin\/sources" aria-current="page">/);
    const en = await page(editor, '/admin/sources', EN);
    expect(en.html).toContain('2 people quoted 5 times, most quoted first');
    expect(en.html).toContain('<td>(no section)</td>');
    expect(en.html).toMatch(/Said by <strong>Donald Trump<\/strong> in <a href="\/articles\/[^"]+">[^<]+<\/a> · <a href="[^"]+">all quotes of this story<\/a>/);

    const badDay = await page(editor, '/admin/sources?from=2024-02-31', FR);
    expect(badDay.status).toBe(400);
    expect(badDay.html).toContain(`La date «${NNBSP}Du${NNBSP}» doit être un jour qui existe`);
    const backwards = await page(editor, '/admin/sources.csv?from=2024-03-01&to=2024-02-01', FR);
    expect(backwards.status).toBe(400);
    expect(backwards.html).toContain(`La date «${NNBSP}Du${NNBSP}» ne peut pas être postérieure à la date «${NNBSP}Au${NNBSP}».`);
    const csv = await editor.raw('/admin/sources.csv', { headers: FR });
    expect((await csv.text()).split('\r\n')[0]).toBe('name,role,quotes,stories,sections,page');

    const reader = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx));
    expect((await page(reader, '/admin/sources', FR)).html).toContain('Seuls la rédaction, les modérateurs et les administrateurs peuvent');
    expect((await page(anonymous, '/admin/sources', FR)).html).toContain('Vous devez vous connecter pour faire cela.');

    const quote = (await anonymous.get(`/api/v1/articles/${slug}/quotes`)).body.people[0].quotes[0];
    const post = async (fields: Record<string, string>) => {
      const body = new URLSearchParams({ ...fields, _csrf: await editor.csrfToken() }).toString();
      return editor.raw(`/admin/sources/quotes/${quote.id}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...FR }, body });
    };
    const blank = await post({ action: 'speaker', speaker: ' ' });
    expect(blank.status).toBe(400);
    expect(await blank.text()).toContain('Saisissez le nom de la personne qui a tenu ces propos (de 2 à 120 caractères).');
    const same = await post({ action: 'speaker', speaker: 'Rex Tillerson' });
    expect(same.status).toBe(400);
    expect(await same.text()).toContain('Rex Tillerson figure déjà comme auteur de cette citation.');
    expect(await (await post({ action: 'neither' })).text()).toContain(`Choisissez «${NNBSP}Changer l’auteur${NNBSP}»`);
    const moved = await post({ action: 'speaker', speaker: 'Heather Nauert' });
    expect(moved.status).toBe(303);
    const notice = await page(editor, moved.headers.get('location')!.replace(/#.*$/, ''), FR);
    expect(notice.html).toContain('L’auteur des propos a été modifié.');
    const gone = await post({ action: 'not_quote' });
    expect(gone.status).toBe(303);
    const again = await post({ action: 'not_quote' });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('Cette citation n’existe plus');
  });
});
