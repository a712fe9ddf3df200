import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { runFixture } from './helpers.ts';

// Issue 14, bug 1: with JavaScript on, a reader's own first top-level comment appeared with
// "1 new comment — show it" above it (its live echo arrived before it was on the page), and
// "No comments yet." stayed under it.

const fixture = (...args: string[]) => runFixture('embed-fixture', ...args);

test('posting the first comment shows it once, with no "new comment" banner and no "No comments yet."', async ({ browser, baseURL }) => {
  const password = 'quiet harbour lighthouse';
  const reader = await fixture('reader', 'Vera First', password);
  const { path } = await fixture('article', `A story nobody has answered ${randomBytes(3).toString('hex')}`);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${baseURL}/signin?next=${encodeURIComponent(path)}`);
  await page.getByLabel('E-mail address').fill(reader.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('No comments yet.')).toBeVisible();
  // Let the live stream connect, so the echo of the post races the answer as it did in the bug.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.getByLabel('Join the conversation').fill('The very first word on this story.');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.locator('.comment > div', { hasText: 'The very first word on this story.' })).toHaveCount(1);
  await expect(page.getByText('No comments yet.')).toHaveCount(0);
  // Give the live echo time to arrive: it must not offer the reader their own comment.
  await page.waitForTimeout(1000);
  await expect(page.getByRole('button', { name: /new comment/ })).toBeHidden();
  await expect(page.locator('.comment > div', { hasText: 'The very first word on this story.' })).toHaveCount(1);
  await context.close();
});
