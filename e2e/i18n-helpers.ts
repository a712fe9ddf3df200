import { test, type Browser, type Page } from '@playwright/test';

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

// What a page shows that is not Parley's own words: the stories, people's names, dates and numbers,
// and parts of pages other areas have not extracted yet (the comments, the quoted people, the
// paragraph margins: issue 16's later steps). Everything else must come framed from the pseudo-locale.
export const DATA: readonly string[] = [
  '.site-name', '.article__headline', '.article__standfirst', '.article__author', '.article__dateline', '.article__body', 'figure',
  '.article__source a', 'time', '.story__picture', '.story__headline', '.story__standfirst', '.story__meta', '.conversation-box__item > a:first-child',
  '.account-nav__name', '.session__device', '#reader-name', '.mute-list a', 'code', '[lang]:not(html)', 'script', 'style', 'noscript', 'template', '.notice',
  // Moderation and admin pages: comments and names under review, article headlines, sites and
  // addresses, the word lists and snippets in their fields, notes and reasons people wrote.
  '.mod-item__title', '.mod-item__body', '.mod-item__context', '.mod-item__where a', '.mod-readers a', '.mod-note__body', '.mod-reports', '#mod-article option:not([value=""])',
  'textarea', 'select option[value]:not([value=""])', '.audit td', 'input[type="checkbox"] + code', 'kbd',
];

/**
 * Parts of pages not extracted yet, by area: a test of an area that is done passes `pending` without
 * its own entry, and the entry goes when the whole area is.
 */
export const PENDING: Readonly<Record<string, readonly string[]>> = {
  comments: ['#comments'],
  quotes: ['.quoted'],
  passages: ['.passage-tools', '.passage-discuss'],
  // The moderation pipeline's details, stored as the rules wrote them in English (moderation/views.tsx whyHere).
  moderationDetails: ['.mod-item__why', '.mod-panel__why', '.mod-reader__why'],
};

/** Every pending selector except those of the named areas. */
export const pendingExcept = (...areas: string[]): string[] =>
  Object.entries(PENDING).filter(([area]) => !areas.includes(area)).flatMap(([, selectors]) => selectors);

/** Visible words on the page that did not come through the catalogs (skipping data and the `pending` parts). */
export async function unextracted(page: Page, pending: readonly string[] = pendingExcept()): Promise<string[]> {
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
  }, [...DATA, ...pending]);
}
