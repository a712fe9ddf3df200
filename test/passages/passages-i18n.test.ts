import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BodyBlock } from '../../src/articles/model.ts';
import { dialects } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { startConversation, type Conversation } from '../comments/setup.ts';

// Discuss a passage in the reader's language (issue 16): the article page's margins (part of the
// template cached per article and language), the island's few words shipped with them, the passage
// page and its form, and the refusals of the API and of the form — their codes unchanged.

const SIDELINES = 'on the sidelines of the Association of Southeast Asian Nations Regional Forum';
const FR = { 'accept-language': 'fr-FR,fr;q=0.9' };
const EN = { 'accept-language': 'en-GB,en;q=0.9' };
const NNBSP = '\u202f';

describe.each(dialects)('discuss a passage in the reader’s language (%s)', (dialect) => {
  let c: Conversation;
  let slug: string;
  let base: string;
  let sidelines: number;
  let anonymous: TestClient;

  const paragraphOf = (body: BodyBlock[], words: string) => body.findIndex((b) => b.text.includes(words)) + 1;
  const page = async (client: TestClient, path: string, headers: Record<string, string>) => {
    const res = await client.raw(path, { headers: { accept: 'text/html', ...headers } });
    return { status: res.status, html: await res.text() };
  };
  /** The margin of paragraph n as the page has it. */
  const margin = (html: string, n: number) => new RegExp(`<span class="passage-tools"[^>]*data-paragraph="${n}"[^]*?</span>`).exec(html)?.[0] ?? '';

  beforeAll(async () => {
    c = await startConversation(dialect);
    slug = c.article.slug;
    base = `/api/v1/articles/${slug}`;
    sidelines = paragraphOf(c.article.body, SIDELINES);
    anonymous = new TestClient(c.app.baseUrl);
  });
  afterAll(async () => c?.app.close());

  it('gives French and English readers of one article each their own margins, signed in or not, however often the page is cached', async () => {
    const { client } = await c.reader({ displayName: 'Marge' });
    expect((await client.post(`${base}/comments`, { body: 'Où exactement ?', passage: { exact: SIDELINES, paragraph: sidelines } })).status).toBe(201);
    for (const reader of [anonymous, client]) {
      // Alternating twice: the second time both come from the cached templates.
      for (let round = 0; round < 2; round++) {
        const fr = (await page(reader, `/articles/${slug}`, FR)).html;
        expect(margin(fr, sidelines)).toContain('aria-label="1 commentaire sur ce paragraphe"');
        expect(margin(fr, sidelines)).toContain(`aria-label="Réagir au paragraphe ${sidelines}"`);
        expect(margin(fr, 1)).toMatch(/>\s*Réagir\s*<\/a>/);
        expect(fr).not.toContain('>Discuss<');

        const en = (await page(reader, `/articles/${slug}`, EN)).html;
        expect(margin(en, sidelines)).toContain('aria-label="1 comment on this paragraph"');
        expect(margin(en, sidelines)).toContain(`aria-label="Discuss paragraph ${sidelines}"`);
        expect(en).not.toContain('Réagir');
      }
    }
  });

  it('ships the island its words once per page, in the page’s language, with a place for the quote', async () => {
    const fr = (await page(anonymous, `/articles/${slug}`, FR)).html;
    const carried = [...fr.matchAll(/data-passage-messages="([^"]*)"/g)];
    expect(carried).toHaveLength(1);
    const messages = JSON.parse(carried[0]![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    expect(messages).toEqual({ discuss: 'Réagir', discussQuote: `Réagir à «${NNBSP}{quote}${NNBSP}»` });
    // The margin carrying them is the first one, which the island finds before any other.
    expect(/<span class="passage-tools"[^>]*>/.exec(fr)?.[0]).toContain('data-passage-messages=');
    const en = (await page(anonymous, `/articles/${slug}`, EN)).html;
    expect(en).toContain('data-passage-messages="{&quot;discuss&quot;:&quot;Discuss&quot;,&quot;discussQuote&quot;:&quot;Discuss “{quote}”&quot;}"');
  });

  it('shows the passage page, its sign-in prompt and its form in French', async () => {
    const n = paragraphOf(c.article.body, 'Mr Trump signed the bill behind closed doors');
    const out = await page(anonymous, `/articles/${slug}/passages/${n}`, FR);
    expect(out.status).toBe(200);
    expect(out.html).toContain('<html lang="fr"');
    expect(out.html).toContain(`<title>Réagir au paragraphe ${n} de «${NNBSP}${c.article.headline}${NNBSP}» — `);
    expect(out.html).toContain('<h1 id="passage-heading">Réagir à un passage</h1>');
    expect(out.html).toContain(`>Connectez-vous</a> ou <a href="/register?next=`);
    expect(out.html).toContain('>inscrivez-vous</a> pour réagir à ce passage.');
    expect(out.html).toContain('Aucun commentaire sur ce paragraphe pour l’instant');

    const { client } = await c.reader({ displayName: 'Lectrice' });
    const signedIn = await page(client, `/articles/${slug}/passages/${n}?exact=${encodeURIComponent('behind closed doors')}`, FR);
    expect(signedIn.html).toContain('Votre commentaire sur les mots surlignés');
    expect(signedIn.html).toMatch(new RegExp(`\\d{1,3}(${NNBSP}\\d{3})* caractères au maximum`));
    expect(signedIn.html).toContain('>Publier le commentaire</button>');
    // The English page keeps its words.
    const en = await page(client, `/articles/${slug}/passages/${n}`, EN);
    expect(en.html).toContain('Your comment on this paragraph');
    expect(en.html).toMatch(/Up to \d{1,3}(,\d{3})* characters\./);

    // Why a signed-in reader cannot post (here, a conversation closed by age) is said in their language.
    await c.set('autoCloseDays', 1);
    try {
      const closed = await page(client, `/articles/${slug}/passages/${n}`, FR);
      expect(closed.html).toContain(`<p class="comments__prompt">Cette conversation est close${NNBSP}:`);
      expect(closed.html).not.toContain('<form method="post" action="/articles/');
      expect((await page(client, `/articles/${slug}/passages/${n}`, EN)).html).toContain('<p class="comments__prompt">This conversation is closed:');
    } finally {
      await c.set('autoCloseDays', null);
    }
  });

  it('refuses in French over the API and on the form, with the codes unchanged', async () => {
    const { client } = await c.reader({ displayName: 'Refusée' });
    const missing = await client.json('POST', `${base}/comments`, { body: 'Hein ?', passage: { exact: 'Des mots absents de l’article' } }, { headers: FR });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toEqual({ code: 'invalid_passage', message: expect.stringMatching(/^Les mots que vous citez ne figurent pas dans l’article/) });
    const nowhere = await client.json('POST', `${base}/comments`, { body: 'Hein ?', passage: { exact: SIDELINES, paragraph: 999 } }, { headers: FR });
    expect(nowhere.body.error).toEqual({ code: 'invalid_passage', message: `Cet article n’a pas de paragraphe 999${NNBSP}: il en compte ${c.article.body.length}.` });
    const root = await client.post(`${base}/comments`, { body: 'Une racine.' });
    const reply = await client.json('POST', `${base}/comments`, { body: 'Une réponse.', parentId: root.body.comment.id, passage: { exact: SIDELINES } }, { headers: FR });
    expect(reply.body.error).toEqual({ code: 'invalid_passage', message: expect.stringMatching(/seul un nouveau commentaire peut citer/) });
    const listed = await client.json('GET', `${base}/comments?passage=999`, undefined, { headers: FR });
    expect(listed.status).toBe(400);
    expect(listed.body.error.code).toBe('invalid_passage');
    expect(listed.body.error.message).toMatch(/^Cet article n’a pas de paragraphe 999/);

    const n = paragraphOf(c.article.body, 'Mr Trump signed the bill behind closed doors');
    const form = new URLSearchParams({ body: 'Gardez ce texte', exact: 'des mots absents', _csrf: await client.csrfToken() });
    const wrong = await client.raw(`/articles/${slug}/passages/${n}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...FR }, body: form.toString() });
    expect(wrong.status).toBe(400);
    const html = await wrong.text();
    expect(html).toContain('Les mots que vous citez ne figurent pas dans l’article');
    expect(html).toContain('Gardez ce texte');

    const gone = await page(anonymous, `/articles/${slug}/passages/999`, FR);
    expect(gone.status).toBe(404);
    expect(gone.html).toContain(`Cet article n’a pas de paragraphe 999${NNBSP}: il en compte ${c.article.body.length}.`);
  });
});
