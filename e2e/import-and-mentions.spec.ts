import { expect, test, type Browser, type Page } from '@playwright/test';
import { runFixture } from './helpers.ts';

// Issue 14's bugs 4, 6, 7 and 8 in the browser: an import updates an article only when it is the same
// story and says which it did; the import form without a file says why; an HTML import keeps subheads,
// lists, quotes, links and emphasis; a reader mentioned in a held comment hears of it once it is approved.

async function signedIn(browser: Browser, baseURL: string, token: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  await context.addCookies([{ name: 'parley_session', value: token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  return context.newPage();
}

const storyHtml = (headline: string, author: string, date: string, body: string) =>
  Buffer.from(`<!doctype html><html lang="en"><head><title>${headline}</title><meta property="og:title" content="${headline}">
    <meta property="article:published_time" content="${date}"><meta name="author" content="${author}"></head>
    <body><article><h1>${headline}</h1>${body}</article></body></html>`);

async function importFile(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.goto('/import');
  await page.getByLabel('Article file (HTML or text, up to 5 MB)').setInputFiles({ name, mimeType: 'text/html', buffer });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
}

for (const javaScriptEnabled of [true, false]) {
  test(`an import updates an article only when it is the same story, and says which it did (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser, baseURL }) => {
    const staff = await runFixture('import-mention-fixture', 'staff') as { token: string; stamp: string };
    const page = await signedIn(browser, baseURL!, staff.token, javaScriptEnabled);
    // Two stories whose headlines agree on their first 90 characters (the old matching cut them at 80).
    const shared = `County council approves the long-delayed plan for the coastal path between the two harbours ${staff.stamp}`;
    const first = `${shared}, with a new bridge`;
    const second = `${shared}, without the footbridge`;
    const paragraphs = (what: string) =>
      `<p>The council voted on Tuesday evening on the plan for the coastal path, ${what}, after two years of consultation.</p>
       <p>Walkers’ groups welcomed the decision, and the work is due to start in the spring if the weather allows it.</p>
       <p>The path will link the two harbours for the first time since the old railway line closed in the 1960s.</p>`;

    await importFile(page, 'first.html', storyHtml(first, 'Ann Author', '2026-11-20T09:00:00Z', paragraphs('with a bridge')));
    await expect(page.getByRole('status')).toHaveText(`Created: ${first}`);
    await importFile(page, 'second.html', storyHtml(second, 'Ben Byline', '2026-11-22T15:30:00Z', paragraphs('without the footbridge')));
    await expect(page.getByRole('status')).toHaveText(`Created: ${second}`);
    // The first story again, corrected: the same story, so it is updated and keeps its address.
    await importFile(page, 'first.html', storyHtml(first, 'Ann Author', '2026-11-20T09:00:00Z', paragraphs('with a bridge (corrected)')));
    await expect(page.getByRole('status')).toHaveText(`Updated: ${first}`);
    await page.getByRole('link', { name: first }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(first);
    await expect(page.getByText('with a bridge (corrected)')).toBeVisible();
    await page.goBack();
    await page.goto('/');
    await expect(page.getByRole('link', { name: second }).first()).toBeVisible();
    await page.context().close();
  });
}

test('the import form without a file says what to do, with the form still there', async ({ browser, baseURL }) => {
  const staff = await runFixture('import-mention-fixture', 'staff') as { token: string };
  const page = await signedIn(browser, baseURL!, staff.token);
  await page.goto('/import');
  // The browser would stop an empty required field itself; a script, an old browser or a lost file does not.
  await page.getByLabel('Article file (HTML or text, up to 5 MB)').evaluate((input) => input.removeAttribute('required'));
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/import') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Import', exact: true }).click()]);
  expect(response.status()).toBe(400);
  await expect(page.getByRole('alert')).toHaveText('Choose the article’s file (HTML or text) to import.');
  await expect(page.getByLabel('Article file (HTML or text, up to 5 MB)')).toBeVisible();
  await page.context().close();
});

test('an HTML import keeps subheads, lists, quotes, links and emphasis, on the page and in the API', async ({ browser, baseURL }) => {
  const staff = await runFixture('import-mention-fixture', 'staff') as { token: string; stamp: string };
  const page = await signedIn(browser, baseURL!, staff.token);
  const headline = `Island school gets its own ferry ${staff.stamp}`;
  await importFile(
    page,
    'school.html',
    storyHtml(
      headline,
      'Cora Correspondent',
      '2026-11-25T08:15:00Z',
      `<p>The island’s twelve pupils will cross on a boat of their own from January, the <a href="https://example.org/council">county council</a> said on <em>Wednesday</em>.</p>
       <h2>What changes for families</h2>
       <p>Parents had asked for a dedicated crossing for three years, and the council agreed to fund it for five.</p>
       <ul><li>Crossings at 7.40 and 15.20 on school days</li><li>A teaching assistant on every crossing</li></ul>
       <h3>The cost</h3>
       <p>The boat costs £180,000 a year, paid from the transport budget rather than the schools’ own.</p>
       <blockquote><p>It gives the children back an hour of their day.</p></blockquote>
       <p>The first crossing is planned for the 6th of January, weather permitting, the council confirmed.</p>`,
    ),
  );
  await expect(page.getByRole('status')).toHaveText(`Created: ${headline}`);
  await page.getByRole('link', { name: headline }).click();
  const body = page.locator('article');
  await expect(body.getByRole('heading', { level: 2, name: 'What changes for families' })).toBeVisible();
  await expect(body.getByRole('heading', { level: 3, name: 'The cost' })).toBeVisible();
  await expect(body.locator('ul li')).toHaveText(['Crossings at 7.40 and 15.20 on school days', 'A teaching assistant on every crossing']);
  await expect(body.locator('blockquote')).toContainText('It gives the children back an hour of their day.');
  await expect(body.getByRole('link', { name: 'county council' })).toHaveAttribute('href', 'https://example.org/council');
  await expect(body.locator('em', { hasText: 'Wednesday' })).toBeVisible();

  const slug = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  const api = (await (await page.request.get(`/api/v1/articles/${encodeURIComponent(slug)}`)).json()) as { article?: { body: { type: string }[] }; body?: { type: string }[] };
  const blocks = (api.article ?? api).body!.map((b) => b.type);
  expect(blocks).toEqual(expect.arrayContaining(['paragraph', 'heading', 'list', 'quote']));
  await page.context().close();
});

for (const javaScriptEnabled of [true, false]) {
  test(`a reader mentioned in a held comment is notified when a moderator approves it, not before (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser, baseURL }) => {
    const s = await runFixture('import-mention-fixture', 'mention-held') as { path: string; moderator: { token: string }; mentioned: { token: string }; heldId: number; held: string; stamp: string };
    const reader = await signedIn(browser, baseURL!, s.mentioned.token, javaScriptEnabled);
    await reader.goto('/notifications');
    // (The reader's own name in the header carries the stamp too: only the notifications count.)
    await expect(reader.locator('[data-notification]', { hasText: s.stamp })).toHaveCount(0);
    await expect(reader.getByText('Nothing unread.')).toBeVisible();

    const moderator = await signedIn(browser, baseURL!, s.moderator.token, javaScriptEnabled);
    await moderator.goto(s.path);
    const held = moderator.getByRole('region', { name: 'Moderation' }).locator(`#mh-${s.heldId}`);
    await expect(held).toContainText(s.held);
    await held.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(moderator.locator(`#c-${s.heldId}`)).toContainText(`spotting the new times ${s.stamp}`);

    await expect(async () => {
      await reader.goto('/notifications');
      await expect(reader.locator('[data-notification].notification--unread', { hasText: 'mentioned you' })).toHaveCount(1, { timeout: 500 });
    }).toPass({ timeout: 15_000 });
    await expect(reader.getByText('1 unread.')).toBeVisible();
    await reader.locator('[data-notification].notification--unread', { hasText: 'mentioned you' }).getByRole('link').first().click();
    await expect(reader).toHaveURL(new RegExp(`/comments/${s.heldId}$`));
    await reader.context().close();
    await moderator.context().close();
  });
}
