import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';

// An article imported with `parley import` from a publisher's HTML shows its picture from Parley's own
// copy: the browser asks nobody but this site for anything (the e2e server may fetch from loopback,
// FETCH_PRIVATE=allow in playwright.config.ts, since the "publisher" here is on this machine).

test('an imported article shows its picture from our own copy, and the browser asks no one else', async ({ page, baseURL }) => {
  const asked: string[] = [];
  const photo = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#357' } }).jpeg().toBuffer();
  const publisher = http.createServer((req, res) => {
    asked.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
  });
  await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
  const pictureUrl = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}/pictures/harbour.jpg`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-e2e-import-'));
  try {
    const file = path.join(dir, 'harbour.html');
    fs.writeFileSync(
      file,
      `<!doctype html><html lang="en"><head><title>Harbour reopens after the storm</title>
      <meta property="og:title" content="Harbour reopens after the storm">
      <meta property="og:image" content="${pictureUrl}">
      <meta property="og:image:alt" content="Fishing boats tied up along the harbour wall">
      <meta property="article:published_time" content="2026-11-20T08:30:00Z">
      <meta name="author" content="Dana Reporter"></head>
      <body><article><h1>Harbour reopens after the storm</h1>
      <p>The harbour reopened on Friday after a week of repairs to the sea wall, the port authority said.</p>
      <p>Fishing crews returned to their moorings before dawn, and the first catch was landed by nine.</p>
      <p>Repairs to the outer breakwater will continue into the spring, the authority added.</p>
      </article></body></html>`,
    );
    const out = execFileSync('node', ['bin/parley.js', 'import', file], { env: { ...process.env, DATA_DIR: process.env.PARLEY_E2E_DATA_DIR, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
    const { url } = JSON.parse(out.trim().split('\n').pop()!) as { url: string };

    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== new URL(baseURL!).origin) elsewhere.push(request.url());
    });
    const picture = page.getByRole('img', { name: 'Fishing boats tied up along the harbour wall' });
    // The copy is made by the server's job runner, which hears of another process's jobs on its next poll.
    await expect(async () => {
      await page.goto(url);
      await expect(picture).toHaveAttribute('src', /^\/media\/[0-9a-f]{64}\.webp$/, { timeout: 500 });
    }).toPass({ timeout: 15_000 });
    // The article column is 672 CSS pixels wide on this 1280-pixel screen at 1×: the 960-pixel copy serves.
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const chosen = await picture.evaluate((img: HTMLImageElement) => {
      const widths = Object.fromEntries(img.srcset.split(', ').map((entry) => entry.split(' ').reverse()));
      return widths['960w'] === new URL(img.currentSrc).pathname;
    });
    expect(chosen).toBe(true);
    expect(await picture.evaluate((img: HTMLImageElement) => Math.round(img.getBoundingClientRect().width / img.getBoundingClientRect().height))).toBe(2);
    expect(elsewhere).toEqual([]);
    expect(asked).toEqual(['/pictures/harbour.jpg']);
  } finally {
    publisher.closeAllConnections();
    await new Promise((resolve) => publisher.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
