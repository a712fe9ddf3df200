import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { AxeBuilder } from './axe.ts';

// Issue 18 in Chromium: a crafted `next` never takes the reader off the site, and a revoke form that
// no longer matches a session says so instead of claiming success.

const PASSWORD = 'purple elephant marmalade';
const unique = () => randomBytes(3).toString('hex');

async function registerIn(page: Page, email: string) {
  await page.goto('/register');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Display name').fill(`Hardening ${unique()}`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
}

test('signing in through a link with a crafted next= ends on our own site', async ({ browser, baseURL }) => {
  const email = `next-${unique()}@example.com`;
  const setup = await browser.newContext();
  await registerIn(await setup.newPage(), email);
  await setup.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/signin?next=' + encodeURIComponent('/.//evil.example/phish'));
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  // Signed in, the same kind of link is one click away from leaving: it must not.
  for (const next of ['/%2e//evil.example/phish', '/a/..//evil.example/phish']) {
    await page.goto('/register?next=' + encodeURIComponent(next));
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  }
  await context.close();
});

test('signing out a session that has already ended says "no such session"', async ({ browser }) => {
  const email = `revoke-${unique()}@example.com`;
  const desk = await browser.newContext();
  const page = await desk.newPage();
  await registerIn(page, email);

  // The same reader on a phone.
  const phone = await browser.newContext({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1' });
  const phonePage = await phone.newPage();
  await phonePage.goto('/signin');
  await phonePage.getByLabel('E-mail address').fill(email);
  await phonePage.getByLabel('Password').fill(PASSWORD);
  await phonePage.getByRole('button', { name: 'Sign in' }).click();

  // The desk's account page lists the phone; then the phone signs itself out.
  await page.goto('/account');
  const signOutPhone = page.getByRole('button', { name: /Sign out Safari on iOS/ });
  await expect(signOutPhone).toBeVisible();
  await phonePage.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
  // Signed out once the page it lands on says so; closing in the middle of that navigation can hang Chromium.
  await expect(phonePage.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
  await phonePage.close();
  await phone.close();

  // The list on the desk is now out of date: its button no longer matches a session.
  await signOutPhone.click();
  await expect(page.getByRole('alert')).toContainText('No such session');
  await expect(page.getByText('That session is signed out.')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Sign out Safari on iOS/ })).toHaveCount(0);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await desk.close();
});
