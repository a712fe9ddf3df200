import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { AxeBuilder } from './axe.ts';
import { runFixture } from './helpers.ts';

// Readers are made by a fixture straight in the server's database (see e2e/fixtures/), so these tests
// do not depend on the registration pages.
const fixture = (...args: string[]) => runFixture('comments-fixture', ...args);

const NAMES = ['Alice Live', 'Bob Live', 'Carol Plain', 'Dan Plain', 'Erin Axe'];
let tokens: Record<string, { token: string }> = {};

async function readerContext(browser: Browser, baseURL: string, name: string, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const { token } = tokens[name]!;
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
  await context.addCookies([{ name: 'parley_session', value: token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

let articlePath = '';
test.beforeAll(async ({ browser, baseURL }) => {
  tokens = await fixture('readers', ...NAMES);
  const page = await browser.newPage({ baseURL });
  await page.goto('/');
  articlePath = (await page.getByRole('link', { name: /Rex Tillerson says/ }).first().getAttribute('href'))!;
  await page.close();
});

const comments = (page: Page) => page.locator('#comments');

test('two readers hold a live, threaded conversation', async ({ browser, baseURL }) => {
  const a = await readerContext(browser, baseURL!, 'Alice Live');
  const b = await readerContext(browser, baseURL!, 'Bob Live');
  const pageA = await a.newPage();
  const pageB = await b.newPage();
  await pageA.goto(`${articlePath}#comments`);
  await pageB.goto(`${articlePath}#comments`);
  // The island has connected once the stream is open; give it a moment.
  await pageB.waitForLoadState('networkidle').catch(() => undefined);

  await pageA.getByLabel('Join the conversation').fill('Does *anyone* believe the denials?');
  await pageA.getByRole('button', { name: 'Post comment' }).click();
  await expect(comments(pageA).locator('.comment > div').filter({ hasText: 'Does anyone believe the denials?' })).toBeVisible();

  // B's page does not jump: it offers the new comment first.
  const show = pageB.getByRole('button', { name: '1 new comment — show it' });
  await expect(show).toBeVisible();
  await show.click();
  const aliceComment = comments(pageB).locator('.comment', { hasText: 'Does anyone believe the denials?' });
  await expect(aliceComment).toBeVisible();
  await expect(aliceComment.locator('em')).toHaveText('anyone');

  await aliceComment.getByRole('link', { name: /Reply/ }).click();
  await pageB.getByLabel('Reply to Alice Live').fill('Not after that interview.');
  await pageB.getByRole('button', { name: 'Post reply' }).click();
  await expect(comments(pageB).locator('li[data-depth]', { hasText: 'Not after that interview.' })).toBeVisible();

  // A sees the reply arrive in its thread without doing anything.
  const replyOnA = comments(pageA).locator('li[data-depth]', { hasText: 'Not after that interview.' });
  await expect(replyOnA).toBeVisible();
  await expect(replyOnA.locator('.comment > header > :first-child')).toHaveText('Bob Live');

  // A respects B's reply; B's count follows live.
  await replyOnA.getByRole('button', { name: /Respect/ }).click();
  await expect(replyOnA.getByRole('button', { name: /Respect/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(comments(pageB).locator('li[data-depth]', { hasText: 'Not after that interview.' }).locator('footer > data')).toHaveText('1 respect');

  // B edits within the window; A sees it marked edited.
  await a.close();
  await b.close();
});

test('posting, replying and reacting work without JavaScript', async ({ browser, baseURL }) => {
  const c = await readerContext(browser, baseURL!, 'Carol Plain', { javaScriptEnabled: false });
  const d = await readerContext(browser, baseURL!, 'Dan Plain', { javaScriptEnabled: false });
  const pageC = await c.newPage();
  await pageC.goto(`${articlePath}#comments`);
  await pageC.getByLabel('Join the conversation').fill('Posted with no script at all.');
  await pageC.getByRole('button', { name: 'Post comment' }).click();
  await expect(pageC.locator('.comment', { hasText: 'Posted with no script at all.' })).toBeVisible();

  // An empty post explains itself and keeps the reader on a form.
  await pageC.goto(`${articlePath}#comments`);
  await pageC.getByLabel('Join the conversation').evaluate((el) => el.removeAttribute('required'));
  await pageC.getByRole('button', { name: 'Post comment' }).click();
  await expect(pageC.getByRole('alert')).toHaveText(/the comment is empty/);

  const pageD = await d.newPage();
  await pageD.goto(`${articlePath}#comments`);
  const carol = pageD.locator('.comment', { hasText: 'Posted with no script at all.' });
  await carol.getByRole('link', { name: /Reply/ }).click();
  await pageD.getByLabel('Reply to Carol Plain').fill('And replied the same way.');
  await pageD.getByRole('button', { name: 'Post reply' }).click();
  await expect(pageD.locator('.comment--focus', { hasText: 'And replied the same way.' })).toBeVisible();
  await expect(pageD.locator('.comment-context')).toContainText('Posted with no script at all.');

  await pageD.goto(`${articlePath}#comments`);
  // Without JavaScript, Respect opens a one-button page that comes back to the comment (issue 19).
  await pageD.locator('.comment', { hasText: 'Posted with no script at all.' }).getByRole('button', { name: /Respect/ }).click();
  await pageD.getByRole('button', { name: 'Respect' }).click();
  await expect(pageD.locator('.comment', { hasText: 'Posted with no script at all.' }).getByRole('button', { name: /Respect/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(pageD.locator('.comment', { hasText: 'Posted with no script at all.' }).locator('footer > data').first()).toHaveText('1 respect');
  await c.close();
  await d.close();
});

test('pages through a thread of 500 replies, with and without JavaScript', async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const slug = decodeURIComponent(articlePath.split('/').pop()!);
  const { rootId, lastBody } = await fixture('thread', slug, '500');

  const page = await browser.newPage({ baseURL });
  await page.goto(`${articlePath}/comments/${rootId}`);
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await expect(page.getByRole('heading', { name: '500 replies' })).toBeVisible();
  const replies = page.locator('.comments--thread .comment-replies > li');
  await expect(replies).toHaveCount(50);
  for (let expected = 100; expected <= 500; expected += 50) {
    await page.getByRole('link', { name: 'More replies' }).click();
    await expect(replies).toHaveCount(expected);
  }
  await expect(page.getByRole('link', { name: 'More replies' })).toHaveCount(0);
  await expect(page.getByText(lastBody, { exact: true })).toHaveCount(1);
  await page.close();

  const plain = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const noJs = await plain.newPage();
  await noJs.goto(`${articlePath}/comments/${rootId}`);
  let pages = 1;
  let seen = await noJs.locator('.comments--thread .comment-replies > li').count();
  let sawLast = await noJs.getByText(lastBody, { exact: true }).count();
  while (await noJs.getByRole('link', { name: 'More replies' }).count()) {
    await noJs.getByRole('link', { name: 'More replies' }).click();
    pages++;
    seen += await noJs.locator('.comments--thread .comment-replies > li').count();
    sawLast += await noJs.getByText(lastBody, { exact: true }).count();
  }
  expect({ pages, seen, sawLast }).toEqual({ pages: 10, seen: 500, sawLast: 1 });

  // On the article page the thread shows its first replies (two by default) and offers the rest.
  await noJs.goto(`${articlePath}?sort=replies#comments`);
  await expect(noJs.locator(`[data-thread="${rootId}"] a[data-more-replies]`)).toContainText('498 more replies');
  await plain.close();
});

test('an article with comments passes axe, signed in and not', async ({ browser, baseURL }) => {
  const reader = await readerContext(browser, baseURL!, 'Erin Axe');
  const page = await reader.newPage();
  await page.goto(`${articlePath}#comments`);
  await expect(page.locator('.comment').first()).toBeVisible();
  const signedIn = await new AxeBuilder({ page }).include('#comments').analyze();
  expect(signedIn.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
  const whole = await new AxeBuilder({ page }).analyze();
  expect(whole.violations.map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: 'test-results/comments-signed-in.png', fullPage: true });
  await reader.close();

  const anonymousContext = await browser.newContext({ baseURL });
  const anonymous = await anonymousContext.newPage();
  await anonymous.goto(`${articlePath}#comments`);
  await expect(anonymous.getByText('to join the conversation')).toBeVisible();
  const axe = await new AxeBuilder({ page: anonymous }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await anonymousContext.close();
});
