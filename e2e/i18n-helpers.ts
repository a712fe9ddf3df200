import { test, type Browser, type Page, type TestInfo } from '@playwright/test';

// The pseudo-locale check the language specs share: en-XA (offered because the e2e server runs with
// PARLEY_E2E=1) frames every catalog message in ⟦…⟧, so words outside the frames skipped the catalogs.

/** A browser context in this language, signed in with the session token when one is given. */
export async function contextIn(browser: Browser, locale: string, signedInAs?: string) {
  const context = await browser.newContext({ locale });
  if (signedInAs) {
    const baseURL = test.info().project.use.baseURL!;
    await context.addCookies([{ name: 'parley_session', value: signedInAs, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  }
  return { context, page: await context.newPage() };
}

// What a page shows that is not Parley's own words: the stories, people's names, comments, dates and
// numbers. Everything else must come framed from the pseudo-locale.
export const DATA: readonly string[] = [
  '.site-name', '.article__headline', '.article__standfirst', '.article__author', '.article__dateline', '.article__body', 'figure',
  '.article__source a', 'time', '.story__picture', '.story__headline', '.story__standfirst', '.story__meta', '.conversation-box__item > a:first-child',
  '.account-nav__name', '.session__device', '#reader-name', '.mute-list a', 'code', '[lang]:not(html)', 'script', 'style', 'noscript', 'template', '.notice',
  // Moderation and admin pages: comments and names under review, article headlines, sites and
  // addresses, the word lists and snippets in their fields, notes and reasons people wrote.
  '.mod-item__title', '.mod-item__body', '.mod-item__context', '.mod-item__where a', '.mod-readers a', '.mod-note__body', '.mod-reports', '#mod-article option:not([value=""])',
  'textarea', 'select option[value]:not([value=""])', '.audit td', 'input[type="checkbox"] + code', 'kbd',
  // A reader's moderation page: their name and public address; the reason a moderator wrote in a warning.
  '.moderate > h1', '.mod-item__facts a[href^="/readers/"]', '.mod-warning blockquote',
  // Reporters' names, inside nested frames the check cannot take apart.
  '.mod-item__reports',
  // Comments: their bodies and authors (client/_comment.ts; the initials are drawn by CSS), and a moderator's note on a featured one.
  '.comment__body', '.comment > div', '.comment__muted > div', '.comment > header > :first-child', '.comment__meta > :first-child', '.featured__note',
  // Quotes and passages: the people quoted, their roles, the stories they were quoted in, the passage
  // itself and the comments on it.
  '.quoted__name > a', '.person-page > h1', '.person-page__role', '.person-page__story h2', '.passage-page__paragraph', '.passage-comment .comment__meta > :first-child', '.passage-comment .comment__body',
];

/** Visible words on the page that did not come through the catalogs (skipping DATA). */
export async function unextracted(page: Page): Promise<string[]> {
  return page.evaluate((dataSelectors) => {
    const body = document.body.cloneNode(true) as HTMLElement;
    for (const el of body.querySelectorAll(dataSelectors.join(','))) el.remove();
    const texts = [body.textContent ?? '', document.title];
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
      if (el.closest(dataSelectors.join(','))) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = el.getAttribute(name);
        if (value) texts.push(value);
      }
    }
    const site = document.querySelector('.site-name')?.textContent?.trim() ?? '';
    return texts
      // Handles (@name) are people's names too.
      .map((t) => t.replace(/⟦[^⟧]*⟧/g, ' ').split(site).join(' ').replace(/@[\w-]+/g, ' '))
      .flatMap((t) => t.match(/[A-Za-z]{2,}(?:[' ][A-Za-z]{2,})*/g) ?? []);
  }, DATA);
}

/** A full-page screenshot attached to the test's results. */
export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}
