import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { AxeBuilder } from './axe.ts';
import { runFixture } from './helpers.ts';

// Moderation in the browser: the queue driven by the keyboard, live both ways, and a banned reader.

const fixture = (...args: string[]) => runFixture('moderation-fixture', ...args);

let users: Record<string, { token: string; handle: string }> = {};
let articlePath = '';
let slug = '';

async function as(browser: Browser, baseURL: string, name: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'parley_session', value: users[name]!.token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

test.beforeAll(async () => {
  users = await fixture('users', 'moderator:Moira Mod', 'reader:Wendy Writer', 'reader:Walter Watcher', 'reader:Barry Banned', 'admin:Ada Admin');
  // A story of this file's own: a test switches it to pre-moderation, which must hold no other file's comments.
  ({ slug, path: articlePath } = await fixture('article'));
});

test('a moderator approves a held comment with the keyboard and an open reader page shows it live', async ({ browser, baseURL }) => {
  await fixture('mode', slug, 'pre');
  const watcher = await (await as(browser, baseURL!, 'Walter Watcher')).newPage();
  await watcher.goto(`${articlePath}#comments`);
  const moderator = await (await as(browser, baseURL!, 'Moira Mod')).newPage();
  // The story's own queue: other files hold comments at the same time, and 'j' goes to the first one.
  await moderator.goto(`/moderate?queue=held&article=${encodeURIComponent(slug)}`);
  await watcher.waitForLoadState('networkidle').catch(() => undefined);
  await moderator.waitForLoadState('networkidle').catch(() => undefined);

  const writer = await (await as(browser, baseURL!, 'Wendy Writer')).newPage();
  await writer.goto(`${articlePath}#comments`);
  await writer.getByLabel('Join the conversation').fill('Pre-moderated thoughts on the interview.');
  await writer.getByRole('button', { name: 'Post comment' }).click();
  const own = writer.locator('.comment', { hasText: 'Pre-moderated thoughts on the interview.' });
  await expect(own).toBeVisible();
  await expect(own.locator('.comment__moderation')).toContainText('Awaiting moderation');

  // The queue hears of it live, and the keyboard does the rest.
  const item = moderator.locator('.mod-item', { hasText: 'Pre-moderated thoughts on the interview.' });
  await expect(item).toBeVisible();
  await expect(item).toContainText('Pre-moderated');
  await moderator.locator('body').press('?');
  await expect(moderator.locator('#mod-help')).toHaveAttribute('open', '');
  await moderator.locator('body').press('j');
  await expect(item).toBeFocused();
  await moderator.keyboard.press('a');
  await expect(item).toHaveCount(0);

  // Nobody else saw it while it was held; now the watcher's open page offers it without a reload.
  const show = watcher.getByRole('button', { name: '1 new comment — show it' });
  await expect(show).toBeVisible();
  await show.click();
  await expect(watcher.locator('.comment > div', { hasText: 'Pre-moderated thoughts on the interview.' })).toBeVisible();
  await fixture('mode', slug, 'post');
});

test('a banned reader is told so instead of a composer, and cannot post by the form or the API', async ({ browser, baseURL }) => {
  const context = await as(browser, baseURL!, 'Barry Banned');
  const page = await context.newPage();
  await page.goto(`${articlePath}#comments`);
  await expect(page.getByLabel('Join the conversation')).toBeVisible();
  await fixture('ban', users['Barry Banned']!.handle);
  await page.reload();
  await expect(page.locator('#comments-join')).toContainText('You have been banned from commenting on this site.');
  await expect(page.getByLabel('Join the conversation')).toHaveCount(0);
  const { token } = await (await context.request.get('/api/v1/auth/csrf')).json();
  const api = await context.request.post(`/api/v1/articles/${slug}/comments`, { data: { body: 'By the API.' }, headers: { 'x-csrf-token': token } });
  expect(api.status()).toBe(403);
  expect((await api.json()).error.code).toBe('author_banned');
  // A form posted anyway (an old tab, a script) gets the same refusal as a page a person can read.
  const form = await context.request.post(`/articles/${slug}/comments`, { form: { body: 'By an old form.', _csrf: token }, headers: { accept: 'text/html' }, maxRedirects: 0 });
  expect(form.status()).toBe(403);
  expect(await form.text()).toContain('banned');
});

test('a comment a moderator rejects disappears from open pages without a reload', async ({ browser, baseURL }) => {
  const watcher = await (await as(browser, baseURL!, 'Walter Watcher')).newPage();
  await watcher.goto(`${articlePath}#comments`);
  const writer = await (await as(browser, baseURL!, 'Wendy Writer')).newPage();
  await writer.goto(`${articlePath}#comments`);
  await writer.getByLabel('Join the conversation').fill('A comment that will not stay up for long.');
  await writer.getByRole('button', { name: 'Post comment' }).click();
  await expect(writer.locator('.comment > div', { hasText: 'will not stay up' })).toBeVisible();
  await watcher.getByRole('button', { name: /new comments? — show/ }).click();
  const seen = watcher.locator('.comment', { hasText: 'will not stay up' });
  await expect(seen).toBeVisible();
  const id = (await seen.getAttribute('id'))!.replace(/^c-/, '');

  const moderator = await (await as(browser, baseURL!, 'Moira Mod')).newPage();
  const { token } = await (await moderator.context().request.get('/api/v1/auth/csrf')).json();
  const decided = await moderator.context().request.post(`/api/v1/moderation/comments/${id}/decision`, { data: { decision: 'reject', reason: 'Off topic' }, headers: { 'x-csrf-token': token } });
  expect(decided.status()).toBe(200);
  await expect(watcher.locator(`#c-${id}`)).toHaveCount(0);
  // Its author still sees it, marked as rejected.
  await expect(writer.locator(`#c-${id}`)).toBeVisible();
  await writer.reload();
  await expect(writer.locator(`#c-${id}`)).toContainText('Off topic');
});

// One test per page: axe over a full moderation queue takes seconds, and after the other spec files
// the e2e database holds hundreds of comments, so one test for all of them ran into its time limit.
for (const path of ['/moderate?queue=held', '/moderate?queue=approved', '/admin', '/admin/audit', '/admin/jobs', '/moderation/warning']) {
  test(`${path} has no axe violations`, async ({ browser, baseURL }) => {
    const admin = await (await as(browser, baseURL!, 'Ada Admin')).newPage();
    await admin.goto(path);
    const result = await new AxeBuilder({ page: admin }).analyze();
    expect(result.violations, `${path}: ${JSON.stringify(result.violations.map((v) => v.id))}`).toEqual([]);
  });
}

test('an admin sees a failed mail job, without its recipient, and runs it again', async ({ browser, baseURL }) => {
  const { id } = await fixture('failed-job');
  const admin = await (await as(browser, baseURL!, 'Ada Admin')).newPage();
  await admin.goto('/admin');
  await admin.getByRole('link', { name: 'Failed jobs' }).click();
  const row = admin.getByRole('row', { name: new RegExp(`#${id} Account e-mail \\(password changed\\)`) });
  await expect(row).toContainText('ECONNREFUSED');
  await expect(admin.locator('main')).not.toContainText('walter@example.test');
  const axe = await new AxeBuilder({ page: admin }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await row.getByRole('button', { name: `Run job ${id} again` }).click();
  await expect(admin.getByRole('status')).toHaveText(`Job ${id} will run again in a moment.`);
  await expect(admin.getByRole('row', { name: new RegExp(`#${id} `) })).toHaveCount(0);
});

test('the report form has no axe violations', async ({ browser, baseURL }) => {
  const reader = await (await as(browser, baseURL!, 'Walter Watcher')).newPage();
  await reader.goto(articlePath);
  // Wendy's comment, approved in the first test, carries a report link for other readers.
  await reader.locator('.comment__report').first().click();
  await expect(reader.getByRole('heading', { name: /Report the comment by/ })).toBeVisible();
  const result = await new AxeBuilder({ page: reader }).analyze();
  expect(result.violations).toEqual([]);
});
