import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSite } from '../../src/sites/store.ts';
import { dialects } from '../helpers/app.ts';
import type { TestClient } from '../helpers/client.ts';
import { startConversation, type Conversation } from '../comments/setup.ts';

// Refusals that hold more than one catalog message, and the end of a suspension, through real HTTP
// (issue 16): several bad settings are each said in the reader's language and listed as that
// language lists things, on the API and on the settings form; a publisher's unusable display name is
// refused with the accounts' reason in the same language; a suspension's end reads as a date of the
// reader's language, in UTC, everywhere a person sees it.

type Reader = Awaited<ReturnType<Conversation['reader']>>;
const NBSP = '\u00a0';
const FR = { 'accept-language': 'fr-FR,fr;q=0.9' };
const EN = { 'accept-language': 'en' };
/** HTML as text: entities a page may use for quotes and apostrophes read as the characters. */
const text = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe.each(dialects)('lists and dates in the reader’s language (%s)', (dialect) => {
  let c: Conversation;
  let admin: Reader;
  let mod: Reader;
  beforeAll(async () => {
    c = await startConversation(dialect);
    admin = await c.reader({ displayName: 'Ada Admin', role: 'admin' });
    mod = await c.reader({ displayName: 'Mo Derator', role: 'moderator' });
  });
  afterAll(() => c?.app.close());

  test('several bad settings in one API call: every problem in the reader’s language, listed', async () => {
    const body = { reportHoldThreshold: -1, nope: 1, holdLinks: 'yes' };
    const en = await admin.client.json('PUT', '/api/v1/admin/settings', body, { headers: EN });
    const fr = await admin.client.json('PUT', '/api/v1/admin/settings', body, { headers: FR });
    for (const answer of [en, fr]) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body.error.code).toBe('invalid_settings');
    }
    expect(en.body.error.message).toMatch(/^Nothing was saved: reportHoldThreshold must be from 0 to \d+, nope is not a setting and holdLinks must be true or false\.$/);
    expect(fr.body.error.message).toMatch(
      new RegExp(`^Rien n’a été enregistré${NBSP}: reportHoldThreshold doit être compris entre 0 et [\\d\\u202f]+, nope n’est pas un réglage et holdLinks doit valoir true ou false\\.$`),
    );
    // Nothing of the valid part of a refused request was written.
    expect((await admin.client.get('/api/v1/admin/settings')).body.settings.holdLinks).toBe(false);
  });

  test('several bad settings on the settings form: the same list, in French', async () => {
    const form = new URLSearchParams({ newReaderHoldCount: '0', reportHoldThreshold: '3', spamHoldThreshold: '7', editWindowMinutes: '-5', commentIntervalSeconds: '0', commentMaxLength: '5000' });
    form.set('_csrf', await admin.client.csrfToken());
    const res = await admin.client.raw('/admin/settings', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...FR }, body: form.toString() });
    expect(res.status).toBe(400);
    const html = text(await res.text());
    expect(html).toMatch(new RegExp(`Rien n’a été enregistré${NBSP}: spamHoldThreshold doit être un nombre compris entre 0 et 1 et editWindowMinutes doit être compris entre 0 et [\\d\\u202f]+\\.`));
    expect(html).not.toMatch(/must be|Nothing was saved/);
  });

  test('a publisher’s unusable display name: the accounts’ reason, in the reader’s language', async () => {
    const secret = 'lists-and-dates-sso-secret-0123456789';
    const key = `ld-${dialect}`;
    await createSite(c.app.ctx, { key, name: 'Le Quotidien', origins: ['https://quotidien.example'], sso: { jwt: { secret } } });
    const token = () =>
      new SignJWT({ sub: `r-${randomUUID()}`, email: 'r@quotidien.example', name: '\u200b\u200b\u200b', jti: randomUUID() })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
    const exchange = async (headers: Record<string, string>) => {
      const res = await fetch(`${c.app.baseUrl}/api/v1/embed/sso`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ site: key, token: await token() }) });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
    };
    const en = await exchange(EN);
    const fr = await exchange(FR);
    for (const answer of [en, fr]) {
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('sso_invalid_name');
    }
    expect(en.body.error.message).toBe('The display name in the sign-in token cannot be used: A display name cannot contain invisible characters, line breaks, tabs or special spaces.');
    expect(fr.body.error.message).toBe(
      `Le nom d’affichage du jeton de connexion n’est pas utilisable${NBSP}: Un nom d’affichage ne peut contenir ni caractères invisibles, ni retours à la ligne, ni tabulations, ni espaces spéciales.`,
    );
  });

  test('the embed’s and the notifications’ refusals are said in the reader’s language, not pasted English', async () => {
    const key = `ld-embed-${dialect}`;
    await createSite(c.app.ctx, { key, name: 'Le Quotidien du Soir', origins: ['https://soir.example'] });
    const ask = async (path: string, headers: Record<string, string>) => {
      const res = await fetch(`${c.app.baseUrl}${path}`, { headers: { accept: 'application/json', ...headers } });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
    };
    const counts = await ask('/api/v1/embed/counts?site=nowhere&url=https://soir.example/a', FR);
    expect(counts.status).toBe(404);
    expect(counts.body.error.code).toBe('site_not_found');
    expect(counts.body.error.message).toContain('Il n’y a pas de site «');
    const theme = await ask('/embed/nowhere/theme.css', FR);
    expect([theme.status, theme.body.error.code]).toEqual([404, 'site_not_found']);
    expect(theme.body.error.message).toContain('Vérifiez l’attribut data-site');
    // No origin at all: the sentence names "this page", in French too.
    const section = (headers: Record<string, string>) => ask(`/embed/${key}/section?url=${encodeURIComponent('https://soir.example/a')}`, headers);
    const [en, fr] = [await section(EN), await section(FR)];
    for (const answer of [en, fr]) expect([answer.status, answer.body.error.code]).toEqual([403, 'origin_not_allowed']);
    expect(en.body.error.message).toBe('This conversation cannot be shown on this page: it is not one of the addresses Le Quotidien du Soir allows. An administrator can add it on the site’s settings page.');
    expect(fr.body.error.message).toMatch(/^Cette conversation ne peut pas s’afficher sur cette page\s: ce n’est pas l’une des adresses que Le Quotidien du Soir autorise\./);
    const other = await ask(`/embed/${key}/section?url=${encodeURIComponent('https://soir.example/a')}&origin=${encodeURIComponent('https://evil.example')}`, FR);
    expect(other.body.error.message).toMatch(/^Cette conversation ne peut pas s’afficher sur https:\/\/evil\.example\s:/);

    // Marking "no notification" read by the form.
    const form = new URLSearchParams({ _csrf: await admin.client.csrfToken() });
    const res = await admin.client.raw('/notifications/read', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...FR }, body: form.toString() });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('Choisissez une notification à marquer comme lue, ou marquez-les toutes.');
  });

  test('a suspension’s end reads as a date of the reader’s language wherever it is shown', async () => {
    const reader = await c.reader({ displayName: 'Sam Suspended' });
    // A fixed moment far ahead, so the words can be checked exactly.
    const until = '2031-03-05T09:05:00.000Z';
    const sanctioned = await mod.client.post(`/api/v1/moderation/readers/${reader.user.handle}/sanction`, { kind: 'suspend', reason: 'Cool off', until });
    expect(sanctioned.status, JSON.stringify(sanctioned.body)).toBe(200);
    const englishDate = '5 March 2031 at 09:05 UTC';
    const frenchDate = '5 mars 2031 à 09:05 UTC';

    // The article page, instead of the composer.
    const page = async (client: TestClient, headers: Record<string, string>) => text(await client.page(`/articles/${c.article.slug}`, headers));
    expect(await page(reader.client, EN)).toContain(`You are suspended from commenting until ${englishDate}.`);
    expect(await page(reader.client, FR)).toContain(`Vous êtes suspendu des commentaires jusqu’au ${frenchDate}.`);

    // The API's refusal of a post.
    const post = (headers: Record<string, string>) => reader.client.json('POST', `/api/v1/articles/${c.article.slug}/comments`, { body: 'Still here?' }, { headers });
    const [en, fr] = [await post(EN), await post(FR)];
    for (const answer of [en, fr]) {
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('author_suspended');
    }
    expect(en.body.error.message).toContain(`until ${englishDate}.`);
    expect(fr.body.error.message).toContain(`jusqu’au ${frenchDate}.`);

    // The moderators' page for the reader, the list of sanctioned readers, and the audit log.
    const readerPage = text(await mod.client.page(`/moderate/readers/${reader.user.handle}`, FR));
    expect(readerPage).toContain(`suspendu jusqu’au ${frenchDate}`);
    expect(text(await mod.client.page(`/moderate/readers/${reader.user.handle}`, EN))).toContain(`suspended until ${englishDate}`);
    const list = text(await mod.client.page('/moderate/readers', FR));
    expect(list).toContain(`suspendu jusqu’au ${frenchDate}${NBSP}: Cool off`);
    const audit = text(await admin.client.page('/admin/audit', FR));
    expect(audit).toContain(`a suspendu @${reader.user.handle} jusqu’au ${frenchDate}`);
    for (const html of [readerPage, list, audit]) expect(html).not.toContain('2031-03-05 09:05');
  });
});
