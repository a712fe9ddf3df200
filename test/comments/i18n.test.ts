// Issue 16: the comment stream in the reader's language. The API's refusals speak it while their
// codes stay what clients read; and the cached parts of the article page (its template, the shared
// threads, the composer above them) are kept per language, so a French and an English reader of the
// same article, one after the other, each get their own words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { SCRIPTED_COOKIE } from '../../src/comments/viewer-json.ts';
import { postComment, startConversation, type Conversation } from './setup.ts';

const FR = { 'accept-language': 'fr-FR,fr;q=0.9' };
const EN = { 'accept-language': 'en-GB,en;q=0.9' };

describe.each(dialects)('the comment stream in the reader’s language, on %s', (dialect) => {
  let c: Conversation;
  let reader: Awaited<ReturnType<Conversation['reader']>>;
  let rootId: number;
  let articlePath: string;

  beforeAll(async () => {
    c = await startConversation(dialect);
    articlePath = `/articles/${c.article.slug}`;
    reader = await c.reader({ displayName: 'Renée Reader' });
    const other = await c.reader({ displayName: 'Otto Other' });
    rootId = (await postComment(reader.client, c.article.slug, 'Un premier mot.')).id;
    await postComment(other.client, c.article.slug, 'Une réponse.', rootId);
  });
  afterAll(async () => c.app.close());

  /** The same request in English and in French: the same status and code, each message in its language. */
  async function both(method: string, path: string, body: unknown, client = reader.client) {
    const en = await client.json(method, path, body, { headers: EN });
    const fr = await client.json(method, path, body, { headers: FR });
    expect(fr.status).toBe(en.status);
    expect(fr.body.error.code).toBe(en.body.error.code);
    expect(fr.body.error.message).not.toBe(en.body.error.message);
    return { en: en.body.error as { code: string; message: string }, fr: fr.body.error as { code: string; message: string }, status: en.status };
  }

  it('refuses in French for a French reader, with the same codes', async () => {
    const comments = `/api/v1/articles/${c.article.slug}/comments`;
    const empty = await both('POST', comments, { body: '   ' });
    expect([empty.status, empty.en.code]).toEqual([400, 'invalid_comment']);
    expect(empty.en.message).toBe('Write something before posting: the comment is empty.');
    expect(empty.fr.message).toBe('Écrivez quelque chose avant de publier\u202f: le commentaire est vide.');

    const own = await both('PUT', `/api/v1/comments/${rootId}/reaction`, undefined);
    expect([own.status, own.en.code]).toEqual([403, 'own_comment']);
    expect(own.fr.message).toBe('Vous ne pouvez pas réagir à votre propre commentaire.');

    const missing = await both('GET', '/api/v1/comments/999999', undefined);
    expect([missing.status, missing.en.code]).toEqual([404, 'not_found']);
    expect(missing.fr.message).toBe('Ce commentaire n’existe pas. Il a peut-être été retiré.');

    const tooLong = await both('POST', comments, { body: 'x'.repeat(6000) });
    expect(tooLong.en.code).toBe('invalid_comment');
    expect(tooLong.en.message).toBe('The comment is 6,000 characters long; the limit is 5,000. Please shorten it.');
    expect(tooLong.fr.message).toBe('Le commentaire compte 6\u202f000 caractères\u202f; la limite est de 5\u202f000. Veuillez le raccourcir.');
  });

  it('says how long to wait in French, with its plural, when a reader comments too quickly', async () => {
    await c.set('commentIntervalSeconds', 30);
    try {
      const quick = await c.reader({ displayName: 'Quentin Quick' });
      await postComment(quick.client, c.article.slug, 'Vite.');
      const wait = await both('POST', `/api/v1/articles/${c.article.slug}/comments`, { body: 'Encore.' }, quick.client);
      expect([wait.status, wait.en.code]).toEqual([429, 'rate_limited']);
      expect(wait.en.message).toMatch(/^You are commenting too quickly\. Please wait \d+ seconds? and post again; your text is kept\.$/);
      expect(wait.fr.message).toMatch(/^Vous commentez trop vite\. Veuillez patienter \d+ secondes? avant de publier de nouveau\u202f; votre texte est conservé\.$/);
    } finally {
      await c.set('commentIntervalSeconds', 0);
    }
  });

  it('keeps one cached article page per language, signed out and signed in, with and without the island', async () => {
    const anonymous = new TestClient(c.app.baseUrl);
    const readers: [string, TestClient, boolean][] = [
      ['signed out', anonymous, false],
      ['signed in', reader.client, false],
      ['signed in, island', reader.client, true],
    ];
    for (const [who, client, island] of readers) {
      if (island) client.cookies.set(SCRIPTED_COOKIE, '1');
      // Twice each, alternating: the second of each is served from what the first cached.
      for (let round = 0; round < 2; round++) {
        const fr = await client.page(articlePath, FR);
        const en = await client.page(articlePath, EN);
        expect(fr, `${who}, round ${round}`).toMatch(/<h2 id="comments-heading">Commentaires <span class="comments__count">\(\d+\)<\/span><\/h2>/);
        expect(fr).toContain('<span>Afficher 1 réponse</span></summary>');
        expect(fr).toContain('<data value="0">0 appréciation</data>');
        // The island's words, in the section's single-quoted data-messages (stream-words.ts).
        expect(fr).toContain('"respect":"Apprécier"');
        expect(fr).not.toContain('Show 1 reply');
        expect(en, `${who}, round ${round}`).toMatch(/<h2 id="comments-heading">Comments <span class="comments__count">\(\d+\)<\/span><\/h2>/);
        expect(en).toContain('<span>Show 1 reply</span></summary>');
        expect(en).toContain('<data value="0">0 respects</data>');
        expect(en).not.toContain('Afficher');
        if (who !== 'signed out') {
          // The composer above the threads, kept per article for readers who may post, too.
          expect(fr).toContain('<label for="comment-body">Participer à la conversation</label>');
          expect(en).toContain('<label for="comment-body">Join the conversation</label>');
        }
        if (who === 'signed in') {
          // The links merged into the shared threads for a browser without the island.
          expect(fr).toContain(`<a class="comment__edit" href="/comments/${rootId}/edit">Modifier</a>`);
          expect(en).toContain(`<a class="comment__edit" href="/comments/${rootId}/edit">Edit</a>`);
        }
      }
      if (island) client.cookies.delete(SCRIPTED_COOKIE);
    }
  });

  it('writes the no-JavaScript action pages and the fragments in French', async () => {
    const other = await c.reader({ displayName: 'Paule Page' });
    const react = await other.client.page(`/comments/${rootId}/react`, FR);
    expect(react).toContain('Apprécier le commentaire de Renée Reader');
    expect(react).toContain('← Revenir au commentaire');
    const edit = await reader.client.page(`/comments/${rootId}/edit`, FR);
    expect(edit).toContain('<h1 id="edit-heading" class="comments__thread-title">Modifier votre commentaire</h1>');
    expect(edit).toContain('Enregistrer les modifications');
    const thread = await reader.client.page(`${articlePath}/comments/${rootId}`, FR);
    expect(thread).toContain('Fil de Renée Reader');
    expect(thread).toContain('1 réponse');
    const fragment = await other.client.page(`/fragments/comments/${rootId}`, FR);
    expect(fragment).toContain('>Répondre</a>');
    expect(fragment).toContain('>Signaler</a>');
  });
});
