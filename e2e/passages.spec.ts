import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectNoAxeViolations, runFixture, selectWords } from './helpers.ts';

// Discuss a passage in the browser (issue 17 §1): a reader selects a sentence, the Discuss button
// appears, they comment, and see the quote on their comment and the count in the paragraph's margin;
// without JavaScript the paragraph's own Discuss link does the same; a re-import with edited text keeps
// (and moves) one anchor and marks the other as changed. The story is this file's own (unique per run),
// as other specs share the site.

const run = Date.now().toString(36);
const headline = `Harbour council votes on the new sea wall ${run}`;
const P1 = 'The harbour council met on Tuesday evening to decide the future of the old sea wall.';
const SENTENCE = 'Engineers warned that the wall would not survive another winter of storms.';
const P2 = `${SENTENCE} They asked for the repairs to begin before the end of the month.`;
const P3 = 'The fishing cooperative said its boats could not use the quay while the work went on.';
const P4 = 'A final decision is expected at the next meeting in December.';

const storyHtml = (paragraphs: string[]) => `<!doctype html><html lang="en"><head><title>${headline}</title>
  <meta property="og:title" content="${headline}">
  <meta property="article:published_time" content="2026-11-24T08:00:00Z"><meta name="author" content="Robin Harbour"></head>
  <body><article><h1>${headline}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;

async function signedIn(browser: Browser, baseURL: string, token: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  await context.addCookies([{ name: 'parley_session', value: token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  return context.newPage();
}

async function importStory(page: Page, paragraphs: string[], result: 'Created' | 'Updated'): Promise<void> {
  await page.goto('/import');
  await page.getByLabel('Article file (HTML or text, up to 5 MB)').setInputFiles({ name: `sea-wall-${run}.html`, mimeType: 'text/html', buffer: Buffer.from(storyHtml(paragraphs)) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(`${result}: ${headline}`);
}

test.describe.serial('discuss a passage', () => {
  let staff: Page;
  let reader: Page;
  let articlePath = '';
  let selectedId = 0;
  let paragraphId = 0;
  const staffName = `Sam Passages ${run}`;
  const readerName = `Pat Passage ${run}`;

  test.beforeAll(async ({ browser, baseURL }) => {
    const users = await runFixture('moderation-fixture', 'users', `staff:${staffName}`, `reader:${readerName}`);
    staff = await signedIn(browser, baseURL!, users[staffName].token);
    reader = await signedIn(browser, baseURL!, users[readerName].token);
    await importStory(staff, [P1, P2, P3, P4], 'Created');
    await staff.getByRole('link', { name: headline }).click();
    articlePath = new URL(staff.url()).pathname;
  });

  test('a reader selects a sentence, comments on it, and sees the quote and the margin count', async () => {
    test.setTimeout(90_000);
    await reader.goto(articlePath);
    const discuss = reader.locator('button.passage-discuss');
    await expect(discuss).toBeHidden();
    await selectWords(reader, '#p-2', SENTENCE);
    await expect(discuss).toBeVisible();
    await discuss.click();

    await expect(reader).toHaveURL(/\/passages\/2\?.*#compose$/);
    await expect(reader.locator('.passage-page__paragraph mark')).toHaveText(SENTENCE);
    await expectNoAxeViolations(reader, 'passage page with a selection');
    const text = `Which engineers, and what did they measure? ${run}`;
    await reader.getByLabel('Your comment').fill(text);
    await reader.getByRole('button', { name: 'Post comment' }).click();

    await expect(reader).toHaveURL(/\?sort=newest#c-\d+$/);
    selectedId = Number(reader.url().split('#c-')[1]);
    const comment = reader.locator(`#c-${selectedId}`);
    await expect(comment.locator(':scope > div')).toHaveText(text);
    await expect(comment.locator('.comment__passage-text')).toHaveText(SENTENCE);
    await expect(reader.locator('[data-paragraph="2"] .passage-tools__count')).toHaveText('1');
    await expect(reader.locator('[data-paragraph="1"] .passage-tools__count')).toHaveCount(0);
    await expectNoAxeViolations(reader, 'article page with a passage comment');

    // The quote leads back to the spot.
    await expect(comment.locator('a.comment__passage-text')).toHaveAttribute('href', `${articlePath}#p-2`);
    await comment.getByRole('link', { name: SENTENCE }).click();
    await expect(reader).toHaveURL(/#p-2$/);
    await expect(reader.locator('#p-2')).toBeInViewport();

    // The margin's count opens the comments on that paragraph.
    await reader.locator('[data-paragraph="2"] .passage-tools__count').click();
    await expect(reader).toHaveURL(/\/passages\/2$/);
    await expect(reader.locator('.passage-comment')).toHaveCount(1);
    await expect(reader.locator('.passage-comment .comment__body')).toHaveText(text);
  });

  test('without JavaScript, the paragraph’s Discuss link quotes the whole paragraph', async ({ browser, baseURL }) => {
    test.setTimeout(60_000);
    const users = await runFixture('moderation-fixture', 'users', `reader:No Script ${run}`);
    const page = await signedIn(browser, baseURL!, users[`No Script ${run}`].token, false);
    await page.goto(articlePath);
    await page.getByRole('link', { name: 'Discuss paragraph 3' }).click();
    await expect(page).toHaveURL(/\/passages\/3#compose$/);
    await expect(page.locator('.passage-page__paragraph')).toHaveText(P3);
    const text = `Where will the boats land meanwhile? ${run}`;
    await page.getByLabel('Your comment').fill(text);
    await page.getByRole('button', { name: 'Post comment' }).click();
    await expect(page).toHaveURL(/\?sort=newest#c-\d+$/);
    paragraphId = Number(page.url().split('#c-')[1]);
    const comment = page.locator(`#c-${paragraphId}`);
    await expect(comment.locator('.comment__passage-text')).toHaveText(P3);
    await expect(comment.getByRole('link', { name: P3 })).toHaveAttribute('href', `${articlePath}#p-3`);
    await expect(page.locator('[data-paragraph="3"] .passage-tools__count')).toHaveText('1');
    await page.context().close();
  });

  test('a re-import with edited text keeps an anchor that moved and marks the passage that is gone', async () => {
    test.setTimeout(90_000);
    const lead = 'UPDATE: the council has postponed its vote.';
    const rewritten = 'The cooperative has since agreed to move its boats to the north quay.';
    await importStory(staff, [lead, P1, P2, rewritten, P4], 'Updated');

    await reader.goto(`${articlePath}?sort=newest`);
    const kept = reader.locator(`#c-${selectedId}`);
    await expect(kept.locator('.comment__passage-text')).toHaveText(SENTENCE);
    await expect(kept.getByRole('link', { name: SENTENCE })).toHaveAttribute('href', `${articlePath}#p-3`);
    await expect(reader.locator('#p-3')).toContainText(SENTENCE);
    await expect(reader.locator('[data-paragraph="3"] .passage-tools__count')).toHaveText('1');

    const gone = reader.locator(`#c-${paragraphId}`);
    await expect(gone.locator('.comment__passage-text')).toHaveText(P3);
    await expect(gone.locator('.comment__passage-note')).toHaveText('This passage was changed: the article no longer says this.');
    await expect(gone.locator('.comment__passage a')).toHaveCount(0);
    await expect(reader.locator('[data-paragraph="4"] .passage-tools__count')).toHaveCount(0);
  });
});
