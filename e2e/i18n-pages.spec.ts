import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { runFixture } from './helpers.ts';
import { contextIn, shot, unextracted } from './i18n-helpers.ts';

// Issue 16 in Chromium, the pages e2e/i18n.spec.ts does not walk: the way back in (reset, verify,
// deleted account), another reader's page and lists, one-click unsubscribe, the article import page,
// a webhook's page, the embed's pages, a reader's moderation page, a warning to acknowledge, and the
// error pages. Each is read in the pseudo-locale en-XA, where words that skipped the catalogs show,
// and the ones not yet screenshotted in French are read in French.

const SEED = '/articles/rex-tillerson-says-russias-election-interference-has-created-serious-mistrust';
const unique = () => randomBytes(4).toString('hex');

interface Fixture {
  reader: { token: string; handle: string; unsubscribe: { reply: string; digest: string } };
  moderator: string;
  admin: string;
  other: string;
}

/** A reader with private lists, a warning and unsubscribe links; a moderator and an admin; the handle of a reader with public lists. */
async function fixture(): Promise<Fixture> {
  const suffix = unique();
  const reader = await runFixture('i18n-pages-fixture', 'setup', `Private ${suffix}`) as Fixture['reader'];
  const users = await runFixture('moderation-fixture', 'users', `moderator:Mona ${suffix}`, `admin:Alex ${suffix}`, `reader:Open ${suffix}`) as Record<string, { token: string; handle: string }>;
  return { reader, moderator: users[`Mona ${suffix}`]!.token, admin: users[`Alex ${suffix}`]!.token, other: users[`Open ${suffix}`]!.handle };
}

/** Visits each page and gathers what it shows outside the catalogs, by name. */
function walker(page: Page, leaks: Record<string, string[]>) {
  return async (path: string | null, name: string, status?: number) => {
    if (path) {
      const response = await page.goto(path);
      if (status !== undefined) expect(response?.status(), name).toBe(status);
    }
    await expect(page.locator('html')).toHaveAttribute('lang', 'en-XA');
    const found = await unextracted(page);
    if (found.length > 0) leaks[name] = found;
  };
}

/** A webhook endpoint made through the admin page; its page's path. */
async function newEndpoint(page: Page): Promise<string> {
  await page.goto('/admin/webhooks');
  const form = page.locator('form[action="/admin/webhooks"]');
  await form.locator('input[name="url"]').fill(`https://hooks.example.com/${unique()}`);
  await form.locator('input[type="checkbox"]').first().check();
  await form.locator('button[type="submit"]').click();
  // The answer is the new endpoint's page (its secret is shown there once); its forms name its address.
  const action = await page.locator('form[action$="/test"]').getAttribute('action');
  expect(action).toMatch(/^\/admin\/webhooks\/\d+\/test$/);
  return action!.replace(/\/test$/, '');
}

/** Removes the endpoint again, through its page: the webhooks spec expects a site with none. */
async function removeEndpoint(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator(`form[action="${path}/delete"] button[type="submit"]`).click();
  await expect(page).toHaveURL(/\/admin\/webhooks\?deleted=/);
}

test('the pseudo-locale finds no unextracted English on the remaining pages', async ({ browser }, testInfo) => {
  // Many pages in one test: on a loaded two-core machine each can take seconds.
  test.setTimeout(240_000);
  const { reader, moderator, admin, other } = await fixture();
  const leaks: Record<string, string[]> = {};

  const anonymous = await contextIn(browser, 'en-XA');
  let walk = walker(anonymous.page, leaks);
  await walk('/reset-password', 'reset password (no token)', 400);
  await walk('/reset-password?token=not-a-real-token', 'reset password (bad token)', 400);
  await walk('/verify-email?token=not-a-real-token', 'verify e-mail (bad token)');
  await walk('/account/deleted', 'account deleted');
  await walk(`/readers/${other}`, 'another reader');
  await walk(`/readers/${other}/followers`, 'followers list');
  await walk(`/readers/${other}/following`, 'following list');
  await walk(`/readers/${reader.handle}/followers`, 'private followers list', 403);
  await walk(`/readers/no-such-reader-${unique()}`, 'unknown reader', 404);
  await walk(`/unsubscribe/${reader.unsubscribe.reply}`, 'unsubscribe (a kind)');
  await walk(`/unsubscribe/${reader.unsubscribe.digest}`, 'unsubscribe (the digest)');
  await anonymous.page.locator('form[action^="/unsubscribe/"] button[type="submit"]').click();
  await walk(null, 'unsubscribed');
  await walk('/unsubscribe/not-a-token', 'unsubscribe (bad token)', 404);
  await walk('/embed/signin?state=abc', 'embed sign-in (bad state)', 400);
  // A good state: the sign-in window goes on to the sign-in page, which sends the reader back to the frame.
  await walk(`/embed/signin?state=${'s'.repeat(20)}&mode=register`, 'embed sign-in (register)');
  await walk(`/embed/default?url=${encodeURIComponent(new URL(SEED, anonymous.page.url()).href)}`, 'embed frame');
  await walk(`/embed/no-such-site-${unique()}?url=${encodeURIComponent('https://elsewhere.example/a')}`, 'embed (unknown site)', 404);
  await walk(`/embed/default?url=${encodeURIComponent('https://elsewhere.example/a')}`, 'embed (address elsewhere)');
  await walk('/import', 'import (anonymous)');
  await walk('/admin', 'admin (anonymous)');
  // The form's problems: a wrong password, then a form with nothing in it.
  await anonymous.page.goto('/signin');
  await anonymous.page.locator('input[name="email"]').fill(`nobody-${unique()}@example.com`);
  await anonymous.page.locator('input[name="password"]').fill('not the password at all');
  await anonymous.page.locator('form[action^="/signin"] button[type="submit"]').click();
  await walk(null, 'sign in (wrong password)');
  await shot(anonymous.page, testInfo, 'signin-refused-pseudo');
  await anonymous.page.goto('/register');
  await anonymous.page.locator('form[action^="/register"] button[type="submit"]').click();
  await walk(null, 'register (empty form)');
  await anonymous.context.close();

  const signedIn = await contextIn(browser, 'en-XA', reader.token);
  walk = walker(signedIn.page, leaks);
  await walk('/moderation/warning', 'warning to acknowledge');
  await walk(`/readers/${reader.handle}/followers`, 'own private followers list');
  await walk('/admin', 'admin (a reader: forbidden)', 403);
  await walk(`/embed/signed-in?state=${'s'.repeat(20)}`, 'embed signed in');
  await signedIn.context.close();

  const mod = await contextIn(browser, 'en-XA', moderator);
  walk = walker(mod.page, leaks);
  await walk(`/moderate/readers/${reader.handle}`, 'moderation: a reader');
  await walk(`/moderate/readers/no-such-reader-${unique()}`, 'moderation: unknown reader', 404);
  await mod.context.close();

  const adm = await contextIn(browser, 'en-XA', admin);
  walk = walker(adm.page, leaks);
  await walk('/import', 'import');
  await walk('/admin/webhooks/999999999', 'unknown webhook', 404);
  await walk(`/admin/sites/no-such-site-${unique()}`, 'unknown site', 404);
  const endpoint = await newEndpoint(adm.page);
  await walk(endpoint, 'webhook endpoint');
  await shot(adm.page, testInfo, 'webhook-pseudo');
  await removeEndpoint(adm.page, endpoint);
  await adm.context.close();
  expect(leaks).toEqual({});
});

test('the remaining pages read in French', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const { reader, admin, other } = await fixture();
  const anonymous = await contextIn(browser, 'fr-FR');
  const page = anonymous.page;
  await page.goto('/reset-password');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await shot(page, testInfo, 'reset-password-fr');
  await page.goto('/verify-email?token=not-a-real-token');
  await shot(page, testInfo, 'verify-email-fr');
  await page.goto('/account/deleted');
  await shot(page, testInfo, 'account-deleted-fr');
  await page.goto(`/embed/default?url=${encodeURIComponent(new URL(SEED, page.url()).href)}`);
  await shot(page, testInfo, 'embed-frame-fr');
  await page.goto(`/readers/${other}`);
  await shot(page, testInfo, 'reader-fr');
  expect((await page.goto(`/readers/${reader.handle}/followers`))?.status()).toBe(403);
  await expect(page.getByText('garde privée la liste de ses abonnés')).toBeVisible();
  await shot(page, testInfo, 'private-list-fr');
  await page.goto(`/unsubscribe/${reader.unsubscribe.digest}`);
  await expect(page.getByText(/Ne plus recevoir les e-mails «\s*Résumé quotidien\s*»\s*\?/)).toBeVisible();
  await shot(page, testInfo, 'unsubscribe-fr');
  await page.goto('/signin');
  await page.locator('input[name="email"]').fill(`nobody-${unique()}@example.com`);
  await page.locator('input[name="password"]').fill('not the password at all');
  await page.locator('form[action^="/signin"] button[type="submit"]').click();
  await expect(page.getByRole('alert').first()).toBeVisible();
  await shot(page, testInfo, 'signin-refused-fr');
  await anonymous.context.close();

  const signedIn = await contextIn(browser, 'fr-FR', reader.token);
  await signedIn.page.goto('/moderation/warning');
  await expect(signedIn.page.locator('html')).toHaveAttribute('lang', 'fr');
  await shot(signedIn.page, testInfo, 'warning-fr');
  await signedIn.context.close();

  const adm = await contextIn(browser, 'fr-FR', admin);
  await adm.page.goto('/import');
  await expect(adm.page.getByRole('heading', { level: 1 })).toHaveText('Importer un article');
  await expect(adm.page.getByLabel('Adresse de l’article sur le site de l’éditeur')).toBeVisible();
  await expect(adm.page).toHaveTitle(/^Importer un article — /);
  await shot(adm.page, testInfo, 'import-fr');
  const endpoint = await newEndpoint(adm.page);
  await adm.page.goto(endpoint);
  await expect(adm.page.locator('html')).toHaveAttribute('lang', 'fr');
  await shot(adm.page, testInfo, 'webhook-fr');
  await removeEndpoint(adm.page, endpoint);
  await adm.context.close();
});
