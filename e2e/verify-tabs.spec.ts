import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { linkIn, waitFor, outboxMails } from '../test/helpers/mail.ts';

// Issue 14, bug 2: confirming the e-mail address in one tab must reach the other open tabs as signing
// in and out do, so their "Check your mail…" turns into the composer without a reload.

const dataDir = process.env.PARLEY_E2E_DATA_DIR!;
const PASSWORD = 'purple elephant marmalade';
const unique = () => randomBytes(3).toString('hex');
const VERIFY_PROMPT = /Check your mail\. We sent a confirmation link to/;

function verificationLink(to: string): Promise<string> {
  return waitFor(() => outboxMails(dataDir).filter((m) => m.to === to && /Confirm your e-mail address/.test(m.subject)).at(-1), `mail to ${to}`, 10_000).then((mail) => {
    const url = linkIn(mail, '/verify-email');
    return `${url.pathname}${url.search}`;
  });
}

/** Registers in this page, then opens the example article, where the composer asks to verify first. */
async function registerAndOpenArticle(page: Page, email: string) {
  await page.goto('/register');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Display name').fill(`Verify Tabs ${unique()}`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  // By its address: other specs' newer stories may have pushed it off the front page's list.
  await page.goto('/articles/rex-tillerson-says-russias-election-interference-has-created-serious-mistrust');
  await expect(page.getByText(VERIFY_PROMPT)).toBeVisible();
  // Marks this document: a reload would lose it.
  await page.evaluate(() => void ((window as any).__sameDocument = true));
}

test('confirming the address in one tab turns the other tab\'s prompt into the composer, without a reload', async ({ context }) => {
  const email = `verify-tabs-${unique()}@example.com`;
  const article = await context.newPage();
  await registerAndOpenArticle(article, email);

  const other = await context.newPage();
  await other.goto(await verificationLink(email));
  await expect(other.getByRole('heading', { name: 'Address confirmed' })).toBeVisible();

  await expect(article.getByLabel('Join the conversation')).toBeVisible();
  await expect(article.getByText(VERIFY_PROMPT)).toHaveCount(0);
  expect(await article.evaluate(() => (window as any).__sameDocument)).toBe(true);
});

test('a tab waiting for confirmation catches up when shown again, after the link was opened in another browser', async ({ browser, context }) => {
  const email = `verify-elsewhere-${unique()}@example.com`;
  const article = await context.newPage();
  await registerAndOpenArticle(article, email);

  // A mail app opens the link in a browser where the reader is not signed in.
  const elsewhere = await browser.newContext();
  const mailApp = await elsewhere.newPage();
  await mailApp.goto(await verificationLink(email));
  await expect(mailApp.getByRole('heading', { name: 'Address confirmed' })).toBeVisible();
  await elsewhere.close();

  await expect(article.getByText(VERIFY_PROMPT)).toBeVisible();
  // The reader comes back to the tab.
  await article.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await expect(article.getByLabel('Join the conversation')).toBeVisible();
  expect(await article.evaluate(() => (window as any).__sameDocument)).toBe(true);
});
