import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { runFixture, selectWords } from './helpers.ts';
import { contextIn, shot, unextracted } from './i18n-helpers.ts';

// Issue 16 in Chromium for who's quoted and discuss a passage: the seed article's box and margins, the
// Discuss button the island shows by a selection, a passage page, a person page and the newsroom's
// sources page, read in French, then walked in the pseudo-locale en-XA for words that skipped the
// catalogs. Other specs add comments and correct attributions on the same server: nothing here
// counts on how many there are.

const SEED = '/articles/rex-tillerson-says-russias-election-interference-has-created-serious-mistrust';
const NNBSP = '\u202f';

// What these pages show that is data, not Parley's words (to move to DATA in i18n-helpers.ts): the
// people quoted, their roles, the stories' paragraphs and the comments on them.


/** An admin's session token (e2e/fixtures/moderation-fixture.ts). */
async function adminToken(): Promise<string> {
  const name = `Ada Sources ${randomBytes(4).toString('hex')}`;
  const users = await runFixture('moderation-fixture', 'users', `admin:${name}`) as Record<string, { token: string }>;
  return users[name]!.token;
}

test('a French reader reads who is quoted and discusses a passage in French', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const { context, page } = await contextIn(browser, 'fr-FR');
  await page.goto(SEED);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  const box = page.getByRole('complementary', { name: 'Qui est cité' });
  await expect(box).toBeVisible();
  await expect(box.locator('.quoted__person').filter({ hasText: 'Rex Tillerson' }).locator('.quoted__name')).toHaveText('Rex Tillerson, Secretary of State');
  await expect(box.locator('.quoted__quote').first()).toHaveText(new RegExp(`^«${NNBSP}.+${NNBSP}»$`));
  await expect(page.getByRole('link', { name: 'Réagir au paragraphe 2', exact: true })).toHaveText('Réagir');

  // The island's button speaks French too, its words shipped in the page.
  await selectWords(page, '.article__body', 'created serious mistrust');
  const discuss = page.locator('.passage-discuss');
  await expect(discuss).toBeVisible();
  await expect(discuss).toHaveText('Réagir');
  await expect(discuss).toHaveAttribute('aria-label', `Réagir à «${NNBSP}created serious mistrust${NNBSP}»`);
  await box.scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'article-quotes-fr');

  await discuss.click();
  await expect(page).toHaveURL(/\/passages\/\d+\?exact=/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Réagir à un passage');
  await expect(page.locator('.passage-page__paragraph mark')).toHaveText('created serious mistrust');
  await expect(page.locator('#compose')).toHaveText('Votre commentaire sur les mots surlignés');
  await expect(page.getByRole('link', { name: 'Connectez-vous' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'inscrivez-vous' })).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(`^Réagir au paragraphe \\d+ de «${NNBSP}.+${NNBSP}» — `));
  await shot(page, testInfo, 'passage-page-fr');

  await page.goto('/people/rex-tillerson');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rex Tillerson');
  await expect(page.getByText(/^(Une citation|\d+ citations) dans (un article|\d+ articles)\.$/)).toBeVisible();
  await expect(page.locator(`a[href="${SEED}#comments"]`).first()).toHaveText(new RegExp(`^Rejoindre la conversation${NNBSP}: \\d+ commentaires?$`));
  await shot(page, testInfo, 'person-fr');
  await context.close();

  const admin = await contextIn(browser, 'fr-FR', await adminToken());
  await admin.page.goto('/admin/sources');
  await expect(admin.page.getByRole('table', { name: /personnes? citées?, .+ au total/ })).toBeVisible();
  await expect(admin.page.getByRole('columnheader', { name: 'Fonction' })).toBeVisible();
  await expect(admin.page.getByRole('heading', { name: 'Vérifier les attributions' })).toBeVisible();
  await expect(admin.page.getByRole('button', { name: 'Changer l’auteur' }).first()).toBeVisible();
  await expect(admin.page.getByRole('link', { name: 'Télécharger en CSV' })).toBeVisible();
  await shot(admin.page, testInfo, 'sources-fr');
  await admin.context.close();
});

test('the pseudo-locale finds no unextracted English in the quotes and passages pages', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const leaks: Record<string, string[]> = {};
  const walk = async (page: Page, path: string, name: string) => {
    await page.goto(path);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en-XA');
    const found = await unextracted(page);
    if (found.length > 0) leaks[name] = found;
  };

  const { context, page } = await contextIn(browser, 'en-XA');
  await walk(page, SEED, 'article');
  // The island's button is in the page, hidden, from its first load: its words were checked too.
  await expect(page.locator('.passage-discuss')).toHaveText(/^⟦.+⟧$/);
  await selectWords(page, '.article__body', 'created serious mistrust');
  await expect(page.locator('.passage-discuss')).toHaveAttribute('aria-label', /^⟦.+created serious mistrust.+⟧$/);
  await shot(page, testInfo, 'article-quotes-pseudo');
  await walk(page, `${SEED}/passages/2`, 'passage page');
  await shot(page, testInfo, 'passage-page-pseudo');
  await walk(page, '/people/rex-tillerson', 'person');
  await context.close();

  const admin = await contextIn(browser, 'en-XA', await adminToken());
  await walk(admin.page, '/admin/sources', 'sources');
  await walk(admin.page, `${SEED}/passages/3?exact=${encodeURIComponent('Mr Tillerson')}`, 'passage page (signed in)');
  await shot(admin.page, testInfo, 'passage-page-signed-in-pseudo');
  await walk(admin.page, '/admin/sources?person=rex-tillerson', 'sources (one person)');
  await shot(admin.page, testInfo, 'sources-pseudo');
  await admin.context.close();
  expect(leaks).toEqual({});
});
