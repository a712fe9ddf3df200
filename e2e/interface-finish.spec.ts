import { randomBytes } from 'node:crypto';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expectNoAxeViolations, runFixture } from './helpers.ts';

// The last of issue 14's interface: registering from an article's conversation says where the link
// went, there; comments that arrive live carry a moderator's buttons; the Featured section and a
// folded thread's "Show N replies" follow what happens; respect counts read well everywhere.

test.describe.configure({ timeout: 120_000 });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const PASSWORD = 'purple elephant marmalade';
const unique = () => randomBytes(4).toString('hex');

interface Setup {
  path: string;
  slug: string;
  stamp: string;
  moderator: { token: string; handle: string };
  reader: { token: string; handle: string };
  other: { token: string; handle: string };
  rootId: number;
  root: string;
  replyId: number;
}

/** The fixture's story and people, written beside the running server (its transactions wait for the write lock). */
async function setup(): Promise<Setup> {
  return (await runFixture('interface-fixture', 'setup')) as Setup;
}

async function as(browser: Browser, baseURL: string, token: string | null, options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const phone = options.viewport === PHONE;
  const context = await browser.newContext({ baseURL, javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: options.viewport ?? DESKTOP, isMobile: phone, hasTouch: phone });
  if (token) await context.addCookies([{ name: 'parley_session', value: token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

/** A JSON call as the context's reader, as the island makes it (session cookie and CSRF header). */
async function call(context: BrowserContext, method: 'post' | 'put' | 'delete', path: string, data?: unknown): Promise<any> {
  const { token } = await (await context.request.get('/api/v1/auth/csrf')).json();
  let res = await context.request[method](path, { data, headers: { 'x-csrf-token': token, accept: 'application/json' } });
  // The site's pause between one reader's comments: wait it out as a reader would.
  for (let tries = 0; res.status() === 429 && tries < 5; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 1000 * (Number(res.headers()['retry-after']) || 2) + 250));
    res = await context.request[method](path, { data, headers: { 'x-csrf-token': token, accept: 'application/json' } });
  }
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return res.json();
}

/** Marks the document: a reload would lose the mark. */
const markDocument = (page: Page) => page.evaluate(() => void ((window as any).__sameDocument = true));
const sameDocument = (page: Page) => page.evaluate(() => (window as any).__sameDocument === true);

for (const [device, viewport, javaScriptEnabled] of [
  ['desktop with JavaScript', DESKTOP, true],
  ['phone with JavaScript', PHONE, true],
  ['desktop without JavaScript', DESKTOP, false],
  ['phone without JavaScript', PHONE, false],
] as const) {
  test(`registering from an article's conversation comes back to it saying where the link went (${device})`, async ({ browser, baseURL, request }) => {
    const s = await setup();
    const context = await as(browser, baseURL!, null, { viewport, javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(s.path);
    await page.locator('#comments-join').getByRole('link', { name: 'register' }).click();
    const email = `pat-${unique()}@example.org`;
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Display name').fill(`Pat Pending ${unique()}`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create my account' }).click();

    // Back in the conversation, where the composer will be once the address is confirmed.
    await expect(page).toHaveURL(new RegExp(`${s.path}#comments$`));
    const join = page.locator('#comments-join');
    await expect(join).toContainText('Check your mail.');
    await expect(join).toContainText(`We sent a confirmation link to ${email}. Open it to start commenting.`);
    await expect(join.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/account');
    await expect(page.getByLabel('Join the conversation')).toHaveCount(0);
    if (javaScriptEnabled) {
      // The whole address shows, on a phone too: nothing runs off the side.
      expect(await join.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      await expectNoAxeViolations(page, `article page waiting for confirmation, ${device}`);
    }

    // The address is the reader's own: never in the page anonymous readers share.
    for (let i = 0; i < 2; i++) {
      const anonymous = await request.get(s.path, { headers: { cookie: '' } });
      expect(anonymous.status()).toBe(200);
      expect(await anonymous.text()).not.toContain(email);
    }
    await context.close();
  });
}

test('comments that arrive live carry the moderator\'s buttons, and a reader\'s carry none', async ({ browser, baseURL }) => {
  const s = await setup();
  const moderator = await (await as(browser, baseURL!, s.moderator.token)).newPage();
  const reader = await (await as(browser, baseURL!, s.reader.token)).newPage();
  const poster = await as(browser, baseURL!, s.other.token);
  for (const page of [moderator, reader]) {
    await page.goto(s.path);
    await expect(page.locator(`#c-${s.rootId}`)).toContainText(s.root);
  }
  await expect(moderator.locator(`#c-${s.rootId} [data-mod-controls]`)).toBeVisible();
  await markDocument(moderator);

  const replyText = `A live reply for the desk ${s.stamp}.`;
  const threadText = `A live thread for the desk ${s.stamp}.`;
  const { comment: reply } = await call(poster, 'post', `/api/v1/articles/${s.slug}/comments`, { body: replyText, parentId: s.rootId });
  const { comment: thread } = await call(poster, 'post', `/api/v1/articles/${s.slug}/comments`, { body: threadText, parentId: null });

  // The reply goes in place; the new thread waits behind "1 new comment — show it".
  const liveReply = moderator.locator(`#c-${reply.id}`);
  await expect(liveReply).toContainText(replyText);
  await expect(liveReply.getByRole('button', { name: 'Feature', exact: true })).toBeVisible();
  await expect(liveReply.locator('summary', { hasText: 'Reject' })).toBeVisible();
  await moderator.getByRole('button', { name: '1 new comment — show it' }).click();
  const liveThread = moderator.locator(`#c-${thread.id}`);
  await expect(liveThread).toContainText(threadText);
  await expect(liveThread.getByRole('button', { name: 'Feature', exact: true })).toBeVisible();
  expect(await sameDocument(moderator)).toBe(true);

  // The buttons work as the page's own do: featuring the live reply comes back to it, now "Unfeature".
  await liveReply.getByRole('button', { name: 'Feature', exact: true }).click();
  await expect(moderator).toHaveURL(new RegExp(`#c-${reply.id}$`));
  await expect(moderator.locator(`#c-${reply.id}`).getByRole('button', { name: 'Unfeature' })).toBeVisible();

  await expect(reader.locator(`#c-${reply.id}`)).toContainText(replyText);
  await reader.getByRole('button', { name: /new comment/ }).click();
  await expect(reader.locator(`#c-${thread.id}`)).toContainText(threadText);
  await expect(reader.locator('[data-mod-controls], #moderation')).toHaveCount(0);
  await expectNoAxeViolations(moderator, 'article page as a moderator after live comments');
  await moderator.context().close();
  await reader.context().close();
  await poster.close();
});

test('the Featured section and a folded thread\'s "Show N replies" follow what happens, without a reload', async ({ browser, baseURL }) => {
  const s = await setup();
  const desk = await as(browser, baseURL!, s.moderator.token);
  const poster = await as(browser, baseURL!, s.other.token);
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await (await as(browser, baseURL!, s.reader.token, { viewport })).newPage();
    await page.goto(s.path);
    await markDocument(page);
    const thread = page.locator(`li[data-thread="${s.rootId}"]`);
    const fold = thread.locator('details[data-replies]');

    // The reader folds the thread; a reply arrives: the count rises, the thread stays folded.
    await thread.locator('summary', { hasText: 'Hide replies' }).click();
    const before = Number(await fold.getAttribute('data-replies'));
    const show = thread.locator('summary > :last-child');
    await expect(show).toBeVisible();
    await expect(show).toHaveText(before === 1 ? 'Show 1 reply' : `Show ${before} replies`);
    await call(poster, 'post', `/api/v1/articles/${s.slug}/comments`, { body: `Folded away ${unique()}.`, parentId: s.replyId });
    await expect(show).toHaveText(`Show ${before + 1} replies`);
    await expect(show).toBeVisible();
    await expect(fold).not.toHaveAttribute('open', '');

    // A moderator features the thread's first comment elsewhere: the Featured section appears, with the note.
    const featured = page.getByRole('region', { name: 'Featured' });
    await call(desk, 'post', `/api/v1/moderation/comments/${s.rootId}/decision`, { decision: 'feature', reason: `Kind and clear ${s.stamp}` });
    await expect(featured).toContainText(s.root);
    await expect(featured).toContainText(`Why we chose it: Kind and clear ${s.stamp}`);
    await expect(page.locator(`#c-${s.rootId} .comment__badge--featured`)).toHaveText('Featured');
    await expectNoAxeViolations(page, 'article page after a comment was featured live');
    // …and unfeatures it: the section goes.
    await call(desk, 'post', `/api/v1/moderation/comments/${s.rootId}/decision`, { decision: 'unfeature' });
    await expect(featured).toHaveCount(0);
    await expect(page.locator(`#c-${s.rootId} .comment__badge--featured`)).toHaveCount(0);
    expect(await sameDocument(page)).toBe(true);
    await page.context().close();
  }
  await desk.close();
  await poster.close();
});

test('respect counts read "1 respect", "2 respects", on the button\'s name too, live (with JavaScript)', async ({ browser, baseURL }) => {
  const s = await setup();
  const page = await (await as(browser, baseURL!, s.other.token)).newPage();
  await page.goto(s.path);
  const comment = page.locator(`#c-${s.rootId}`);
  await expect(comment.getByRole('button', { name: 'Respect — 0 respects' })).toHaveAttribute('aria-pressed', 'false');
  await expect(comment.locator(':scope > footer')).toContainText('Respect0 respects');

  await comment.getByRole('button', { name: 'Respect — 0 respects' }).click();
  const pressed = comment.getByRole('button', { name: 'Respect — 1 respect', exact: true });
  await expect(pressed).toHaveAttribute('aria-pressed', 'true');
  await expect(comment.locator('footer > data')).toHaveText('1 respect');
  await expect(pressed).toHaveText('Respect');

  // Someone else's respect arrives live.
  await call(await as(browser, baseURL!, s.moderator.token), 'put', `/api/v1/comments/${s.rootId}/reaction`);
  await expect(comment.getByRole('button', { name: 'Respect — 2 respects' })).toHaveAttribute('aria-pressed', 'true');
  await expect(comment.locator('footer > data')).toHaveText('2 respects');
  // Taking one's own back.
  await comment.getByRole('button', { name: 'Respect — 2 respects' }).click();
  await expect(comment.getByRole('button', { name: 'Respect — 1 respect', exact: true })).toHaveAttribute('aria-pressed', 'false');
  await expectNoAxeViolations(page, 'article page after respecting');

  // The author, who cannot respect their own comment, and an anonymous reader read the count alone.
  for (const token of [s.reader.token, null]) {
    const other = await (await as(browser, baseURL!, token, { viewport: PHONE })).newPage();
    await other.goto(s.path);
    await expect(other.locator(`#c-${s.rootId} footer > data`)).toHaveText('1 respect');
    await expect(other.locator(`#c-${s.rootId}`).getByRole('button', { name: /Respect/ })).toHaveCount(0);
    await other.context().close();
  }
  await page.context().close();
});

test('respect counts read well without JavaScript, on a phone', async ({ browser, baseURL }) => {
  const s = await setup();
  const page = await (await as(browser, baseURL!, s.other.token, { javaScriptEnabled: false, viewport: PHONE })).newPage();
  await page.goto(s.path);
  const comment = page.locator(`#c-${s.rootId}`);
  await comment.getByRole('button', { name: 'Respect — 0 respects' }).click();
  await page.getByRole('button', { name: 'Respect', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`#c-${s.rootId}$`));
  await expect(comment.getByRole('button', { name: 'Respect — 1 respect', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(comment.locator('footer > data')).toHaveText('1 respect');
  await page.context().close();
});

for (const [device, viewport, javaScriptEnabled] of [
  ['desktop with JavaScript', DESKTOP, true],
  ['phone without JavaScript', PHONE, false],
] as const) {
  test(`a deleted comment keeps its place only while it has replies (issue 14 bug 3, ${device})`, async ({ browser, baseURL }) => {
    const s = await setup();
    const author = await as(browser, baseURL!, s.reader.token, { viewport, javaScriptEnabled });
    const lonely = `Nobody answered this one ${s.stamp}.`;
    const { comment } = await call(author, 'post', `/api/v1/articles/${s.slug}/comments`, { body: lonely, parentId: null });
    // Another reader watches with JavaScript: the deletions reach their open page.
    const watcher = await (await as(browser, baseURL!, s.other.token, { viewport })).newPage();
    await watcher.goto(s.path);
    await expect(watcher.locator(`#c-${comment.id}`)).toContainText(lonely);

    const page = await author.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(s.path);
    for (const id of [comment.id, s.rootId]) {
      await page.locator(`#c-${id}`).getByRole('button', { name: 'Delete' }).click();
      if (!javaScriptEnabled) {
        await expect(page.getByRole('heading', { name: 'Delete your comment?' })).toBeVisible();
        await page.getByRole('button', { name: 'Delete', exact: true }).click();
        await expect(page).toHaveURL(new RegExp(`#c-${id}$`));
      }
    }
    for (const p of [page, watcher]) {
      // No replies: gone for everyone. With a reply: its place stays, without its text.
      await expect(p.locator(`#c-${comment.id}`)).toHaveCount(0);
      await expect(p.getByText(lonely)).toHaveCount(0);
      const root = p.locator(`#c-${s.rootId}`);
      await expect(root).toContainText('Deleted by its author.');
      await expect(root).not.toContainText(s.root);
      await expect(p.locator(`#c-${s.replyId}`)).toBeVisible();
    }
    await watcher.reload();
    await expect(watcher.locator(`#c-${comment.id}`)).toHaveCount(0);
    await expect(watcher.locator(`#c-${s.rootId}`)).toContainText('Deleted by its author.');
    await author.close();
    await watcher.context().close();
  });
}
