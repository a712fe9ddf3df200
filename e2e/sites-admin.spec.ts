import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, runFixture } from './helpers.ts';

// Sites in the browser (issue 11 §1): an admin creates a publication from the admin pages, copies its
// snippet, and edits its allowed origins, a mistake shown next to the field; axe finds nothing.

const fixture = (...args: string[]) => runFixture('moderation-fixture', ...args);

test('an admin creates a site and edits its origins', async ({ browser, baseURL }) => {
  const users = await fixture('users', 'admin:Sally Sites');
  const context = await browser.newContext();
  await context.addCookies([{ name: 'parley_session', value: users['Sally Sites'].token, url: baseURL!, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();

  await page.goto('/admin');
  // The roles part of the page now chooses moderators' sites too.
  await expect(page.getByRole('group', { name: 'Sites (none: every site)' }).getByLabel('Parley (default)')).toBeVisible();
  await expectNoAxeViolations(page, '/admin');
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Sites' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sites' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Sites' })).toContainText('default');
  await expectNoAxeViolations(page, '/admin/sites');

  await page.getByLabel('Name', { exact: true }).fill('The Harbour Herald');
  await page.getByLabel('Allowed origins, one per line').fill('https://www.harbour-herald.example');
  await page.getByRole('button', { name: 'Create site' }).click();
  await expect(page).toHaveURL(/\/admin\/sites\/the-harbour-herald\?created=1$/);
  await expect(page.getByRole('status')).toContainText('The site is created');
  await expect(page.getByLabel('Where comments belong')).toHaveValue(`<div id="parley-comments"></div><script src="${baseURL}/embed.js" data-site="the-harbour-herald" async></script>`);
  await expect(page.getByLabel(/On listing pages, for comment counts/)).toHaveValue(`<script src="${baseURL}/count.js" data-site="the-harbour-herald" async></script>`);
  await expectNoAxeViolations(page, '/admin/sites/the-harbour-herald');

  // A path is not an origin: the form comes back with the mistake next to the field and the text kept.
  const origins = page.getByLabel('Allowed origins, one per line');
  await origins.fill('https://www.harbour-herald.example\nhttps://harbour-herald.example/news');
  await page.getByRole('button', { name: 'Save site' }).click();
  await expect(page.getByRole('alert')).toContainText('Please correct the field marked below.');
  await expect(origins).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#site-origins-error')).toContainText('“https://harbour-herald.example/news” is not an origin');
  await expect(origins).toHaveValue('https://www.harbour-herald.example\nhttps://harbour-herald.example/news');
  await expectNoAxeViolations(page, 'the refused form');

  await origins.fill('https://www.harbour-herald.example\nhttps://harbour-herald.example');
  await page.getByRole('button', { name: 'Save site' }).click();
  await expect(page).toHaveURL(/\/admin\/sites\/the-harbour-herald\?saved=1$/);
  await expect(page.getByRole('status')).toContainText('Saved.');
  await expect(page.getByLabel('Allowed origins, one per line')).toHaveValue('https://www.harbour-herald.example\nhttps://harbour-herald.example');

  await page.getByRole('link', { name: 'All sites' }).click();
  const row = page.getByRole('row', { name: /The Harbour Herald/ });
  await expect(row).toContainText('https://www.harbour-herald.example, https://harbour-herald.example');
  await expect(row).toContainText('the-harbour-herald');
  await context.close();
});
