import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { expect, test, type Browser, type FrameLocator, type Page } from '@playwright/test';
import { SignJWT } from 'jose';
import { expectNoAxeViolations, runFixture } from './helpers.ts';

// Parley inside a publisher's page, in Chromium with third-party cookies blocked: the publisher's
// pages are served from http://127.0.0.2:P (another site than Parley's http://127.0.0.1:3917). The
// frame must show the conversation, sign readers in through a first-party window or the publisher's
// signed token, post, and follow other readers live, all without reloading the publisher's page.

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--test-third-party-cookie-phaseout'],
  },
});
test.describe.configure({ mode: 'serial' });

const fixture = (...args: string[]) => runFixture('embed-fixture', ...args);

const SECRET = randomBytes(32).toString('hex');
const PASSWORD = 'lighthouse keeper marmalade';
let publisher: http.Server;
let publisherBase = '';
let probe: http.Server;
let probeBase = '';
const probeCookies: { path: string; cookie: string | undefined }[] = [];
let parley = '';
let pat: { email: string };

function hostPage(body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbour reopens after the storm — E2E News</title>
<link rel="canonical" href="${publisherBase}/news/harbour">${head}
<style>#parley-comments { --parley-accent: rgb(0, 85, 170); }</style></head>
<body><header><a href="/">E2E News</a></header><main><h1>Harbour reopens after the storm</h1>
<p>The harbour reopened on Monday morning after three days of closure.</p>${body}</main></body></html>`;
}

test.beforeAll(async ({ baseURL }) => {
  parley = baseURL!;
  publisher = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (html: string) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    const embed = `<section aria-label="Reader comments"><div id="parley-comments"></div><script src="${parley}/embed.js" data-site="e2e-news" async></script></section>`;
    if (url.pathname === '/news/harbour') {
      return send(hostPage(`${embed}<iframe title="Probe" src="${probeBase}/framed" width="10" height="10"></iframe>`));
    }
    if (url.pathname === '/news/register') {
      // The publisher's own registration, then the seed's moment: signed in to the comments at once.
      return send(
        hostPage(
          `<form id="register"><label for="name">Your name</label><input id="name" name="name"><button type="submit">Create account</button></form>${embed}`,
          `<script>addEventListener('DOMContentLoaded', () => document.getElementById('register').addEventListener('submit', async (e) => {
            e.preventDefault(); const name = document.getElementById('name').value;
            const { token } = await (await fetch('/token?name=' + encodeURIComponent(name))).json();
            window.Parley.login(token);
          }));</script>`,
        ),
      );
    }
    if (url.pathname === '/token') {
      const name = url.searchParams.get('name') ?? 'Reader';
      const token = await new SignJWT({ email: `${name.toLowerCase().replace(/\W+/g, '.')}@publisher.test`, name })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(`publisher-${name}`)
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti(randomBytes(8).toString('hex'))
        .sign(new TextEncoder().encode(SECRET));
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
    }
    if (url.pathname === '/listing') {
      return send(
        hostPage(
          `<ul><li><a href="/news/harbour">Harbour reopens</a> <span data-parley-count="${publisherBase}/news/harbour"></span></li>
           <li><a href="/news/quiet">A quiet story</a> <span data-parley-count="${publisherBase}/news/quiet"></span></li></ul>
           <script src="${parley}/count.js" data-site="e2e-news" async></script>`,
        ),
      );
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.2', resolve));
  publisherBase = `http://127.0.0.2:${(publisher.address() as AddressInfo).port}`;
  // Another site than the publisher's: the cookie it sets (SameSite=None; Secure, which Chromium allows
  // on http://localhost) arrives when it is visited, and must not when the publisher's page frames it.
  probe = http.createServer((req, res) => {
    probeCookies.push({ path: req.url ?? '', cookie: req.headers.cookie });
    res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': 'probe=third-party; SameSite=None; Secure; Path=/' }).end('<!doctype html><title>probe</title>');
  });
  await new Promise<void>((resolve) => probe.listen(0, 'localhost', resolve));
  probeBase = `http://localhost:${(probe.address() as AddressInfo).port}`;
  await fixture('site', publisherBase, SECRET);
  // The fixture writes the site straight into the database; the server keeps its sites for up to 5 s
  // (src/sites/store.ts), so a frame opened sooner could meet "no such site".
  await expect
    .poll(async () => (await fetch(`${parley}/api/v1/conversations/most-discussed?site=e2e-news`)).status, { timeout: 15_000 })
    .toBe(200);
  pat = await fixture('reader', 'Pat Embed', PASSWORD);
});
test.afterAll(() => {
  publisher?.close();
  probe?.close();
});

const frameOf = (page: Page): FrameLocator => page.frameLocator('iframe[title="Comments"]');

async function openStory(browser: Browser, path = '/news/harbour') {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${publisherBase}${path}`);
  await expect(frameOf(page).getByRole('heading', { name: /Comments/ })).toBeVisible();
  // A reload would lose this.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  return { context, page, frame: frameOf(page) };
}
const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { marker?: number }).marker);

test('the frame shows the conversation with third-party cookies blocked, sized to its content', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${probeBase}/first-party`);
  await page.goto(`${probeBase}/first-party-again`);
  expect(probeCookies.find((p) => p.path === '/first-party-again')?.cookie).toContain('probe=third-party');
  const scripts: { url: string; bytes: number }[] = [];
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'script' && response.url().startsWith(parley)) {
      scripts.push({ url: response.url(), bytes: zlib.gzipSync(await response.body()).length });
    }
  });
  await page.goto(`${publisherBase}/news/harbour`);
  const frame = frameOf(page);
  await expect(frame.getByRole('heading', { name: /Comments/ })).toBeVisible();
  await expect(frame.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // The cookie exists (a first-party visit sends it) but did not arrive in the third-party frame.
  await expect.poll(() => probeCookies.filter((p) => p.path === '/framed').length).toBe(1);
  expect(probeCookies.find((p) => p.path === '/framed')!.cookie ?? '').not.toContain('probe=');

  // No inner scrollbar: the frame is as tall as its document.
  const handle = await page.locator('iframe[title="Comments"]').elementHandle();
  const inner = await (await handle!.contentFrame())!.evaluate(() => document.documentElement.getBoundingClientRect().height);
  await expect.poll(async () => Math.abs((await page.locator('iframe[title="Comments"]').boundingBox())!.height - inner)).toBeLessThan(3);
  // The host's theme variable reached the frame.
  const accent = await (await handle!.contentFrame())!.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--parley-accent').trim());
  expect(accent).toBe('rgb(0, 85, 170)');

  // Budgets: the loader ≤ 3 KB gzip, everything else the frame runs ≤ 15 KB gzip.
  await expect.poll(() => scripts.length).toBeGreaterThanOrEqual(2);
  const loader = scripts.find((s) => s.url.endsWith('/embed.js'))!;
  expect(loader.bytes).toBeLessThanOrEqual(3 * 1024);
  const frameScripts = scripts.filter((s) => s !== loader).reduce((sum, s) => sum + s.bytes, 0);
  expect(frameScripts).toBeGreaterThan(0);
  expect(frameScripts).toBeLessThanOrEqual(15 * 1024);
  await context.close();
});

test('a reader signs in through the sign-in window and posts, and the publisher’s page never reloads', async ({ browser }) => {
  const { context, page, frame } = await openStory(browser);
  const [popup] = await Promise.all([page.waitForEvent('popup'), frame.getByRole('button', { name: 'Sign in' }).click()]);
  await popup.waitForLoadState();
  expect(new URL(popup.url()).origin).toBe(parley);
  await popup.getByLabel('E-mail address').fill(pat.email);
  await popup.getByLabel('Password').fill(PASSWORD);
  // The window closes itself as soon as the code is handed over: wait for that before clicking, or a
  // fast machine closes it before anyone listens.
  const closed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: /Sign in/ }).click({ noWaitAfter: true });
  await closed;
  await expect(frame.getByText('Signed in as')).toContainText('Pat Embed');
  await frame.getByLabel('Join the conversation').fill('Posted from the publisher’s page.');
  await frame.getByRole('button', { name: 'Post comment' }).click();
  await expect(frame.locator('.comment > div', { hasText: 'Posted from the publisher’s page.' })).toBeVisible();
  await expect(frame.getByText('No comments yet.')).toHaveCount(0);
  await expect(frame.getByRole('button', { name: /new comment/ })).toBeHidden();
  expect(await stillSamePage(page)).toBe(42);

  // Signing out happens in the frame too.
  await frame.getByRole('button', { name: 'Sign out' }).click();
  await expect(frame.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await stillSamePage(page)).toBe(42);
  await context.close();
});

test('Parley.login(token) right after registering on the publisher’s site signs the frame in without a reload', async ({ browser }) => {
  const { context, page, frame } = await openStory(browser, '/news/register');
  await page.getByLabel('Your name').fill('Quinn Publisher');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(frame.getByText('Signed in as')).toContainText('Quinn Publisher');
  await expect(frame.getByLabel('Join the conversation')).toBeVisible();
  expect(await stillSamePage(page)).toBe(42);
  await context.close();
});

test('two readers on the publisher’s page see each other’s comments live', async ({ browser }) => {
  const one = await openStory(browser, '/news/register');
  const two = await openStory(browser, '/news/register');
  await one.page.getByLabel('Your name').fill('Ruth Live');
  await one.page.getByRole('button', { name: 'Create account' }).click();
  await two.page.getByLabel('Your name').fill('Sam Live');
  await two.page.getByRole('button', { name: 'Create account' }).click();
  await expect(one.frame.getByText('Signed in as')).toContainText('Ruth Live');
  await expect(two.frame.getByText('Signed in as')).toContainText('Sam Live');

  await one.frame.getByLabel('Join the conversation').fill('Ruth says hello, live.');
  await one.frame.getByRole('button', { name: 'Post comment' }).click();
  const show = two.frame.getByRole('button', { name: '1 new comment — show it' });
  await expect(show).toBeVisible();
  await show.click();
  const ruths = two.frame.locator('.comment', { hasText: 'Ruth says hello, live.' });
  await expect(ruths).toBeVisible();
  await ruths.getByRole('link', { name: /Reply/ }).click();
  await two.frame.getByLabel('Reply to Ruth Live').fill('Sam answers, live.');
  await two.frame.getByRole('button', { name: 'Post reply' }).click();
  await expect(one.frame.locator('li[data-depth]', { hasText: 'Sam answers, live.' })).toBeVisible();
  await one.context.close();
  await two.context.close();
});

test('a listing page shows comment counts from one request', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const countRequests: string[] = [];
  page.on('request', (r) => void (r.url().includes('/api/v1/embed/counts') && countRequests.push(r.url())));
  await page.goto(`${publisherBase}/listing`);
  await expect(page.locator(`[data-parley-count="${publisherBase}/news/harbour"]`)).toHaveText(/^\d+ comments?$/);
  await expect(page.locator(`[data-parley-count="${publisherBase}/news/quiet"]`)).toHaveText('0 comments');
  expect(countRequests).toHaveLength(1);
  await context.close();
});

test('the publisher’s page with the conversation has no accessibility violations', async ({ browser }) => {
  const { context, page, frame } = await openStory(browser);
  await expect(frame.locator('.comment').first()).toBeVisible();
  await expectNoAxeViolations(page, 'the publisher’s page with the frame');
  await context.close();
});

test('in the frame a reader reacts, replies, edits, reports, follows, sorts, deletes and hears the bell', async ({ browser }) => {
  const tess = await openStory(browser, '/news/register');
  const uma = await openStory(browser, '/news/register');
  await tess.page.getByLabel('Your name').fill('Tess Frame');
  await tess.page.getByRole('button', { name: 'Create account' }).click();
  await uma.page.getByLabel('Your name').fill('Uma Frame');
  await uma.page.getByRole('button', { name: 'Create account' }).click();
  await expect(tess.frame.getByText('Signed in as')).toContainText('Tess Frame');
  await expect(uma.frame.getByText('Signed in as')).toContainText('Uma Frame');

  await tess.frame.getByLabel('Join the conversation').fill('Tess first draft.');
  await tess.frame.getByRole('button', { name: 'Post comment' }).click();
  const tessComment = tess.frame.locator('.comment', { hasText: 'Tess first draft.' });
  await expect(tessComment).toBeVisible();

  // Edit in place, through the API (the frame cannot open Parley's edit page with its token).
  await tessComment.getByRole('link', { name: 'Edit' }).click();
  await tess.frame.getByLabel('Edit your comment').fill('Tess, edited in the frame.');
  await tess.frame.getByRole('button', { name: 'Save' }).click();
  await expect(tess.frame.locator('.comment > div', { hasText: 'Tess, edited in the frame.' })).toBeVisible();

  await uma.frame.getByRole('button', { name: /new comment/ }).click();
  const seenByUma = uma.frame.locator('.comment', { hasText: 'Tess, edited in the frame.' });
  await expect(seenByUma).toBeVisible();
  await seenByUma.getByRole('button', { name: /Respect/ }).click();
  await expect(seenByUma.getByRole('button', { name: /Respect/ })).toHaveAttribute('aria-pressed', 'true');
  await seenByUma.getByRole('button', { name: /Follow/ }).click();
  await expect(uma.frame.locator('.comment', { hasText: 'Tess, edited in the frame.' }).getByRole('button', { name: /Unfollow/ })).toBeVisible();
  await uma.frame.locator('.comment', { hasText: 'Tess, edited in the frame.' }).getByRole('link', { name: /Report/ }).click();
  await uma.frame.getByLabel('Why should a moderator look at this comment?').selectOption('off_topic');
  await uma.frame.getByRole('button', { name: 'Report', exact: true }).click();
  await expect(uma.frame.getByText('Thank you: a moderator will look at it.')).toBeVisible();

  // Uma answers; Tess's bell in the frame counts it without a reload.
  await uma.frame.locator('.comment', { hasText: 'Tess, edited in the frame.' }).getByRole('link', { name: /Reply/ }).click();
  await uma.frame.getByLabel('Reply to Tess Frame').fill('Uma answers Tess.');
  await uma.frame.getByRole('button', { name: 'Post reply' }).click();
  await expect(tess.frame.locator('li[data-depth]', { hasText: 'Uma answers Tess.' })).toBeVisible();
  await expect(tess.frame.locator('.embed-account__unread')).toHaveText(/\(\d+ unread\)/);

  // Sorting stays in the frame.
  await tess.frame.getByRole('link', { name: 'Oldest' }).click();
  await expect(tess.frame.getByRole('link', { name: 'Oldest' })).toHaveAttribute('aria-current', 'true');
  expect(await stillSamePage(tess.page)).toBe(42);

  // Deleting one's own comment.
  tess.page.on('dialog', (dialog) => void dialog.accept());
  await tess.frame.locator('.comment', { hasText: 'Tess, edited in the frame.' }).getByRole('button', { name: 'Delete' }).click();
  await expect(tess.frame.locator('.comment > div', { hasText: 'Tess, edited in the frame.' })).toHaveCount(0);
  await tess.context.close();
  await uma.context.close();
});
