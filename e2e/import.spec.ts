import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from './axe.ts';
import { expect, test } from '@playwright/test';
import { runFixture } from './helpers.ts';

// A member of the newsroom imports a saved web page from the browser and lands on the published story.

test('newsroom staff import an article from the browser', async ({ browser, baseURL }) => {
  const { token } = ((await runFixture('moderation-fixture', 'users', 'staff:Sam Staff')) as Record<string, { token: string }>)['Sam Staff']!;
  const context = await browser.newContext();
  await context.addCookies([{ name: 'parley_session', value: token, url: baseURL!, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();

  await page.goto('/import');
  expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);
  await page.getByLabel('Article file (HTML or text, up to 5 MB)').setInputFiles({
    name: 'lighthouse.html',
    mimeType: 'text/html',
    buffer: Buffer.from(`<!doctype html><html lang="en"><head><title>Lighthouse keeper retires after forty years</title>
      <meta property="og:title" content="Lighthouse keeper retires after forty years">
      <meta property="article:published_time" content="2026-11-21T09:00:00Z"><meta name="author" content="Lee Reporter"></head>
      <body><article><h1>Lighthouse keeper retires after forty years</h1>
      <p>The last keeper of the north light climbed its 118 steps for the final time on Saturday morning.</p>
      <p>Villagers lined the harbour road to thank him, and the lifeboat crew fired a flare in salute.</p>
      <p>The light has run automatically since 1998, but he stayed on to look after the tower and its lens.</p>
      </article></body></html>`),
  });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Created: Lighthouse keeper retires after forty years');
  await page.getByRole('link', { name: 'Lighthouse keeper retires after forty years' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lighthouse keeper retires after forty years');
  await expect(page.locator('.article__author')).toHaveText('Lee Reporter');

  // Without a file, or with one that is not an article, the form says why.
  await page.goto('/import');
  await page.getByLabel('Article file (HTML or text, up to 5 MB)').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('This file cannot be imported: the file is binary, not text or HTML.');

  // By address: the page is fetched from the publisher (on loopback here; FETCH_PRIVATE=allow in
  // playwright.config.ts), and so is its picture, copied in the background.
  const publisher = http.createServer((req, res) => {
    if (req.url === '/news/tide') {
      return res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html lang="en"><head><title>Spring tide floods the quay</title>
        <meta property="og:title" content="Spring tide floods the quay"><meta property="og:image" content="/pictures/tide.png">
        <meta property="og:image:alt" content="Water over the quay at high tide"></head>
        <body><article><h1>Spring tide floods the quay</h1>
        <p>The highest tide of the year spilled over the quay wall on Sunday evening, the harbour master said.</p>
        <p>Shops along the front had sandbags in place, and no one was hurt, though the car park was closed.</p>
        <p>The next spring tide is due in a fortnight, when the forecast is for calmer weather.</p></article></body></html>`);
    }
    res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
  });
  await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto('/import');
    await page.getByLabel('Address of the story on the publisher’s site').fill(`http://127.0.0.1:${(publisher.address() as AddressInfo).port}/news/tide`);
    await page.getByRole('button', { name: 'Fetch and import' }).click();
    await expect(page.getByRole('status')).toContainText('Created: Spring tide floods the quay');
    await page.getByRole('link', { name: 'Spring tide floods the quay' }).click();
    const picture = page.getByRole('img', { name: 'Water over the quay at high tide' });
    await expect(async () => {
      await page.reload();
      await expect(picture).toHaveAttribute('src', /^\/media\/[0-9a-f]{64}\.webp$/, { timeout: 500 });
    }).toPass({ timeout: 15_000 });
  } finally {
    publisher.closeAllConnections();
    await new Promise((resolve) => publisher.close(resolve));
  }
  await context.close();
});
