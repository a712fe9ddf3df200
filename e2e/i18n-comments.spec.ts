import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { runFixture } from './helpers.ts';
import type { StreamSetup as Setup } from './stream-setup.ts';
import { shot, unextracted } from './i18n-helpers.ts';

// Issue 16, the comment stream: an article's conversation (a featured comment, a reply, the
// journalist's and a moderator's comments: e2e/fixtures/stream-fixture.ts) read in French signed out
// and signed in, with the island and without JavaScript; then the same pages and the no-JavaScript
// action pages in the pseudo-locale en-XA, where every word must come framed from the catalogs.

test.describe.configure({ timeout: 120_000 });

async function inLanguage(browser: Browser, baseURL: string, locale: string, token: string | null, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, javaScriptEnabled });
  if (token) await context.addCookies([{ name: 'parley_session', value: token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  return { context, page: await context.newPage() };
}


let s: Setup;
test.beforeAll(async () => {
  s = await runFixture('stream-fixture', 'setup') as Setup;
});

test('a French reader reads the conversation in French, signed out and signed in, with and without JavaScript', async ({ browser, baseURL }, testInfo) => {
  // Signed out, with the island: the invitation to join, the order, the counts, relative times.
  const out = await inLanguage(browser, baseURL!, 'fr-FR', null);
  await out.page.goto(s.path);
  const comments = out.page.locator('#comments');
  await expect(out.page.locator('#comments-heading')).toHaveText(/^Commentaires \(\d+\)$/);
  await expect(comments.locator('.comments__prompt')).toHaveText('Connectez-vous ou créez un compte pour participer à la conversation.');
  await expect(comments.getByRole('navigation', { name: 'Ordre des commentaires' }).getByRole('link', { name: 'Les plus récents' })).toHaveAttribute('aria-current', 'true');
  await expect(comments.getByRole('heading', { name: 'Sélection de la rédaction' })).toBeVisible();
  await expect(comments.locator(`#c-${s.featuredId} .comment__badge--featured`)).toHaveText('Sélection');
  await expect(comments.locator(`li[data-thread="${s.featuredId}"] summary > :first-child`)).toHaveText('Masquer les réponses');
  await expect(comments.locator(`#c-${s.featuredId} footer > data`)).toHaveText(/^\d+ appréciations?$/);
  // The island writes how long ago, in French.
  await expect(comments.locator('.comment-threads .comment > header time').first()).toHaveText(/il y a|à l’instant|maintenant/);
  await expect(comments.locator('.featured .comment__meta time').first()).toHaveText(/il y a|à l’instant|maintenant/);
  await shot(out.page, testInfo, 'conversation-fr-signed-out');
  await out.context.close();

  // Signed in, with the island: the links under each comment come from the page's state and words.
  const signedIn = await inLanguage(browser, baseURL!, 'fr-FR', s.other.token);
  await signedIn.page.goto(s.path);
  await signedIn.page.reload(); // the island has set its cookie: the compact state now
  const mine = signedIn.page.locator(`#c-${s.replyId}`);
  await expect(mine.locator('.comment__edit')).toHaveText('Modifier');
  await expect(mine.locator('.comment__delete')).toHaveText('Supprimer');
  const theirs = signedIn.page.locator(`#c-${s.featuredId}`);
  await expect(theirs.locator('.comment__react')).toHaveText('Apprécier');
  await expect(theirs.locator('.comment__react')).toHaveAttribute('aria-label', /^Apprécier — \d+ appréciations?$/);
  await expect(theirs.locator('.comment__report')).toHaveText('Signaler');
  await expect(signedIn.page.locator('label[for="comment-body"]')).toHaveText('Participer à la conversation');
  await expect(signedIn.page.locator('#comment-hint')).toContainText('caractères');
  // Replying in place: the island's own words.
  await theirs.locator('.comment__reply').click();
  const inline = signedIn.page.locator('form[data-inline]');
  await expect(inline.locator('label')).toHaveText(`Répondre à ${s.names.reader}`);
  await expect(inline.locator('button[type="submit"]').first()).toHaveText('Publier la réponse');
  await expect(inline.locator('.composer__cancel')).toHaveText('Annuler');
  await shot(signedIn.page, testInfo, 'conversation-fr-signed-in');
  await inline.locator('.composer__cancel').click();
  await signedIn.context.close();

  // Signed in, without JavaScript: the links merged in by the server.
  const nojs = await inLanguage(browser, baseURL!, 'fr-FR', s.nojs.token, false);
  await nojs.page.goto(`${s.path}?js=0`);
  const featured = nojs.page.locator(`#c-${s.featuredId}`);
  await expect(featured.locator('.comment__reply')).toHaveText('Répondre');
  await expect(featured.locator('.comment__quote')).toHaveText('Citer');
  await expect(featured.locator('.comment__follow')).toHaveText('Suivre');
  await expect(nojs.page.locator('.composer__preview-button')).toHaveText('Aperçu');
  await shot(nojs.page, testInfo, 'conversation-fr-no-javascript');
  // A refusal without JavaScript: the composer comes back with the reason, in French.
  await nojs.page.locator('#comment-body').fill('   ');
  await nojs.page.locator('form.composer button[type="submit"]:not([name])').click();
  await expect(nojs.page.locator('.composer__error')).toHaveText('Écrivez quelque chose avant de publier\u202f: le commentaire est vide.');
  await shot(nojs.page, testInfo, 'composer-refused-fr');
  await nojs.context.close();
});

test('the conversation and its no-JavaScript pages read fully from the catalogs in en-XA', async ({ browser, baseURL }) => {
  const walk = async (page: Page, path: string, what: string) => {
    await page.goto(path);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en-XA');
    expect(await unextracted(page), `${what} (${path})`).toEqual([]);
  };

  const out = await inLanguage(browser, baseURL!, 'en-XA', null);
  await walk(out.page, s.path, 'article, signed out');
  await walk(out.page, `${s.path}?sort=oldest`, 'article, oldest first');
  await walk(out.page, `${s.path}/comments/${s.featuredId}`, 'a thread’s page, signed out');
  await out.context.close();

  // With the island: its links, its relative times and its reply form.
  const scripted = await inLanguage(browser, baseURL!, 'en-XA', s.other.token);
  await walk(scripted.page, s.path, 'article, signed in');
  await scripted.page.reload();
  await scripted.page.locator(`#c-${s.featuredId} .comment__reply`).click();
  await expect(scripted.page.locator('form[data-inline]')).toBeVisible();
  expect(await unextracted(scripted.page), 'article, signed in, island, reply form open').toEqual([]);
  await scripted.context.close();

  // Without JavaScript: the merged links and every action page they lead to.
  const nojs = await inLanguage(browser, baseURL!, 'en-XA', s.other.token, false);
  await walk(nojs.page, `${s.path}?js=0`, 'article, signed in, no JavaScript');
  await walk(nojs.page, `${s.path}/comments/${s.replyId}`, 'a reply’s page');
  await walk(nojs.page, `/comments/${s.featuredId}/quote`, 'quote (the reply page)');
  await walk(nojs.page, `/comments/${s.replyId}/edit`, 'edit');
  await walk(nojs.page, `/comments/${s.featuredId}/react`, 'respect');
  await walk(nojs.page, `/comments/${s.featuredId}/follow`, 'follow');
  await walk(nojs.page, `/comments/${s.replyId}/delete`, 'delete');
  await walk(nojs.page, `/comments/${s.featuredId}/report`, 'report');
  // A preview and a refusal: the composer page.
  await nojs.page.goto(`${s.path}?js=0`);
  await nojs.page.locator('#comment-body').fill('*Hello* there');
  await nojs.page.locator('form.composer .composer__preview-button').click();
  expect(await unextracted(nojs.page), 'composer page with a preview').toEqual([]);
  await nojs.page.goto(`/comments/${s.replyId}/edit`);
  await nojs.page.locator('#edit-body').fill('   ');
  await nojs.page.locator('form.composer button[type="submit"]').click();
  await expect(nojs.page.locator('#edit-error')).not.toBeEmpty();
  expect(await unextracted(nojs.page), 'edit page with a refusal').toEqual([]);
  await nojs.context.close();
});
