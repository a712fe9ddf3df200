import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { AxeBuilder } from './axe.ts';
import { linkIn, waitFor, outboxMails } from '../test/helpers/mail.ts';

// Accounts in Chromium: registering, the mail in the server's outbox, signing in in every tab at
// once, resetting a forgotten password, downloading one's data and deleting the account.

const dataDir = process.env.PARLEY_E2E_DATA_DIR!;
const PASSWORD = 'purple elephant marmalade';
const unique = () => randomBytes(3).toString('hex');

async function expectNoAxeViolations(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

function mailLink(to: string, subject: RegExp, path: string): Promise<string> {
  return waitFor(() => outboxMails(dataDir).filter((m) => m.to === to && subject.test(m.subject)).at(-1), `mail to ${to}`, 10_000).then((mail) => {
    const url = linkIn(mail, path);
    return `${url.pathname}${url.search}`;
  });
}

async function openArticle(page: Page) {
  await page.goto('/');
  // In the latest stories: other files' readers may have made it a busy conversation too, listed beside them.
  await page.getByRole('region', { name: 'Latest stories' }).getByRole('link', { name: /Rex Tillerson says Russia's election interference/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

async function register(page: Page, fields: { email: string; name: string; password?: string }) {
  await page.getByLabel('E-mail address').fill(fields.email);
  await page.getByLabel('Display name').fill(fields.name);
  await page.getByLabel('Password').fill(fields.password ?? PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
}

test('registering in one tab signs in the other open tab without a reload, and signing out does the reverse', async ({ context }) => {
  expect(fs.existsSync(dataDir)).toBe(true);
  const article = await context.newPage();
  await openArticle(article);
  const header = article.getByRole('navigation', { name: 'Account' });
  await expect(header.getByRole('link', { name: 'Sign in' })).toBeVisible();
  // Marks this document: a reload would lose it. Records the event islands listen to.
  await article.evaluate(() => {
    (window as any).__sameDocument = true;
    (window as any).__viewerEvents = [];
    window.addEventListener('parley:viewer', (e) => (window as any).__viewerEvents.push((e as CustomEvent).detail.user));
  });

  const name = `Tab Reader ${unique()}`;
  const other = await context.newPage();
  await other.goto('/register');
  await register(other, { email: `tabs-${unique()}@example.com`, name });
  await expect(other.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();

  await expect(header.getByRole('link', { name })).toBeVisible();
  await expect(header.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(await article.evaluate(() => (window as any).__sameDocument)).toBe(true);
  const events = await article.evaluate(() => (window as any).__viewerEvents);
  expect(events).toEqual([expect.objectContaining({ displayName: name, role: 'reader' })]);
  await expect(article.locator('meta[name="parley-viewer"]')).toHaveAttribute('content', /^tab-reader-/);

  // Signing out in the other tab…
  await other.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(other.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
  // …switches this one back, still without a reload.
  await expect(header.getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect(await article.evaluate(() => (window as any).__sameDocument)).toBe(true);
  expect(await article.evaluate(() => (window as any).__viewerEvents.at(-1))).toBeNull();

  // The swapped-in header works: signing in from it comes back to the article.
  await header.getByRole('link', { name: 'Sign in' }).click();
  await expect(article).toHaveURL(/\/signin\?next=%2Farticles%2F/);
});

test('a newcomer registers, confirms the address, resets a forgotten password, downloads their data and deletes the account', async ({ page }) => {
  // A long journey with an accessibility audit of every page on the way.
  test.setTimeout(120_000);
  const email = `journey-${unique()}@example.com`;
  const name = `Journey Reader ${unique()}`;

  await page.goto('/register');
  await expectNoAxeViolations(page);
  // A weak password and a bad address: plain words next to the fields, what was typed is kept.
  await register(page, { email: 'not an address', name, password: 'password123' });
  await expect(page.getByText('Enter an e-mail address like name@example.com.')).toBeVisible();
  await expect(page.getByText(/on the lists of common passwords/)).toBeVisible();
  await expect(page.getByLabel('Display name')).toHaveValue(name);
  await expect(page.getByLabel('Password')).toHaveValue('');
  await expect(page.getByLabel('E-mail address')).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);

  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByText(/We have sent you a link to confirm/)).toBeVisible();
  await expect(page.getByText('(not confirmed yet)')).toBeVisible();
  await expectNoAxeViolations(page);

  await page.goto(await mailLink(email, /Confirm your e-mail address/, '/verify-email'));
  await expect(page.getByRole('heading', { name: 'Address confirmed' })).toBeVisible();
  await expectNoAxeViolations(page);

  // The public page, with the generated avatar from our own origin.
  await page.goto('/account');
  await page.getByRole('link', { name: /\/readers\// }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const avatar = page.locator('.reader-profile img.avatar');
  expect(await avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.locator('body')).not.toContainText(email);
  await expectNoAxeViolations(page);

  // Forgot the password: sign out, ask for a link, choose a new one.
  await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/signin');
  await expectNoAxeViolations(page);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill('not my password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/The e-mail address or the password is not right/)).toBeVisible();
  await expect(page.getByLabel('E-mail address')).toHaveValue(email);
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByText(/If an account uses that address/)).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto(await mailLink(email, /Reset your/, '/reset-password'));
  await expectNoAxeViolations(page);
  await page.getByLabel('New password').fill('granite lantern orchestra');
  await page.getByRole('button', { name: 'Save my new password' }).click();
  await expect(page.getByText(/Your new password is saved/)).toBeVisible();

  // Download my data.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download my data' }).click();
  const download = await downloading;
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(data.account).toMatchObject({ email, displayName: name, emailVerified: true });

  // Delete the account.
  await page.getByLabel('Your password').fill('granite lantern orchestra');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByText('Tick the box to confirm that you want your account deleted.')).toBeVisible();
  await page.getByLabel('Your password').fill('granite lantern orchestra');
  await page.getByLabel('I understand that my account is deleted for good').check();
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByText(/Your account has been deleted/)).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
});

test('without JavaScript, registering and signing in work and the next page load shows it', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const email = `nojs-${unique()}@example.com`;
  const name = `Plain Reader ${unique()}`;
  await openArticle(page);
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Register' }).click();
  await register(page, { email, name });
  // Back on the article, signed in.
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Rex Tillerson');
  await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name })).toBeVisible();
  await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Keep me signed in on this device').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Rex Tillerson');
  const cookie = (await context.cookies()).find((c) => c.name === 'parley_session')!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  expect(cookie.expires).toBeGreaterThan(Date.now() / 1000 + 80 * 24 * 3600);
  await context.close();
});
