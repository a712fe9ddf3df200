import { expect, test, type Browser, type Page } from '@playwright/test';
import { runFixture } from './helpers.ts';

// A wording walk (issue 14): the main pages as a reader, a moderator and an admin would see them,
// failing on what a person should never read: doubled full stops, "undefined", "null", "NaN",
// "[object Object]", and a word written twice in a row ("the the"). Only visible text counts (what
// innerText gives), so attribute values and scripts are not read; the article's own body, which
// comes from the publisher, is left out.

test.describe.configure({ timeout: 300_000 });

interface Setup {
  path: string;
  slug: string;
  moderator: { token: string; handle: string };
  reader: { token: string; handle: string };
  publishedId: number;
  heldId: number;
}

/** What is wrong with a page's visible text, one line each (empty when nothing is). */
export function wordingProblems(text: string): string[] {
  const problems: string[] = [];
  const around = (index: number) => JSON.stringify(text.slice(Math.max(0, index - 40), index + 40));
  for (const m of text.matchAll(/(?<![.…])\.\s*\.(?![.…])/g)) problems.push(`doubled full stop: ${around(m.index)}`);
  for (const m of text.matchAll(/\b(undefined|null|NaN)\b|\[object Object\]/g)) problems.push(`"${m[0]}": ${around(m.index)}`);
  // Within one line: a heading and the link after it may well share a word.
  for (const m of text.matchAll(/\b([A-Za-z]{2,})[ \t\u00a0]+\1\b/gi)) problems.push(`"${m[1]}" twice: ${around(m.index)}`);
  return problems;
}

async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    // The publisher's story is theirs; its words are not ours to judge here.
    body.querySelectorAll('.article__body, .article-body').forEach((el) => el.remove());
    document.body.append(body);
    body.style.position = 'absolute';
    const text = body.innerText;
    body.remove();
    return text;
  });
}

async function walk(browser: Browser, baseURL: string, token: string | null, paths: string[]): Promise<string[]> {
  const context = await browser.newContext({ baseURL });
  if (token) await context.addCookies([{ name: 'parley_session', value: token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  const found: string[] = [];
  for (const path of paths) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBeLessThan(400);
    for (const problem of wordingProblems(await visibleText(page))) found.push(`${path}: ${problem}`);
  }
  await context.close();
  return found;
}

test('the checker itself catches what it is meant to', () => {
  expect(wordingProblems('No rule objected — No rule objected.. Thanks.')).toHaveLength(1);
  expect(wordingProblems('Posted by undefined on null')).toHaveLength(2);
  expect(wordingProblems('Reported by [object Object]')).toContainEqual(expect.stringMatching(/^"\[object Object\]"/));
  expect(wordingProblems('Read the the comment')).toHaveLength(1);
  expect(wordingProblems('Activity\nActivity and more')).toEqual([]);
  expect(wordingProblems('Wait… and then... more. Fine. https://… works, as does 1.5.')).toEqual([]);
});

test('the main pages read well to a reader, a moderator and an admin', async ({ browser, baseURL }) => {
  const s = await runFixture('newsroom-fixture', 'setup') as Setup;
  const users = await runFixture('moderation-fixture', 'users', `admin:Wanda Wording ${Date.now().toString(36)}`) as Record<string, { token: string; handle: string }>;
  const admin = Object.values(users)[0]!;
  const comment = `/articles/${encodeURIComponent(s.slug)}/comments/${s.publishedId}`;
  const found = [
    ...(await walk(browser, baseURL!, null, ['/', s.path, comment, '/signin', '/register', '/forgot-password', `/readers/${s.reader.handle}`])),
    ...(await walk(browser, baseURL!, s.reader.token, [s.path, comment, '/account', '/notifications', '/activity', '/following', '/settings/notifications', `/comments/${s.publishedId}/edit`])),
    ...(await walk(browser, baseURL!, s.moderator.token, [
      s.path,
      comment,
      '/moderate',
      '/moderate?queue=reported',
      '/moderate?queue=approved',
      '/moderate?queue=rejected',
      '/moderate?queue=featured',
      '/moderate/readers',
      `/moderate/readers/${s.reader.handle}`,
      '/import',
    ])),
    ...(await walk(browser, baseURL!, admin.token, ['/admin', '/admin/audit', '/admin/jobs', '/admin/sites', '/admin/webhooks', '/admin/sources'])),
  ];
  expect(found).toEqual([]);
});
