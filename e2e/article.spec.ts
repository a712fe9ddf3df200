import { expect, test } from '@playwright/test';
import { AxeBuilder } from './axe.ts';

test.describe('the seed article page', () => {
  test('shows every field of the newspaper page and passes axe', async ({ page }) => {
    const thirdParty: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.hostname !== '127.0.0.1') thirdParty.push(request.url());
    });

    await page.goto('/');
    // In the latest stories: other files' readers may have made it a busy conversation too, listed beside them.
    const story = page.getByRole('region', { name: 'Latest stories' }).getByRole('link', { name: /Rex Tillerson says Russia's election interference/ });
    await expect(story).toBeVisible();
    await story.click();

    await expect(page.getByRole('heading', { level: 1 })).toHaveText("Rex Tillerson says Russia's election interference has 'created serious mistrust'");
    await expect(page.locator('.article__standfirst')).toHaveText('Donald Trump has repeatedly declined to categorically say that Russia meddled in last year’s presidential race');
    await expect(page.locator('.article__author')).toHaveText('Alexandra Wilts');
    await expect(page.locator('.article__dateline')).toHaveText('Washington DC');
    const time = page.locator('article time');
    await expect(time).toHaveText('Monday 07 August 2017 16:47 BST');
    await expect(time).toHaveAttribute('datetime', '2017-08-07T15:47:00.000Z');
    await expect(page.getByRole('img', { name: 'US Secretary of State Rex Tillerson' })).toBeVisible();
    await expect(page.locator('figure figcaption')).toHaveText('US Secretary of State Rex Tillerson (Getty)');
    await expect(page.locator('.article__body p')).toHaveCount(14);
    await expect(page.locator('.article__body')).not.toContainText('commenting forum');

    const commentsLink = page.getByRole('link', { name: /Comments/ });
    await expect(commentsLink).toHaveAttribute('href', '#comments');
    await commentsLink.click();
    await expect(page.locator('#comments')).toBeInViewport();

    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    await page.screenshot({ path: 'test-results/article-page.png', fullPage: true });
    expect(thirdParty).toEqual([]);
  });

  test('reads well on a phone and works without JavaScript', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('link', { name: /Rex Tillerson/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'test-results/article-page-phone.png', fullPage: false });
    await context.close();

    // axe needs script in the page, so the phone layout is audited in a context with JavaScript on.
    const audited = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const auditPage = await audited.newPage();
    await auditPage.goto('/');
    await auditPage.getByRole('link', { name: /Rex Tillerson/ }).click();
    const axe = await new AxeBuilder({ page: auditPage }).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await audited.close();
  });

  test('the front page passes axe and an unknown page says so', async ({ page }) => {
    await page.goto('/');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    const res = await page.goto('/articles/no-such-story');
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  });
});
