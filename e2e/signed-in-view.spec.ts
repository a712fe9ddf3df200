import { expect as baseExpect, test, type Browser, type Page } from '@playwright/test';
import { expectNoAxeViolations, runFixture } from './helpers.ts';

// Issue 19: signed-in readers get the conversation from the same shared HTML as anonymous readers,
// with their own actions written in. What each viewer sees (their own comment, their respect, whom
// they follow, what they reported) must be theirs alone, and every action must work with and without
// JavaScript, coming back to the comment on the article page, never to a page that offers a reply.

// Many steps on a machine shared with other work: generous time, same assertions.
const expect = baseExpect.configure({ timeout: 15_000 });
test.describe.configure({ timeout: 300_000 });

const NAMES = ['Sian Author', 'Felix Fan', 'Olive Other'];
let readers: Record<string, { token: string; handle: string }> = {};
let articlePath = '';

async function as(browser: Browser, baseURL: string, name: string, javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled });
  await context.addCookies([{ name: 'parley_session', value: readers[name]!.token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  return context.newPage();
}

/** A comment by Sian, posted through the page; returns its element id. */
async function postAsAuthor(page: Page, text: string): Promise<string> {
  await page.goto(`${articlePath}#comments`);
  await page.getByLabel('Join the conversation').fill(text);
  await page.getByRole('button', { name: 'Post comment' }).click();
  const comment = page.locator('#comments .comment', { hasText: text });
  await expect(comment).toBeVisible();
  return (await comment.getAttribute('id'))!;
}

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  readers = await runFixture('comments-fixture', 'readers', ...NAMES);
  const page = await browser.newPage({ baseURL });
  await page.goto('/');
  articlePath = (await page.getByRole('link', { name: /Rex Tillerson says/ }).first().getAttribute('href'))!;
  await page.close();
});

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';

  test(`each viewer sees their own state and acts on it, ${how}`, async ({ browser, baseURL }) => {
    const author = await as(browser, baseURL!, 'Sian Author', javaScript);
    const fan = await as(browser, baseURL!, 'Felix Fan', javaScript);
    const other = await as(browser, baseURL!, 'Olive Other', javaScript);
    // Distinct words in each run: near-identical text from one author within minutes is held as repeated.
    const text = javaScript ? "Sian's view: the ministers should publish the evidence" : 'Sian again, from a browser with scripts switched off, on the sanctions vote';
    const id = await postAsAuthor(author, text);

    // The fan respects Sian's comment: in place with JavaScript, through a small page without.
    await fan.goto(`${articlePath}#comments`);
    let comment = fan.locator(`#${id}`);
    await comment.getByRole('button', { name: /Respect/ }).click();
    if (!javaScript) {
      await expect(fan.getByRole('heading', { name: /Respect the comment by Sian Author/ })).toBeVisible();
      await fan.getByRole('button', { name: 'Respect' }).click();
      await expect(fan).toHaveURL(new RegExp(`${articlePath}#${id}$`));
    }
    comment = fan.locator(`#${id}`);
    await expect(comment.getByRole('button', { name: /Respect/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(comment.locator('footer > data')).toHaveAttribute('value', '1');

    // Follow (or unfollow: the first run followed Sian already) from under the comment.
    const followLink = comment.locator('.comment__follow');
    const wasFollowing = (await followLink.textContent()) === 'Unfollow';
    await followLink.click();
    if (!javaScript) {
      await fan.getByRole('button', { name: `${wasFollowing ? 'Unfollow' : 'Follow'} Sian Author` }).click();
      await expect(fan).toHaveURL(new RegExp(`${articlePath}#${id}$`));
    }
    await expect(fan.locator(`#${id} .comment__follow`)).toHaveText(wasFollowing ? 'Follow' : 'Unfollow');

    // Report: the moderation form, then "Reported" in place of the link, for the fan alone.
    await fan.goto(`${articlePath}#comments`);
    await fan.locator(`#${id} .comment__report`).click();
    await fan.getByRole('button', { name: /Send|Report/ }).click();
    await fan.goto(`${articlePath}#comments`);
    await expect(fan.locator(`#${id} .comment__reported`)).toHaveText('Reported');
    await expect(fan.locator(`#${id} .comment__report`)).toHaveCount(0);
    // axe runs as a script in the page: it can check the same markup only where scripts run.
    if (javaScript) await expectNoAxeViolations(fan);

    // Olive sees none of the fan's state: not pressed, a report link, the follow she has (none).
    await other.goto(`${articlePath}#comments`);
    const seenByOther = other.locator(`#${id}`);
    await expect(seenByOther.getByRole('button', { name: /Respect/ })).toHaveAttribute('aria-pressed', 'false');
    await expect(seenByOther.locator('footer > data')).toHaveAttribute('value', '1');
    await expect(seenByOther.locator('.comment__report')).toBeVisible();
    await expect(seenByOther.locator('.comment__reported')).toHaveCount(0);
    await expect(seenByOther.locator('.comment__follow')).toHaveText('Follow');

    // Sian's own comment: edit and delete, nothing to respect, report or follow.
    await author.goto(`${articlePath}#comments`);
    const own = author.locator(`#${id}`);
    await expect(own.locator('.comment__edit')).toBeVisible();
    await expect(own.locator('.comment__delete')).toBeVisible();
    await expect(own.getByRole('button', { name: /Respect/ })).toHaveCount(0);
    await expect(own.locator('.comment__report, .comment__follow')).toHaveCount(0);
    // Editing comes back to the comment on the article, not to a page that offers to reply to oneself.
    await own.locator('.comment__edit').click();
    await author.getByRole('textbox', { name: 'Your comment' }).fill(`${text}, edited`);
    await author.getByRole('button', { name: 'Save changes' }).click();
    await expect(author).toHaveURL(new RegExp(`${articlePath}(\\?[^#]*)?#${id}$`));
    await expect(author.locator(`#${id} > div`)).toHaveText(`${text}, edited`);
    await expect(author.getByLabel('Reply to Sian Author')).toHaveCount(0);

    // Anonymous readers get none of it.
    const anonymous = await (await browser.newContext({ javaScriptEnabled: javaScript })).newPage();
    await anonymous.goto(`${baseURL}${articlePath}#comments`);
    const seenAnonymously = anonymous.locator(`#${id}`);
    await expect(seenAnonymously.locator('footer > data')).toHaveText('1 respect');
    // No action links: the author's name (to their reader page) and the permalink on its time.
    await expect(seenAnonymously.locator('a')).toHaveCount(2);
    await expect(seenAnonymously.locator('header > a:first-child')).toHaveAttribute('href', /^\/readers\//);
    await expect(seenAnonymously.locator('header > a:has(> time)')).toHaveAttribute('href', /^\/comments\/\d+$/);
    for (const page of [author, fan, other, anonymous]) await page.context().close();
  });
}

test('deleting one’s own comment without JavaScript asks once and comes back to the article', async ({ browser, baseURL }) => {
  const author = await as(browser, baseURL!, 'Sian Author', false);
  const id = await postAsAuthor(author, 'A comment Sian takes back.');
  await author.locator(`#${id} .comment__delete`).click();
  await expect(author.getByRole('heading', { name: 'Delete your comment?' })).toBeVisible();
  await author.getByRole('button', { name: 'Delete' }).click();
  await expect(author).toHaveURL(new RegExp(`${articlePath}(\\?[^#]*)?#${id}$`));
  await expect(author.locator('#comments .comment > div', { hasText: 'A comment Sian takes back.' })).toHaveCount(0);
  await author.context().close();
});
