// The README's screenshots, made again from the running product: the front page, an article with its
// conversation, the moderators' queue and their panel on the article page. Starts its own server with believable data
// (scripts/demo-site.ts), drives Debian's Chromium through Playwright (/usr/bin/chromium, or
// CHROMIUM_PATH; nothing is downloaded) and writes docs/screenshots/*.png.
//   npm run screenshots
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { startDemoSite } from './demo-site.ts';

const OUT = path.join(import.meta.dirname, '..', 'docs', 'screenshots');
const VIEWPORT = { width: 1280, height: 900 };

fs.mkdirSync(OUT, { recursive: true });
const site = await startDemoSite();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const shoot = async (page: Page, name: string) => {
    const file = path.join(OUT, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`${path.relative(process.cwd(), file)}  ${(fs.statSync(file).size / 1024).toFixed(0)} KB`);
  };

  const reader = await browser.newContext({ viewport: VIEWPORT, baseURL: site.baseUrl });
  const page = await reader.newPage();
  await page.goto(site.frontPath);
  await shoot(page, 'front-page');
  await page.goto(site.articlePath);
  // The conversation, with the end of the story above it.
  await page.locator('#comments').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -120));
  await page.locator('.comment').first().waitFor();
  await shoot(page, 'article-conversation');
  await reader.close();

  const moderator = await browser.newContext({ viewport: VIEWPORT, baseURL: site.baseUrl });
  await moderator.addCookies([{ name: 'parley_session', value: site.moderatorToken, url: site.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  const queue = await moderator.newPage();
  // Taller: the queue's first comment, with why it is held and the decisions, below the bulk form.
  await queue.setViewportSize({ width: VIEWPORT.width, height: 1400 });
  await queue.goto('/moderate?queue=held');
  await queue.locator('.mod-item').first().waitFor();
  await shoot(queue, 'moderation-queue');
  // The same held comments where the conversation is: the moderator's panel on the article page.
  await queue.goto(`${site.articlePath}#moderation`);
  await queue.locator('#moderation').scrollIntoViewIfNeeded();
  await shoot(queue, 'article-moderation');
  await moderator.close();
} finally {
  await browser.close();
  await site.close();
}
