import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expectNoAxeViolations, runFixture } from './helpers.ts';
import type { StreamSetup as Setup } from './stream-setup.ts';

// The finished comment stream (issue 14): featured comments with the moderators' note, Author and
// Staff badges, avatars and reader links, relative times kept fresh by the island, folding threads,
// and the composer's counter, preview, quote and cancel; with and without JavaScript, on a desktop
// and a phone. The story is the fixture's own; other specs' comments never enter it.

test.describe.configure({ timeout: 120_000 });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

async function as(browser: Browser, baseURL: string, token: string | null, options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const phone = options.viewport === PHONE;
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: options.viewport ?? DESKTOP, isMobile: phone, hasTouch: phone, locale: 'en-GB' });
  if (token) await context.addCookies([{ name: 'parley_session', value: token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

const thread = (page: Page, id: number) => page.locator(`li[data-thread="${id}"]`);

async function checkBadgesAndFeatured(page: Page, s: Setup): Promise<void> {
  const featured = page.getByRole('region', { name: 'Featured' });
  await expect(featured).toBeVisible();
  await expect(featured).toContainText(s.featured);
  await expect(featured).toContainText(`Why we chose it: ${s.note}`);
  await expect(featured.getByRole('link', { name: s.names.reader })).toHaveAttribute('href', `/readers/${s.reader.handle}`);
  await expect(featured.getByRole('link', { name: 'Read it with its reply' })).toHaveAttribute('href', `${s.path}/comments/${s.featuredId}`);
  // Above the threads; the comment itself stays in its thread, marked.
  const [featuredTop, threadsTop] = await Promise.all([featured.boundingBox(), page.locator('.comment-threads').boundingBox()]);
  expect(featuredTop!.y).toBeLessThan(threadsTop!.y);
  await expect(page.locator(`#c-${s.featuredId} .comment__badge--featured`)).toHaveText('Featured');

  const byJournalist = page.locator('.comment-threads .comment', { hasText: `Reporter here: the council answers next week ${s.stamp}` });
  await expect(byJournalist.locator('.comment__badge')).toHaveText('Author');
  const byModerator = page.locator('.comment-threads .comment', { hasText: `Please keep it civil ${s.stamp}` });
  await expect(byModerator.locator('.comment__badge')).toHaveText('Staff');
  await expect(page.locator(`#c-${s.replyId} .comment__badge`)).toHaveCount(0);
  // Names lead to reader pages; avatars are decoration before them, drawn by the CSS from the name's
  // attributes and left out of its accessible name.
  const name = byJournalist.getByRole('link', { name: s.journalistName, exact: true });
  await expect(name).toHaveAttribute('href', `/readers/${s.journalist.handle}`);
  const initials = `J${s.stamp[0]!.toUpperCase()}`;
  await expect(name).toHaveAttribute('data-i', initials);
  const avatar = await name.evaluate((el) => {
    const style = getComputedStyle(el, '::before');
    return { content: style.content, color: style.color, background: style.backgroundColor, width: style.width };
  });
  // The initials, with an empty alternative text: not part of the name assistive technology reads.
  expect(avatar.content).toBe(`"${initials}" / ""`);
  // White initials on the reader's colour, not the page's grey.
  expect(avatar.color).toBe('rgb(255, 255, 255)');
  expect(avatar.background).toMatch(/^rgb\(/);
  expect(avatar.background).not.toBe('rgb(245, 245, 243)');
  expect(avatar.width).toBe('28px');
}

test('the stream with JavaScript on a desktop: featured, badges, fresh relative times, folding, composer tools', async ({ browser, baseURL }) => {
  const s = await runFixture('stream-fixture', 'setup') as Setup;
  const context = await as(browser, baseURL!, s.other.token);
  const page = await context.newPage();
  await page.clock.install();
  await page.goto(s.path);
  await checkBadgesAndFeatured(page, s);

  // Relative times, the exact one in the title; one timer keeps them fresh.
  const oldTime = page.locator(`#c-${s.oldId} time`);
  await expect(oldTime).toHaveText('3 hours ago');
  expect(await oldTime.getAttribute('title')).toMatch(/\d{1,2} \w{3}(?: \d{4})?, \d{2}:\d{2}/);
  const newTime = page.locator(`#c-${s.featuredId} > header time`);
  await expect(newTime).toHaveText(/^(now|1 minute ago)$/);
  await page.clock.fastForward('10:00');
  await expect(newTime).toHaveText(/^1[01] minutes ago$/);
  await expect(oldTime).toHaveText('3 hours ago');

  // Fold a thread and open it again.
  const fold = thread(page, s.featuredId).locator('summary');
  const reply = page.locator(`#c-${s.replyId}`);
  await expect(fold).toHaveAccessibleName('Hide replies');
  await fold.click();
  await expect(reply).toBeHidden();
  await expect(fold).toHaveAccessibleName('Show 1 reply');
  await fold.click();
  await expect(reply).toBeVisible();

  // The counter shows near the limit (5,000 characters), and says when the text is over.
  const composer = page.locator('#comments-join form.composer');
  const box = composer.getByLabel('Join the conversation');
  await box.fill('a'.repeat(3000));
  await expect(composer.locator('.composer__count')).toBeHidden();
  await box.fill('a'.repeat(4100));
  await expect(composer.locator('.composer__count')).toHaveText('900 characters left');
  await box.fill('a'.repeat(5001));
  await expect(composer.locator('.composer__count')).toHaveText('1 character over the limit');

  // Preview by the server's renderer, posting nothing.
  await box.fill(`A **bold** preview ${s.stamp}`);
  await composer.getByRole('button', { name: 'Preview' }).click();
  await expect(composer.locator('.composer__preview strong')).toHaveText('bold');
  await expect(page.locator('.comment-threads .comment > div', { hasText: `preview ${s.stamp}` })).toHaveCount(0);
  await expectNoAxeViolations(page, 'article with the stream finished, desktop');
  await box.fill('');

  // Quote the selected words of the featured comment: a reply box starting with them.
  const body = page.locator(`#c-${s.featuredId} > div p`);
  await body.evaluate((p) => {
    const text = p.firstChild!;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, 'The night ferry matters'.length);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
  });
  await page.locator(`#c-${s.featuredId}`).getByRole('link', { name: 'Quote' }).click();
  const replyBox = page.getByLabel(`Reply to ${s.names.reader}`);
  await expect(replyBox).toBeFocused();
  await expect(replyBox).toHaveValue('> The night ferry matters\n\n');
  // Cancel takes the box away and gives the focus back to Reply.
  await page.locator(`#c-${s.featuredId} + form`).getByRole('button', { name: 'Cancel' }).click();
  await expect(replyBox).toHaveCount(0);
  await expect(page.locator(`#c-${s.featuredId}`).getByRole('link', { name: 'Reply' })).toBeFocused();

  // Quote without a selection: the whole comment; then post it.
  await page.evaluate(() => getSelection()!.removeAllRanges());
  await page.locator(`#c-${s.featuredId}`).getByRole('link', { name: 'Quote' }).click();
  await expect(replyBox).toHaveValue(`> ${s.featured}\n\n`);
  await replyBox.press('End');
  await replyBox.pressSequentially(`Quoted reply ${s.stamp}`);
  await page.getByRole('button', { name: 'Post reply' }).click();
  const posted = page.locator('li[data-depth]', { hasText: `Quoted reply ${s.stamp}` });
  await expect(posted).toBeVisible();
  await expect(posted.locator('blockquote')).toContainText('The night ferry matters');
  // Arrived after the page loaded, made relative at once (the page's clock runs ten minutes ahead).
  await expect(posted.locator('time')).toHaveText(/^(now|\d+ minutes? ago)$/);
  await context.close();
});

test('the stream without JavaScript on a phone: the same things by plain links and forms', async ({ browser, baseURL }) => {
  const s = await runFixture('stream-fixture', 'setup') as Setup;
  const context = await as(browser, baseURL!, s.nojs.token, { javaScriptEnabled: false, viewport: PHONE });
  const page = await context.newPage();
  await page.goto(s.path);
  await checkBadgesAndFeatured(page, s);
  // No island: the exact time, as the server wrote it.
  await expect(page.locator(`#c-${s.oldId} time`)).toHaveText(/\d{1,2} \w{3}(?: \d{4})?, \d{2}:\d{2}/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

  // Folding is a <details>: it works without a script.
  const fold = thread(page, s.featuredId).locator('summary');
  await fold.click();
  await expect(page.locator(`#c-${s.replyId}`)).toBeHidden();
  await expect(fold).toHaveAccessibleName('Show 1 reply');
  await fold.click();
  await expect(page.locator(`#c-${s.replyId}`)).toBeVisible();

  // Quote opens the reply page with the comment quoted; Preview shows it; Cancel returns.
  await page.locator(`#c-${s.featuredId}`).getByRole('link', { name: 'Quote' }).click();
  const replyBox = page.getByLabel(`Reply to ${s.names.reader}`);
  await expect(replyBox).toHaveValue(`> ${s.featured}\n\n`);
  await replyBox.fill(`> ${s.featured}\n\nMy *own* words ${s.stamp}`);
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.locator('.composer__preview em')).toHaveText('own');
  await expect(page.locator('.composer__preview blockquote')).toContainText('The night ferry matters');
  await expect(page.getByLabel(`Reply to ${s.names.reader}`)).toHaveValue(`> ${s.featured}\n\nMy *own* words ${s.stamp}`);
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(new RegExp(`${s.path}#c-${s.featuredId}$`));
  await expect(page.locator(':is(.comment > div, .comment__body)', { hasText: `words ${s.stamp}` })).toHaveCount(0);

  // Axe runs as a script: it checks the same page in a context that has JavaScript.
  const checker = await (await as(browser, baseURL!, s.nojs.token, { viewport: PHONE })).newPage();
  await checker.goto(s.path);
  await expect(checker.locator(`#c-${s.oldId} time`)).toHaveText('3 hours ago');
  await expectNoAxeViolations(checker, 'article with the stream finished, phone');
  await checker.goto(`${s.path}/comments/${s.featuredId}?quote=1`);
  await expectNoAxeViolations(checker, 'reply page with a quote, phone');
  await checker.context().close();
  await context.close();
});

test('anonymous readers see the featured comments and badges, and no Quote', async ({ browser, baseURL }) => {
  const s = await runFixture('stream-fixture', 'setup') as Setup;
  const context = await as(browser, baseURL!, null, { viewport: PHONE });
  const page = await context.newPage();
  await page.goto(s.path);
  await checkBadgesAndFeatured(page, s);
  await expect(page.getByRole('link', { name: 'Quote' })).toHaveCount(0);
  await expectNoAxeViolations(page, 'article with the stream finished, anonymous phone');
  await context.close();
});
