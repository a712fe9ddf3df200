import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { expectNoAxeViolations, runFixture } from './helpers.ts';

// The newsroom's tools in the browser (issue 14): the header's Moderate link and held count, bulk
// decisions with and without JavaScript on a desktop and a phone, moderator notes, reports that say
// who reported, and the audit log in words. Every page is checked with axe.

const fixture = (...args: string[]) => runFixture('moderation-fixture', ...args);
// Each test opens several browsers and checks pages with axe: more than the default 30 s on a busy machine.
test.describe.configure({ timeout: 180_000 });

let users: Record<string, { token: string; handle: string }> = {};
let slug = '';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

async function as(browser: Browser, baseURL: string, name: string, options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: options.viewport ?? DESKTOP, isMobile: options.viewport === PHONE, hasTouch: options.viewport === PHONE });
  await context.addCookies([{ name: 'parley_session', value: users[name]!.token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

/** Posts comments as a reader through the API while the article is pre-moderated, so they are held. */
async function postHeld(browser: Browser, baseURL: string, texts: string[]): Promise<number[]> {
  await fixture('mode', slug, 'pre');
  const context = await as(browser, baseURL, 'Carl Commenter');
  const { token } = await (await context.request.get('/api/v1/auth/csrf')).json();
  const ids: number[] = [];
  for (const body of texts) {
    const res = await context.request.post(`/api/v1/articles/${encodeURIComponent(slug)}/comments`, { data: { body }, headers: { 'x-csrf-token': token } });
    expect(res.status(), await res.text()).toBe(201);
    ids.push((await res.json()).comment.id);
  }
  await context.close();
  await fixture('mode', slug, 'post');
  return ids;
}

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  users = await fixture('users', 'moderator:Mona Mod', 'reader:Carl Commenter', 'reader:Rhea Reporter', 'admin:Adam Admin', 'staff:Stan Staff');
  // A story of this file's own: postHeld switches its moderation mode, and the bulk tests select every
  // held comment of its queue, which must not touch what other files hold at the same time.
  slug = (await fixture('article')).slug;
  // The tests post several comments by one reader in a row; the spam score is another helper's subject.
  const admin = await as(browser, baseURL!, 'Adam Admin');
  const { token } = await (await admin.request.get('/api/v1/auth/csrf')).json();
  const res = await admin.request.put('/api/v1/admin/settings', { data: { commentIntervalSeconds: 0, spamHoldThreshold: 1 }, headers: { 'x-csrf-token': token } });
  expect(res.status(), await res.text()).toBe(200);
  await admin.close();
});

test('the header shows moderators Moderate with the held count, and the moderation pages link to each other', async ({ browser, baseURL }) => {
  await postHeld(browser, baseURL!, ['Header: a held comment.']);
  const page = await (await as(browser, baseURL!, 'Mona Mod')).newPage();
  await page.goto('/');
  const moderate = page.getByRole('link', { name: /^Moderate \d+ held$/ });
  await expect(moderate).toBeVisible();
  const held = Number((await moderate.textContent())!.match(/\d+/)![0]);
  expect(held).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole('link', { name: 'Import' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Admin', exact: true })).toHaveCount(0);
  await moderate.click();
  await expect(page).toHaveURL(/\/moderate$/);
  const tabs = page.getByRole('navigation', { name: 'Moderation' });
  for (const name of [/^Held/, 'Reported', 'Rejected', 'Readers']) await expect(tabs.getByRole('link', { name })).toBeVisible();
  await tabs.getByRole('link', { name: 'Readers' }).click();
  await expect(page.getByRole('heading', { name: 'Readers', level: 1 })).toBeVisible();
  await expectNoAxeViolations(page, 'readers list');

  const staff = await (await as(browser, baseURL!, 'Stan Staff')).newPage();
  await staff.goto('/');
  await expect(staff.getByRole('link', { name: 'Import' })).toBeVisible();
  await expect(staff.getByRole('link', { name: /^Moderate/ })).toHaveCount(0);
  const admin = await (await as(browser, baseURL!, 'Adam Admin')).newPage();
  await admin.goto('/');
  await expect(admin.getByRole('link', { name: 'Admin', exact: true })).toBeVisible();
  await admin.goto('/moderate');
  await expect(admin.getByRole('navigation', { name: 'Moderation' }).getByRole('link', { name: 'Audit log' })).toBeVisible();
});

for (const [device, viewport] of [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const) {
  test(`bulk: with JavaScript on a ${device}, "select all" and a count, then reject with one reason`, async ({ browser, baseURL }) => {
    const texts = [`Bulk JS ${device} one.`, `Bulk JS ${device} two.`];
    await postHeld(browser, baseURL!, texts);
    const page = await (await as(browser, baseURL!, 'Mona Mod', { viewport })).newPage();
    await page.goto(`/moderate?queue=held&article=${encodeURIComponent(slug)}`);
    const all = page.getByLabel('Select all on this page');
    await expect(all).toBeVisible();
    await expect(page.locator('[data-bulk-count]')).toHaveText('No comment selected.');
    await expectNoAxeViolations(page, `held queue, ${device}, JavaScript`);
    await all.check();
    const boxes = page.locator('input[data-bulk-item]');
    const n = await boxes.count();
    await expect(page.locator('[data-bulk-count]')).toHaveText(n === 1 ? '1 comment selected.' : `${n} comments selected.`);
    // One of this test's own comments: earlier tests of this file may have left held comments here.
    const own = page.locator('.mod-item', { hasText: texts[0] }).locator('input[data-bulk-item]');
    await own.uncheck();
    await expect(page.locator('[data-bulk-count]')).toHaveText(n - 1 === 1 ? '1 comment selected.' : `${n - 1} comments selected.`);
    await own.check();
    const bulk = page.getByRole('group', { name: 'Decide on the selected comments' });
    await bulk.getByRole('radio', { name: 'Reject' }).check();
    await bulk.getByLabel('Reason for the authors (needed to reject)').fill('Off topic for this story.');
    await bulk.getByRole('button', { name: 'Apply to the selected comments' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Rejected \d+ comments?\./ })).toBeVisible();
    for (const text of texts) await expect(page.locator('.mod-item', { hasText: text })).toHaveCount(0);
    await page.getByRole('navigation', { name: 'Moderation' }).getByRole('link', { name: 'Rejected' }).click();
    for (const text of texts) await expect(page.locator('.mod-item', { hasText: text })).toContainText('Off topic for this story');
  });

  test(`bulk: without JavaScript on a ${device}, tick two comments and approve them`, async ({ browser, baseURL }) => {
    const texts = [`Bulk plain ${device} one.`, `Bulk plain ${device} two.`, `Bulk plain ${device} three.`];
    const ids = await postHeld(browser, baseURL!, texts);
    const page = await (await as(browser, baseURL!, 'Mona Mod', { javaScriptEnabled: false, viewport })).newPage();
    await page.goto('/moderate?queue=held');
    await expect(page.getByLabel('Select all on this page')).toBeHidden();
    // Nothing is wider than the screen, a long headline in the article filter included.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await page.locator(`#m-${ids[0]}`).getByLabel('Select the comment by Carl Commenter').check();
    await page.locator(`#m-${ids[1]}`).getByLabel('Select the comment by Carl Commenter').check();
    await page.getByRole('button', { name: 'Apply to the selected comments' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Approved 2 comments.' })).toBeVisible();
    await expect(page.locator(`#m-${ids[0]}`)).toHaveCount(0);
    await expect(page.locator(`#m-${ids[1]}`)).toHaveCount(0);
    await expect(page.locator(`#m-${ids[2]}`)).toBeVisible();
    // Axe runs as a script: it checks the same page, as it was served, in a context with JavaScript.
    const checker = await (await as(browser, baseURL!, 'Mona Mod', { viewport })).newPage();
    await checker.goto(page.url());
    await expectNoAxeViolations(checker, `held queue after a bulk decision, ${device}`);
    // Nothing ticked: the page says what to do instead of failing silently.
    await page.getByRole('button', { name: 'Apply to the selected comments' }).click();
    await expect(page.getByText('Select at least one comment, then choose what to do with them.')).toBeVisible();
  });
}

test('moderator notes: written on the reader’s moderation page, shown next to their comments, never to the reader', async ({ browser, baseURL }) => {
  const [id] = await postHeld(browser, baseURL!, ['A comment to note about.']);
  const page = await (await as(browser, baseURL!, 'Mona Mod')).newPage();
  await page.goto('/moderate?queue=held');
  await page.locator(`#m-${id}`).getByRole('link', { name: `@${users['Carl Commenter']!.handle}` }).click();
  await expect(page.getByRole('heading', { name: /Carl Commenter/, level: 1 })).toBeVisible();
  await page.getByLabel('New note').fill('Asked by phone to keep it civil.');
  await page.getByRole('button', { name: 'Add the note' }).click();
  await expect(page.getByRole('status')).toHaveText('Note added.');
  await expect(page.locator('.mod-note')).toContainText('Asked by phone to keep it civil.');
  await expectNoAxeViolations(page, 'reader moderation page');
  await page.goto('/moderate?queue=held');
  await expect(page.locator(`#m-${id}`)).toContainText('Asked by phone to keep it civil.');

  const carl = await (await as(browser, baseURL!, 'Carl Commenter', { viewport: PHONE })).newPage();
  const refused = await carl.goto(`/moderate/readers/${users['Carl Commenter']!.handle}`);
  expect(refused!.status()).toBe(403);
  await carl.goto(`/readers/${users['Carl Commenter']!.handle}`);
  await expect(carl.locator('main')).not.toContainText('Asked by phone');
});

test('a report thanks the reader, the form does not come back, and moderators see who reported and when', async ({ browser, baseURL }) => {
  const [id] = await postHeld(browser, baseURL!, ['Something Rhea will report.']);
  const mod = await (await as(browser, baseURL!, 'Mona Mod')).newPage();
  await mod.goto('/moderate?queue=held');
  await mod.locator(`#m-${id}`).getByRole('button', { name: 'Approve (a)' }).click();
  await expect(mod.locator(`#m-${id}`)).toHaveCount(0);

  const rhea = await (await as(browser, baseURL!, 'Rhea Reporter', { viewport: PHONE })).newPage();
  await rhea.goto(`/comments/${id}/report`);
  await rhea.getByLabel('Abuse or harassment').check();
  await rhea.getByLabel(/Anything the moderators should know/).fill('Personal attack.');
  await rhea.getByRole('button', { name: 'Send the report' }).click();
  await expect(rhea.getByRole('heading', { name: 'Thank you for your report' })).toBeVisible();
  await expectNoAxeViolations(rhea, 'report thanks');
  await rhea.goto(`/comments/${id}/report`);
  await expect(rhea.getByRole('heading', { name: 'Thank you for your report' })).toBeVisible();
  await expect(rhea.getByRole('button', { name: 'Send the report' })).toHaveCount(0);

  await mod.goto('/moderate?queue=reported');
  const item = mod.locator(`#m-${id}`);
  await expect(item).toContainText(`Abuse or harassment, by Rhea Reporter (@${users['Rhea Reporter']!.handle})`);
  await expect(item.locator('.mod-item__reports time')).toHaveText(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  await expectNoAxeViolations(mod, 'reported queue');
});

test('the audit log reads as sentences', async ({ browser, baseURL }) => {
  const admin = await (await as(browser, baseURL!, 'Adam Admin')).newPage();
  await admin.goto('/admin/audit');
  const table = admin.getByRole('table', { name: 'Every moderation and admin action, newest first' });
  await expect(table).toContainText(/Mona Mod approved a comment by @carl-commenter-\w+ on “Council debates the harbour budget/);
  await expect(table).toContainText(/Mona Mod (approved|rejected) a comment by @carl-commenter-\w+ on “.+” \(one of \d+ decided together\)/);
  await expect(table).toContainText('Mona Mod added a moderator note on @carl-commenter');
  await expect(table).not.toContainText('{');
  await admin.getByLabel('Action').selectOption('reader.note');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  await expectNoAxeViolations(admin, 'audit log');
});
