import { expect, test } from '@playwright/test';
import { runFixture } from './helpers.ts';

// Feedback after an action (issue 14): opening a notification marks it read, with and without
// JavaScript, because its link goes through the server (/notifications/:id/open).

test.describe.configure({ timeout: 120_000 });

for (const javaScriptEnabled of [true, false]) {
  test(`opening a notification marks it read (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, async ({ browser, baseURL }) => {
    const s = await runFixture('newsroom-fixture', 'setup');
    const { id } = await runFixture('newsroom-fixture', 'notify', String(s.reader.id), String(s.moderator.id), String(s.articleId), String(s.publishedId));
    const context = await browser.newContext({ javaScriptEnabled });
    await context.addCookies([{ name: 'parley_session', value: s.reader.token, url: baseURL!, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    await page.goto('/notifications');
    const item = page.locator(`[data-notification="${id}"]`);
    await expect(item).toHaveClass(/notification--unread/);
    await expect(page.getByText('1 unread.')).toBeVisible();
    await item.getByRole('link').first().click();
    await expect(page).toHaveURL(new RegExp(`/articles/${s.slug}/comments/${s.publishedId}$`));
    await page.goto('/notifications');
    await expect(page.locator(`[data-notification="${id}"]`)).not.toHaveClass(/notification--unread/);
    await expect(page.getByText('Nothing unread.')).toBeVisible();
    await context.close();
  });
}
