import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import { dialects } from '../helpers/app.ts';
import { postComment, startConversation, type Conversation } from './setup.ts';
import { FEATURED_LIMIT, featuredComments } from '../../src/comments/featured.ts';

// The finished comment stream as HTML: featured comments with the moderators' note, newsroom badges,
// avatars and reader links, exact times for the island to make relative, folding threads, quoting
// and the composer's preview.

const featuredBlock = (html: string) => html.match(/<section class="comments__featured"[\s\S]*?<\/section>/)?.[0] ?? '';

describe.each(dialects)('the finished comment stream on %s', (dialect) => {
  let c: Conversation;
  let articlePath: string;
  let moderator: TestClient;
  beforeAll(async () => {
    c = await startConversation(dialect);
    articlePath = `/articles/${c.article.slug}`;
    moderator = (await c.reader({ displayName: 'Mo Derator', role: 'moderator' })).client;
  });
  afterAll(async () => c.app.close());

  const feature = (id: number, reason?: string) => moderator.post(`/api/v1/moderation/comments/${id}/decision`, { decision: 'feature', ...(reason ? { reason } : {}) });

  it('shows featured comments above the threads, with the note, newest featured first, for everyone', async () => {
    const { client: a, user } = await c.reader({ displayName: 'Featured Fay' });
    const first = await postComment(a, c.article.slug, `First pick ${Date.now()}`);
    const second = await postComment(a, c.article.slug, 'Second pick <script>x</script>');
    const plain = await postComment(a, c.article.slug, 'Not chosen');
    const anonymous = new TestClient(c.app.baseUrl);
    expect(featuredBlock(await anonymous.page(articlePath))).toBe('');

    expect((await feature(first.id, 'A clear account from someone who was there.')).status).toBe(200);
    expect((await feature(second.id)).status).toBe(200);
    // The shared HTML was dropped by the decision (on PostgreSQL when its notification arrives):
    // anonymous and signed-in readers see the choice.
    await expect.poll(async () => featuredBlock(await anonymous.page(articlePath)).includes(`data-featured="${second.id}"`)).toBe(true);
    for (const viewer of [anonymous, a]) {
      const block = featuredBlock(await viewer.page(articlePath));
      expect(block).toContain('<h3 id="featured-heading">Featured</h3>');
      expect(block.indexOf(`data-featured="${second.id}"`)).toBeLessThan(block.indexOf(`data-featured="${first.id}"`));
      expect(block).toContain('Why we chose it:</strong> A clear account from someone who was there.');
      expect(block).not.toContain('<script>');
      expect(block).not.toContain('Not chosen');
      expect(block).toContain(`href="${articlePath}/comments/${first.id}"`);
      expect(block).toContain(`href="/readers/${user.handle}"`);
      // One element per comment id: the summary is not a second copy of the comment.
      expect(block).not.toContain(`id="c-${first.id}"`);
    }
    const html = await anonymous.page(articlePath);
    expect(html.indexOf('comments__featured')).toBeLessThan(html.indexOf('comment-threads'));
    // The comment in its thread says so too.
    expect(html).toMatch(new RegExp(`id="c-${first.id}"[\\s\\S]*?comment__badge--featured`));
    // Not on later pages of the conversation.
    await c.set('threadsPerPage', 1);
    try {
      const more = (await a.page(articlePath)).match(/href="([^"]*cursor=[^"]*)#comments"/)![1]!.replace(/&amp;/g, '&');
      expect(featuredBlock(await a.page(more))).toBe('');
    } finally {
      await c.set('threadsPerPage', 20);
    }

    // Unfeatured, or re-featured without a note: the section follows the latest decision.
    expect((await moderator.post(`/api/v1/moderation/comments/${second.id}/decision`, { decision: 'unfeature' })).status).toBe(200);
    expect((await feature(first.id)).status).toBe(200);
    await expect.poll(async () => featuredBlock(await anonymous.page(articlePath)).includes('Why we chose it')).toBe(false);
    const after = featuredBlock(await anonymous.page(articlePath));
    expect(after).not.toContain(`data-featured="${second.id}"`);
    expect(after).toContain(`data-featured="${first.id}"`);
    expect(after).not.toContain('Why we chose it');
    expect(plain.id).toBeGreaterThan(0);
  });

  it('shows at most a few featured comments, and never a deleted or rejected one', async () => {
    const article = await c.importArticle(`Featured limits ${dialect}`);
    const { client } = await c.reader();
    const ids: number[] = [];
    for (let i = 0; i < FEATURED_LIMIT + 2; i++) ids.push((await postComment(client, article.slug, `Pick number ${i}`)).id);
    for (const id of ids) expect((await feature(id, `note ${id}`)).status).toBe(200);
    expect((await client.json('DELETE', `/api/v1/comments/${ids[ids.length - 1]}`)).status).toBe(200);
    expect((await moderator.post(`/api/v1/moderation/comments/${ids[ids.length - 2]}/decision`, { decision: 'reject', reason: 'Off topic' })).status).toBe(200);
    const featured = await featuredComments(c.app.ctx.db.kysely, Number(article.id));
    expect(featured.map((f) => f.comment.id)).toEqual([ids[2], ids[1], ids[0]].slice(0, FEATURED_LIMIT));
    expect(featured[0]!.note).toBe(`note ${ids[2]}`);
  });

  it('marks the article’s journalist “Author” and the rest of the newsroom “Staff”, links names and draws avatars', async () => {
    const journalist = await c.reader({ displayName: 'Alexandra Wilts', role: 'staff' });
    const pretender = await c.reader({ displayName: 'alexandra wilts' });
    const mod = await c.reader({ displayName: 'Desk Moderator', role: 'moderator' });
    const byJournalist = await postComment(journalist.client, c.article.slug, 'From the reporter');
    const byPretender = await postComment(pretender.client, c.article.slug, 'From a namesake');
    const byMod = await postComment(mod.client, c.article.slug, 'From the desk');
    const html = await new TestClient(c.app.baseUrl).page(articlePath);
    const meta = (id: number) => html.match(new RegExp(`id="c-${id}"[\\s\\S]*?</header>`))![0];
    expect(meta(byJournalist.id)).toContain('<span class="comment__badge comment__badge--author">Author</span>');
    expect(meta(byPretender.id)).not.toContain('comment__badge--');
    expect(meta(byMod.id)).toContain('<span class="comment__badge comment__badge--staff">Staff</span>');
    expect(meta(byJournalist.id)).toMatch(new RegExp(`<a id="a-${byJournalist.id}" href="/readers/${journalist.user.handle}" data-i="AW" data-t="\\d+">Alexandra Wilts</a>`));
    expect(meta(byMod.id)).toContain('data-i="DM"');
    // Relative times are the island's: the server writes the exact time as the text alone (the island
    // moves it to the title when it writes the relative one: e2e/comment-stream-finish.spec.ts).
    const time = meta(byMod.id).match(/<time datetime="([^"]+)">([^<]+)<\/time>/)!;
    // To the second: a valid datetime, without the milliseconds no reader sees.
    expect(time[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(new Date(time[1]!).toISOString()).toBe(time[1]!.replace(/Z$/, '.000Z'));
    // This year's comment: day, month and time, without the year.
    expect(time[2]).toMatch(/^\d{1,2} \w{3}, \d{2}:\d{2} \w+/);
    expect(time[2]).not.toMatch(/ago|now/);
    // The reader page the name links to exists.
    expect((await new TestClient(c.app.baseUrl).raw(`/readers/${journalist.user.handle}`, { headers: { accept: 'text/html' } })).status).toBe(200);
  });

  it('folds a thread’s replies in a <details> that works without JavaScript', async () => {
    const { client } = await c.reader();
    const root = await postComment(client, c.article.slug, 'Root of a fold');
    await postComment(client, c.article.slug, 'First reply in the fold', root.id);
    await postComment(client, c.article.slug, 'Second reply in the fold', root.id);
    const html = await new TestClient(c.app.baseUrl).page(`${articlePath}?sort=newest`);
    const thread = html.match(new RegExp(`<li data-thread="${root.id}">[\\s\\S]*?</details>`))![0];
    expect(thread).toContain('<details open data-replies="2"><summary><span>Hide replies</span><span>Show 2 replies</span></summary>');
    expect(thread).toMatch(/<\/summary><ol class="comment-replies"[\s\S]*First reply in the fold[\s\S]*Second reply in the fold/);
  });

  it('offers Quote, which starts the reply with the comment quoted (no JavaScript)', async () => {
    const { client: a } = await c.reader({ displayName: 'Quoted Quinn' });
    const { client: b } = await c.reader();
    const original = await postComment(a, c.article.slug, 'Line one about <tags>\nline two');
    const list = await b.page(articlePath);
    expect(list).toContain(`<a class="comment__quote" href="/comments/${original.id}/quote">Quote</a>`);
    const quote = await b.raw(`/comments/${original.id}/quote`);
    expect(quote.status).toBe(303);
    expect(quote.headers.get('location')).toBe(`${articlePath}/comments/${original.id}?quote=1#reply`);
    expect((await b.raw('/comments/999999/quote')).status).toBe(404);
    expect(await new TestClient(c.app.baseUrl).page(articlePath)).not.toContain('comment__quote');
    const reply = await b.page(`${articlePath}/comments/${original.id}?quote=1`);
    expect(reply).toMatch(/<textarea id="reply-body"[^>]*>> Line one about &lt;tags>\n> line two\n\n<\/textarea>/);
    expect(reply).toContain(`<a class="button button--quiet composer__cancel" href="${articlePath}#c-${original.id}">Cancel</a>`);
    expect(await b.page(`${articlePath}/comments/${original.id}`)).toMatch(/<textarea id="reply-body"[^>]*><\/textarea>/);
  });

  it('previews with the server’s renderer, storing nothing, for signed-in readers only, behind CSRF', async () => {
    const { client } = await c.reader();
    const before = await c.app.ctx.db.kysely.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const res = await client.raw('/fragments/comments/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html', 'x-csrf-token': await client.csrfToken() },
      body: JSON.stringify({ body: '> quoted\n\n*emphasis* and <script>alert(1)</script> [a link](https://example.org)' }),
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<em>emphasis</em>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('href="https://example.org"');
    const after = await c.app.ctx.db.kysely.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));

    const empty = await client.json('POST', '/fragments/comments/preview', { body: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('Write something to preview: the comment is empty.');
    expect((await client.json('POST', '/fragments/comments/preview', { body: 'x' }, { csrf: false })).status).toBe(403);
    expect((await new TestClient(c.app.baseUrl).json('POST', '/fragments/comments/preview', { body: 'x' })).status).toBe(401);

    // Without JavaScript: the Preview button posts the form, which comes back with the text and the preview.
    const form = await client.form(`${articlePath}/comments`, { body: 'A **bold** draft', preview: '1' });
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(formHtml).toMatch(/<div class="composer__preview" id="retry-preview">[\s\S]*<strong>bold<\/strong>/);
    expect(formHtml).toContain('A **bold** draft</textarea>');
    const still = await c.app.ctx.db.kysely.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(still.n)).toBe(Number(before.n));
  });

  it('says “1 respect” and “2 respects”', async () => {
    const { client: a } = await c.reader();
    const { client: b } = await c.reader();
    const { client: d } = await c.reader();
    const comment = await postComment(a, c.article.slug, `Respect counting ${Date.now()}`);
    const anonymous = new TestClient(c.app.baseUrl);
    const count = async () => (await anonymous.page(`${articlePath}?sort=newest`)).match(new RegExp(`id="c-${comment.id}"[\\s\\S]*?<data value="\\d+">(.*?respects?)</data>`))![1]!.replace(/<[^>]+>/g, '');
    // Polled: on PostgreSQL the cached page is dropped when the change's notification arrives.
    await expect.poll(count).toBe('0 respects');
    expect((await b.json('PUT', `/api/v1/comments/${comment.id}/reaction`)).status).toBe(200);
    await expect.poll(count).toBe('1 respect');
    expect((await d.json('PUT', `/api/v1/comments/${comment.id}/reaction`)).status).toBe(200);
    await expect.poll(count).toBe('2 respects');
  });
});
