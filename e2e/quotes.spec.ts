import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, runFixture } from './helpers.ts';

// Who's quoted in the browser (issue 17 §2): the seed's box lists Rex Tillerson with his four direct
// quotes and Donald Trump with his one, and not Sergei Lavrov, who is only mentioned; a quote links to
// its paragraph; the person page; an editor corrects an attribution on /admin/sources and readers see
// it (test/quotes/quotes-http.test.ts checks the audit entries); axe finds nothing on these pages.

const SEED = '/articles/rex-tillerson-says-russias-election-interference-has-created-serious-mistrust';

test('the seed’s Who’s quoted box lists its speakers and links each quote to its paragraph', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(SEED);
  const box = page.getByRole('complementary', { name: 'Who’s quoted' });
  await expect(box).toBeVisible();
  const people = box.locator('.quoted__person');
  await expect(people).toHaveCount(2);
  const tillerson = people.filter({ hasText: 'Rex Tillerson' });
  await expect(tillerson.locator('.quoted__name')).toHaveText('Rex Tillerson, Secretary of State');
  await expect(tillerson.locator('.quoted__quote')).toHaveCount(4);
  const trump = people.filter({ hasText: 'Donald Trump' });
  await expect(trump.locator('.quoted__quote')).toHaveCount(1);
  await expect(trump.locator('.quoted__quote')).toContainText('As President, I can make far better deals with foreign countries than Congress');
  // Sergei Lavrov is mentioned (and named inside a quote), but says nothing himself.
  await expect(box.locator('.quoted__name')).toHaveText(['Rex Tillerson, Secretary of State', 'Donald Trump']);
  await expectNoAxeViolations(page, 'article page with the Who’s quoted box');

  const quote = tillerson.locator('.quoted__quote').filter({ hasText: 'We have our differences' });
  const anchor = (await quote.getAttribute('href'))!;
  expect(anchor).toMatch(/^#p-\d+$/);
  await quote.click();
  await expect(page).toHaveURL(new RegExp(`${anchor}$`));
  await expect(page.locator(anchor)).toContainText("We have our differences, we're going to have to continue");
  await expect(page.locator(anchor)).toBeInViewport();

  await tillerson.getByRole('link', { name: 'Rex Tillerson' }).click();
  await expect(page).toHaveURL(/\/people\/rex-tillerson$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Rex Tillerson' })).toBeVisible();
  // Other browser tests import copies of the seed into the same site: count only that it is quoted.
  await expect(page.getByText(/^Quoted \d+ times in (one story|\d+ stories)\.$/)).toBeVisible();
  await expect(page.locator(`a[href="${SEED}#comments"]`).first()).toHaveText(/Join the conversation/);
  await expectNoAxeViolations(page, 'person page');
});

test('an editor corrects who said a quote, and readers see the correction', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const users = await runFixture('moderation-fixture', 'users', 'staff:Esme Editor');
  const editor = await browser.newContext();
  await editor.addCookies([{ name: 'parley_session', value: users['Esme Editor'].token, url: baseURL!, httpOnly: true, sameSite: 'Lax' }]);
  const page = await editor.newPage();

  await page.goto('/admin/sources');
  const report = page.getByRole('table', { name: /people quoted/ });
  // Counts add up copies of the seed that other browser tests import: the exact figures are checked
  // in test/quotes/quotes-http.test.ts; here the report must list both speakers.
  await expect(report.getByRole('row', { name: /Rex Tillerson/ })).toBeVisible();
  await expect(report.getByRole('row', { name: /Donald Trump/ })).toBeVisible();
  await expectNoAxeViolations(page, '/admin/sources');

  await report.getByRole('link', { name: 'Rex Tillerson' }).click();
  await expect(page).toHaveURL(/person=rex-tillerson/);
  // Other browser tests import copies of the seed, newer than the seed itself: its quote may be on an
  // older page of the review list, which the editor reaches through the pager.
  const inSeed = page.locator(`a[href^="${SEED}#p-"]`);
  const item = page.locator('.quote-review__item').filter({ hasText: 'We have our differences' }).filter({ has: inSeed });
  for (let pages = 1; (await item.count()) === 0; pages++) {
    expect(pages, 'the seed’s quote is on one of the review list’s pages').toBeLessThan(50);
    await page.getByRole('navigation', { name: 'More quotes to check' }).getByRole('link', { name: 'Older quotes' }).click();
    await expect(page).toHaveURL(new RegExp(`page=${pages + 1}`));
  }
  await item.getByLabel('Who said it').fill('Heather Nauert');
  await item.getByRole('button', { name: 'Change speaker' }).click();
  await expect(page.getByRole('status')).toContainText('The speaker was changed');
  await expect(page.getByRole('table', { name: /people quoted/ }).getByRole('row', { name: /Heather Nauert/ })).toContainText('1');
  await expectNoAxeViolations(page, '/admin/sources after a correction');

  // A reader (no session, so the cached page) sees the new speaker at once.
  const reader = await browser.newPage();
  await reader.goto(SEED);
  const box = reader.getByRole('complementary', { name: 'Who’s quoted' });
  await expect(box.locator('.quoted__person').filter({ hasText: 'Heather Nauert' }).locator('.quoted__quote')).toHaveCount(1);
  await expect(box.locator('.quoted__person').filter({ hasText: 'Rex Tillerson' }).locator('.quoted__quote')).toHaveCount(3);

  // Put it back, so the seed reads as published for the other tests. (The editor's tab comes to the
  // front again: a tab in the background gets no animation frames, which Playwright's actions wait for.)
  await page.bringToFront();
  await page.goto('/admin/sources?person=heather-nauert#review');
  const moved = page.locator('.quote-review__item').filter({ hasText: 'We have our differences' }).filter({ has: inSeed });
  await moved.getByLabel('Who said it').fill('Rex Tillerson');
  await moved.getByRole('button', { name: 'Change speaker' }).click();
  await expect(page.getByRole('status')).toContainText('The speaker was changed');
  await reader.bringToFront();
  await reader.reload();
  await expect(box.locator('.quoted__person').filter({ hasText: 'Rex Tillerson' }).locator('.quoted__quote')).toHaveCount(4);
  await reader.close();
});
