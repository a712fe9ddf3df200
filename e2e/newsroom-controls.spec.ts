import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { expectNoAxeViolations, runFixture } from './helpers.ts';

// The moderator's controls on the article page (issue 14): the panel with the conversation's mode and
// the held comments with their reasons, and the buttons under each comment; with and without
// JavaScript, on a desktop and a phone. Readers never see any of it.

test.describe.configure({ timeout: 300_000 });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

interface Setup {
  path: string;
  slug: string;
  headline: string;
  moderator: { token: string; handle: string };
  reader: { token: string; handle: string };
  publishedId: number;
  published: string;
  heldId: number;
  held: string;
}

async function as(browser: Browser, baseURL: string, token: string | null, options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const phone = options.viewport === PHONE;
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: options.viewport ?? DESKTOP, isMobile: phone, hasTouch: phone });
  if (token) await context.addCookies([{ name: 'parley_session', value: token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

for (const [device, viewport, javaScriptEnabled] of [
  ['desktop with JavaScript', DESKTOP, true],
  ['phone without JavaScript', PHONE, false],
] as const) {
  test(`a moderator approves a held comment, features one and closes the conversation from the article page (${device})`, async ({ browser, baseURL }) => {
    const s = await runFixture('newsroom-fixture', 'setup') as Setup;
    const page = await (await as(browser, baseURL!, s.moderator.token, { viewport, javaScriptEnabled })).newPage();
    await page.goto(s.path);

    const panel = page.getByRole('region', { name: 'Moderation' });
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('heading', { name: '1 comment is waiting for a moderator' })).toBeVisible();
    const held = panel.locator(`#mh-${s.heldId}`);
    await expect(held).toContainText(s.held);
    await expect(held.locator('.mod-panel__why')).toHaveText('Contains the suspect term "refund" (as "refund")');
    await expect(panel.getByRole('radio', { name: 'Open', exact: true })).toBeChecked();
    // Axe runs as a script: without JavaScript, it checks the same page in a context that has it.
    const checker = javaScriptEnabled ? page : await (await as(browser, baseURL!, s.moderator.token, { viewport })).newPage();
    if (!javaScriptEnabled) await checker.goto(s.path);
    await expectNoAxeViolations(checker, `article page as a moderator, ${device}`);
    if (checker !== page) await checker.context().close();

    // Approve from the panel: back at the panel, the comment now in the conversation.
    await held.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${s.path}#moderation$`));
    await expect(panel.getByRole('heading', { name: 'No comment is waiting for a moderator.' })).toBeVisible();
    await expect(page.locator(`#c-${s.heldId}`)).toContainText(s.held);

    // Feature the published comment by the button under it: back at the comment, now "Unfeature".
    const comment = page.locator(`#c-${s.publishedId}`);
    await comment.getByRole('button', { name: 'Feature', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`#c-${s.publishedId}$`));
    await expect(comment.getByRole('button', { name: 'Unfeature' })).toBeVisible();

    // Reject the other with a reason: readers no longer see it.
    const other = page.locator(`#c-${s.heldId}`);
    await other.locator('summary', { hasText: 'Reject' }).click();
    await other.getByLabel('Reason for the author').fill('Fees are not the subject here.');
    await other.getByRole('button', { name: 'Reject' }).click();
    await expect(page).toHaveURL(new RegExp(`#c-${s.heldId}$`));

    // Close the conversation, then open it again.
    await panel.getByRole('radio', { name: 'Closed' }).check();
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect(page).toHaveURL(new RegExp(`${s.path}#moderation$`));
    await expect(panel.getByRole('radio', { name: 'Closed' })).toBeChecked();

    const readerPage = await (await as(browser, baseURL!, s.reader.token, { viewport, javaScriptEnabled })).newPage();
    await readerPage.goto(s.path);
    await expect(readerPage.getByRole('region', { name: 'Moderation' })).toHaveCount(0);
    await expect(readerPage.locator('[data-mod-controls]')).toHaveCount(0);
    await expect(readerPage.locator('#comments')).toContainText(s.published);
    await expect(readerPage.locator('#comments-join')).toContainText(/closed/i);

    await panel.getByRole('radio', { name: 'Open', exact: true }).check();
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect(panel.getByRole('radio', { name: 'Open', exact: true })).toBeChecked();
    await readerPage.reload();
    await expect(readerPage.locator('#comments-join')).not.toContainText(/closed/i);
    await readerPage.context().close();
    await page.context().close();
  });
}

test('an anonymous reader and a reader get no moderation controls, even right after a moderator loaded the page', async ({ browser, baseURL }) => {
  const s = await runFixture('newsroom-fixture', 'setup') as Setup;
  const mod = await (await as(browser, baseURL!, s.moderator.token)).newPage();
  await mod.goto(s.path);
  await expect(mod.locator('[data-mod-controls]').first()).toBeVisible();
  const other = await runFixture('moderation-fixture', 'users', `reader:Olive Other ${Date.now().toString(36)}`) as Record<string, { token: string }>;
  // Anonymous, and a reader who is not the held comment's author (its author sees it, marked as waiting).
  for (const token of [null, Object.values(other)[0]!.token]) {
    const page = await (await as(browser, baseURL!, token)).newPage();
    await page.goto(s.path);
    await expect(page.locator(`#c-${s.publishedId}`)).toContainText(s.published);
    await expect(page.locator('#moderation, [data-mod-controls]')).toHaveCount(0);
    await expect(page.getByText(s.held)).toHaveCount(0);
    await page.context().close();
  }
  await mod.context().close();
});
