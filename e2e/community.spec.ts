import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { AxeBuilder } from './axe.ts';
import { runFixture } from './helpers.ts';

// Following, the live bell, activity and muting, in a real browser against the real server.

interface Setup {
  readers: Record<string, { token: string; handle: string }>;
  articlePath: string;
  commentId: number;
}
const NAMES = ['Cora Starter', 'Ann Follower', 'Ben Followed', 'Cal Muted', 'Dee Friend'];
let setup: Setup;

const fixture = async (...args: string[]) => (await runFixture('community-fixture', ...args)) as Setup;

async function as(browser: Browser, baseURL: string, name: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'parley_session', value: setup.readers[name]!.token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

const bell = (page: Page) => page.locator('[data-bell] [data-bell-n]');

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function comment(page: Page, articlePath: string, text: string) {
  await page.goto(`${articlePath}#comments`);
  await page.getByLabel('Join the conversation').fill(text);
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.locator('#comments .comment > div', { hasText: text.replace(/@\S+ /, '') })).toBeVisible();
}

test.beforeAll(async () => {
  setup = await fixture('setup', ...NAMES);
});

test('a follower sees the bell rise and the activity update live when a followed reader replies', async ({ browser, baseURL }) => {
  const ann = await (await as(browser, baseURL!, 'Ann Follower')).newPage();
  const ben = await (await as(browser, baseURL!, 'Ben Followed')).newPage();
  const benHandle = setup.readers['Ben Followed']!.handle;

  await ann.goto(`/readers/${benHandle}`);
  await expectNoAxeViolations(ann);
  await ann.getByRole('button', { name: 'Follow Ben Followed' }).click();
  await expect(ann.getByRole('button', { name: 'Unfollow Ben Followed' })).toBeVisible();
  await expect(ann.getByText('1 follower')).toBeVisible();

  await ann.goto('/activity');
  await expect(bell(ann)).toHaveText('0');
  await ann.waitForLoadState('networkidle').catch(() => undefined);

  // Ben replies under the other article, to Cora's comment.
  await ben.goto(`${setup.articlePath}#comments`);
  const target = ben.locator(`#c-${setup.commentId}`);
  await target.getByRole('link', { name: /Reply/ }).click();
  await ben.getByLabel('Reply to Cora Starter').fill('Ben answers Cora here.');
  await ben.getByRole('button', { name: 'Post reply' }).click();
  await expect(ben.locator('#comments .comment > div', { hasText: 'Ben answers Cora here.' })).toBeVisible();

  // Without a reload: the bell counts it and the activity list shows it.
  await expect(bell(ann)).toHaveText('1', { timeout: 10_000 });
  await expect(ann.locator('.feed-list', { hasText: 'Ben answers Cora here.' })).toBeVisible({ timeout: 10_000 });
  await expectNoAxeViolations(ann);

  await ann.locator('[data-bell]').click();
  await expect(ann).toHaveURL(/\/notifications$/);
  await expect(ann.getByText('Ben Followed, whom you follow, commented')).toBeVisible();
  await expectNoAxeViolations(ann);
  await ann.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(bell(ann)).toHaveText('0');
});

test("a muted reader's mention produces nothing; a friend's does", async ({ browser, baseURL }) => {
  const ann = await (await as(browser, baseURL!, 'Ann Follower')).newPage();
  const cal = await (await as(browser, baseURL!, 'Cal Muted')).newPage();
  const dee = await (await as(browser, baseURL!, 'Dee Friend')).newPage();
  const annHandle = setup.readers['Ann Follower']!.handle;

  await ann.goto(`/readers/${setup.readers['Cal Muted']!.handle}`);
  await ann.getByRole('button', { name: 'Mute Cal Muted' }).click();
  await expect(ann.getByRole('button', { name: 'Unmute Cal Muted' })).toBeVisible();
  await ann.goto('/notifications');
  const before = Number(await bell(ann).textContent());

  await comment(cal, setup.articlePath, `@${annHandle} muted mention`);
  // The mention is a link to Ann's page for everyone.
  await expect(cal.locator('#comments a.mention', { hasText: `@${annHandle}` }).first()).toHaveAttribute('href', `/readers/${annHandle}`);
  await comment(dee, setup.articlePath, `@${annHandle} friendly mention`);

  // Dee's mention arrives; Cal's, posted first, never does.
  await expect(bell(ann)).toHaveText(String(before + 1), { timeout: 10_000 });
  await ann.reload();
  await expect(ann.getByText('Dee Friend mentioned you')).toBeVisible();
  await expect(ann.getByText('Cal Muted mentioned you')).toHaveCount(0);
  // And Cal's comment is folded away for Ann.
  await ann.goto(`${setup.articlePath}#comments`);
  await expect(ann.locator('.comment__muted', { hasText: 'You muted this reader' }).first()).toBeVisible();
});
