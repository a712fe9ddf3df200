import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import type { ArticleDraft, BodyBlock } from '../../src/articles/model.ts';
import { dialects, EXAMPLE_FILE } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { startConversation, type Conversation } from '../comments/setup.ts';
import { createSite } from '../../src/sites/store.ts';

// Discuss a passage through real HTTP on a real database: the API (POST with a passage, its 400s, the
// ?passage= filter), the margin's counts as comments come and go, the no-JavaScript page and form,
// and a re-import that keeps, moves or marks the anchors.

const SIDELINES = 'on the sidelines of the Association of Southeast Asian Nations Regional Forum';

describe.each(dialects)('discuss a passage over HTTP (%s)', (dialect) => {
  let c: Conversation;
  let draft: ArticleDraft;
  let slug: string;
  let base: string;
  let sidelines: number;
  let anonymous: TestClient;

  const paragraphOf = (body: BodyBlock[], words: string) => body.findIndex((b) => b.text.includes(words)) + 1;
  const marginCount = async (n: number): Promise<number> => {
    const page = await (await anonymous.raw(`/articles/${slug}`)).text();
    const block = new RegExp(`data-paragraph="${n}"[^]*?</span>`).exec(page)?.[0] ?? '';
    return Number(/data-passage-count="(\d+)"/.exec(block)?.[1] ?? 0);
  };

  beforeAll(async () => {
    c = await startConversation(dialect);
    draft = await parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });
    slug = c.article.slug;
    base = `/api/v1/articles/${slug}`;
    sidelines = paragraphOf(c.article.body, SIDELINES);
    anonymous = new TestClient(c.app.baseUrl);
    expect(sidelines).toBeGreaterThan(0);
  });
  afterAll(async () => c?.app.close());

  it('stores the quoted passage with the comment, with the article’s own context, and returns it everywhere', async () => {
    const { client } = await c.reader({ displayName: 'Quoting Reader' });
    const posted = await client.post(`${base}/comments`, { body: 'Where exactly did they meet?', passage: { exact: SIDELINES, paragraph: sidelines } });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(posted.body.comment.passage).toEqual({ exact: SIDELINES, prefix: 'Mr Tillerson met with Mr Lavrov ', suffix: ' in the Philippines.', paragraph: sidelines, changed: false });
    const read = await anonymous.get(`/api/v1/comments/${posted.body.comment.id}`);
    expect(read.body.comment.passage).toMatchObject({ exact: SIDELINES, paragraph: sidelines });
    const plain = await client.post(`${base}/comments`, { body: 'A comment on the whole story.' });
    expect(plain.body.comment.passage).toBeNull();
    const threads = (await anonymous.get(`${base}/comments?sort=newest`)).body.comments;
    expect(threads.find((t: { id: number }) => t.id === posted.body.comment.id).passage.exact).toBe(SIDELINES);
    // The article page shows the quote above the comment, linked back to the paragraph.
    const page = await (await anonymous.raw(`/articles/${slug}?sort=newest`)).text();
    const comment = new RegExp(`id="c-${posted.body.comment.id}"[^]*?</article>`).exec(page)![0];
    expect(comment).toContain('class="comment__passage"');
    expect(comment).toContain(SIDELINES);
    expect(comment).toContain(`href="/articles/${slug}#p-${sidelines}"`);
  });

  it('finds the paragraph itself when the client does not say, and tells two occurrences apart by their context', async () => {
    const { client } = await c.reader();
    const quote = 'created serious mistrust';
    const second = c.article.body.findIndex((b, i) => b.text.includes(quote) && i > 0 && b.text.startsWith('“')) + 1;
    const posted = await client.post(`${base}/comments`, { body: 'Serious indeed.', passage: { exact: quote, prefix: '[I said] this had ', suffix: ' between our two' } });
    expect(posted.status).toBe(201);
    expect(posted.body.comment.passage.paragraph).toBe(second);
  });

  it('refuses a passage that is not in the article, too long, malformed, in another paragraph or on a reply, with clear 400s', async () => {
    const { client } = await c.reader();
    const cases: [unknown, RegExp][] = [
      [{ exact: 'Words the article never says' }, /not in the article/],
      [{ exact: '' }, /.+/],
      [{ exact: 'x'.repeat(1001) }, /too long/],
      [{ exact: SIDELINES, paragraph: sidelines + 1 }, /not in the article/],
      [{ exact: SIDELINES, paragraph: 999 }, /no paragraph 999/],
      [{ exact: SIDELINES, prefix: 'p'.repeat(201) }, /.+/],
    ];
    for (const [passage, message] of cases) {
      const res = await client.post(`${base}/comments`, { body: `About that ${Math.random()}`, passage });
      expect(res.status, JSON.stringify(passage)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const root = await client.post(`${base}/comments`, { body: 'A root to reply to.' });
    const reply = await client.post(`${base}/comments`, { body: 'A reply quoting.', parentId: root.body.comment.id, passage: { exact: SIDELINES } });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: 'invalid_passage', message: expect.stringMatching(/only a new comment can quote/) });
  });

  it('lists the comments on one passage with ?passage=, newest first, and pages them', async () => {
    const { client } = await c.reader();
    const n = paragraphOf(c.article.body, 'Russia has consistently maintained');
    const ids: number[] = [];
    for (const text of ['First on it.', 'Second on it.', 'Third on it.']) {
      ids.push((await client.post(`${base}/comments`, { body: text, passage: { exact: 'consistently maintained', paragraph: n } })).body.comment.id);
    }
    await client.post(`${base}/comments`, { body: 'Not on that passage.' });
    const listed = await anonymous.get(`${base}/comments?passage=${n}`);
    expect(listed.status).toBe(200);
    expect(listed.body.comments.map((x: { id: number }) => x.id)).toEqual([...ids].reverse());
    expect(listed.body.comments.every((x: { passage: { paragraph: number } }) => x.passage.paragraph === n)).toBe(true);
    await c.set('threadsPerPage', 2);
    const first = await anonymous.get(`${base}/comments?passage=${n}`);
    expect(first.body.comments).toHaveLength(2);
    const rest = await anonymous.get(`${base}/comments?passage=${n}&cursor=${first.body.nextCursor}`);
    expect(rest.body.comments.map((x: { id: number }) => x.id)).toEqual([ids[0]]);
    expect(rest.body.nextCursor).toBeNull();
    await c.set('threadsPerPage', 20);
    expect((await anonymous.get(`${base}/comments?passage=999`)).status).toBe(400);
    expect((await anonymous.get(`${base}/comments?passage=0`)).status).toBe(400);
  });

  it('keeps the margin’s count as comments are posted, held, rejected and deleted', async () => {
    const n = paragraphOf(c.article.body, 'Trump administration efforts');
    const words = 'reset relations';
    expect(await marginCount(n)).toBe(0);
    const a = await c.reader();
    const b = await c.reader();
    const one = (await a.client.post(`${base}/comments`, { body: 'One.', passage: { exact: words } })).body.comment.id;
    await b.client.post(`${base}/comments`, { body: 'Two.', passage: { exact: words } });
    expect(await marginCount(n)).toBe(2);
    // Held: not counted until approved.
    await c.set('suspectWords', ['scoundrel']);
    const held = await b.client.post(`${base}/comments`, { body: 'What a scoundrel.', passage: { exact: words } });
    expect(held.body.comment.moderation).toEqual({ status: 'held' });
    expect(await marginCount(n)).toBe(2);
    const mod = await c.reader({ role: 'moderator' });
    expect((await mod.client.post(`/api/v1/moderation/comments/${held.body.comment.id}/decision`, { decision: 'approve' })).status).toBe(200);
    expect(await marginCount(n)).toBe(3);
    expect((await mod.client.post(`/api/v1/moderation/comments/${held.body.comment.id}/decision`, { decision: 'reject', reason: 'Name-calling.' })).status).toBe(200);
    expect(await marginCount(n)).toBe(2);
    expect((await a.client.delete(`/api/v1/comments/${one}`)).status).toBe(200);
    expect(await marginCount(n)).toBe(1);
    await c.set('suspectWords', []);
  });

  it('offers each paragraph a Discuss page without JavaScript: the paragraph, its comments and a composer that posts with the passage', async () => {
    const n = paragraphOf(c.article.body, 'Mr Trump signed the bill behind closed doors');
    const article = await (await anonymous.raw(`/articles/${slug}`)).text();
    expect(article).toContain(`href="/articles/${slug}/passages/${n}#compose"`);
    const signedOut = await anonymous.raw(`/articles/${slug}/passages/${n}`);
    expect(signedOut.status).toBe(200);
    const outPage = await signedOut.text();
    expect(outPage).toContain('Mr Trump signed the bill behind closed doors');
    expect(outPage).toContain(`/signin?next=${encodeURIComponent(`/articles/${slug}/passages/${n}#compose`)}`);

    const { client } = await c.reader({ displayName: 'No Script' });
    const page = await (await client.raw(`/articles/${slug}/passages/${n}?exact=${encodeURIComponent('behind closed doors')}`)).text();
    expect(page).toContain('<mark>behind closed doors</mark>');
    expect(page).toMatch(/<form method="post" action="\/articles\/[^"]+\/passages\/\d+"/);
    expect(page).toContain('name="exact" value="behind closed doors"');

    const posted = await client.form(`/articles/${slug}/passages/${n}`, { body: 'Why behind closed doors?', exact: 'behind closed doors', prefix: 'signed the bill ', suffix: ', without' });
    expect(posted.status).toBe(303);
    const location = posted.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^/articles/${slug}\\?sort=newest#c-\\d+$`));
    const id = Number(location.split('#c-')[1]);
    const read = await anonymous.get(`/api/v1/comments/${id}`);
    expect(read.body.comment.passage).toMatchObject({ exact: 'behind closed doors', paragraph: n, changed: false });
    const listed = await (await anonymous.raw(`/articles/${slug}/passages/${n}`)).text();
    expect(listed).toContain('Why behind closed doors?');

    // Mistakes come back on the page with the reader's text; no CSRF token, no post.
    const wrong = await client.form(`/articles/${slug}/passages/${n}`, { body: 'Keep this text', exact: 'words not there' });
    expect(wrong.status).toBe(400);
    const wrongPage = await wrong.text();
    expect(wrongPage).toContain('not in the article as it is now');
    expect(wrongPage).toContain('Keep this text');
    expect((await client.form(`/articles/${slug}/passages/${n}`, { body: 'No token', exact: 'behind closed doors' }, { csrf: false })).status).toBe(403);
    expect((await anonymous.raw(`/articles/${slug}/passages/999`)).status).toBe(404);
  });

  it('shows in the embed the quotes of comments made on Parley’s page, linking there, with no Discuss of its own', async () => {
    const origin = 'https://harbour-news.example';
    const site = await createSite(c.app.ctx, { key: `harbour-${dialect}`, name: 'Harbour News', origins: [origin] });
    const url = `${origin}/news/sea-wall`;
    const { article } = await importArticle(c.app.ctx, { ...draft, headline: 'Embedded sea wall story', sourceUrl: url }, { siteId: site.id });
    const { client } = await c.reader();
    const posted = await client.post(`/api/v1/articles/${article.slug}/comments`, { body: 'Quoted from the Parley page.', passage: { exact: SIDELINES } });
    expect(posted.status).toBe(201);
    const frame = await anonymous.raw(`/embed/${site.key}?${new URLSearchParams({ url, origin }).toString()}`);
    expect(frame.status).toBe(200);
    const html = await frame.text();
    const comment = new RegExp(`id="c-${posted.body.comment.id}"[^]*?</article>`).exec(html)![0];
    expect(comment).toContain(SIDELINES);
    expect(comment).toContain(`href="/articles/${article.slug}#p-${sidelines}" target="_blank"`);
    expect(html).not.toContain('passage-tools');
  });

  it('re-finds anchors after a re-import with edited text, moves them with their paragraph, and marks the ones that are gone', async () => {
    const { client } = await c.reader();
    const lastWeek = paragraphOf(c.article.body, 'Last week, Mr Trump grudgingly signed');
    const kept = await client.post(`${base}/comments`, { body: 'Grudgingly?', passage: { exact: 'grudgingly signed a bill punishing Russia for election meddling' } });
    const goneWords = 'Russia has consistently maintained that it did not interfere in the election.';
    const gone = await client.post(`${base}/comments`, { body: 'They would say that.', passage: { exact: goneWords } });
    const goneParagraph = gone.body.comment.passage.paragraph;
    expect(await marginCount(goneParagraph)).toBeGreaterThan(0);

    const body: BodyBlock[] = [{ type: 'paragraph', text: 'Editor’s note: this story was updated.' }];
    for (const block of c.article.body) {
      if (block.text.startsWith('Last week, Mr Trump')) body.push({ type: 'paragraph', text: block.text.replace('grudgingly signed a bill punishing Russia', 'reluctantly signed a bill punishing Moscow') });
      else if (block.text.startsWith('Russia has consistently maintained')) body.push({ type: 'paragraph', text: 'Moscow denies any involvement.' });
      else body.push(block);
    }
    const { created } = await importArticle(c.app.ctx, { ...draft, body });
    expect(created).toBe(false);

    const keptNow = (await anonymous.get(`/api/v1/comments/${kept.body.comment.id}`)).body.comment.passage;
    expect(keptNow).toMatchObject({ paragraph: lastWeek + 1, changed: false, exact: 'grudgingly signed a bill punishing Russia for election meddling' });
    const sidelinesNow = (await anonymous.get(`${base}/comments?passage=${sidelines + 1}`)).body.comments;
    expect(sidelinesNow.some((x: { passage: { exact: string } }) => x.passage.exact === SIDELINES)).toBe(true);
    const goneNow = (await anonymous.get(`/api/v1/comments/${gone.body.comment.id}`)).body.comment.passage;
    expect(goneNow).toMatchObject({ exact: goneWords, changed: true });
    expect(await marginCount(goneParagraph + 1)).toBe(0);
    const page = await (await anonymous.raw(`/articles/${slug}?sort=newest`)).text();
    const goneHtml = new RegExp(`id="c-${gone.body.comment.id}"[^]*?</article>`).exec(page)![0];
    expect(goneHtml).toContain('This passage was changed');
    expect(goneHtml).not.toContain('#p-');
  });
});
