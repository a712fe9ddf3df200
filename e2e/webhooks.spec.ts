import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { expectNoAxeViolations, runFixture } from './helpers.ts';

// Webhooks in the browser (issue 15 §3): an admin registers an endpoint from the admin pages, copies
// its secret, sends a test event and sees its delivery in the log; the receiver (this process, on
// 127.0.0.1: the e2e server runs with FETCH_PRIVATE=allow) checks the signature. Axe finds nothing.

const fixture = (...args: string[]) => runFixture('moderation-fixture', ...args);

const received: { headers: Record<string, string>; body: string }[] = [];
let receiver: http.Server;
let receiverUrl = '';

test.beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/parley-hooks`;
});
test.afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

test('an admin adds an endpoint, sends a test event and sees it delivered in the log', async ({ browser, baseURL }) => {
  const users = await fixture('users', 'admin:Hugo Hooks');
  const context = await browser.newContext();
  await context.addCookies([{ name: 'parley_session', value: users['Hugo Hooks'].token, url: baseURL!, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();

  await page.goto('/admin');
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Webhooks' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  // Other files may have an endpoint of their own at this moment: the empty list is checked over HTTP
  // (test/webhooks/webhooks.test.ts).
  await expectNoAxeViolations(page, '/admin/webhooks');

  // A mistake comes back next to its field, with what was typed.
  await page.getByLabel('Address (URL)').fill(receiverUrl);
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByRole('alert')).toContainText('Please correct the field marked below.');
  await expect(page.getByText('Choose at least one event.')).toBeVisible();
  await expect(page.getByLabel('Address (URL)')).toHaveValue(receiverUrl);
  await expectNoAxeViolations(page, 'the refused form');

  await page.getByLabel('Description (optional)').fill('The newsroom chat');
  await page.getByRole('checkbox', { name: /comment\.created/ }).check();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Webhook: ${receiverUrl}`);
  const secret = await page.getByRole('textbox', { name: 'New signing secret' }).inputValue();
  expect(secret).toMatch(/^whsec_/);
  await expectNoAxeViolations(page, 'the new endpoint with its secret');

  await page.getByRole('button', { name: 'Send a test event' }).click();
  await expect(page.getByRole('status')).toContainText('A test event is on its way');
  // The endpoint takes comment.created, and other files post comments while this one runs: their
  // deliveries are real ones. The test event is the one sent from this page.
  const row = page.getByRole('table', { name: 'Delivery log' }).getByRole('row').filter({ hasText: 'webhook.test' });
  // The page is a plain one: reload until the job has run.
  await expect(async () => {
    await page.reload();
    await expect(row).toContainText('Delivered', { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('204');
  // The secret was shown once: the page no longer carries it.
  expect(await page.content()).not.toContain(secret);
  await expectNoAxeViolations(page, 'the delivery log');

  const tests = received.filter((r) => (JSON.parse(r.body) as { type: string }).type === 'webhook.test');
  expect(tests).toHaveLength(1);
  const message = new Webhook(secret).verify(tests[0]!.body, tests[0]!.headers) as { type: string };
  expect(message.type).toBe('webhook.test');
  await expect(row).toContainText(tests[0]!.headers['webhook-id']!);
});
