// Issue 19: signed-in readers get the conversation from the same shared HTML as anonymous readers,
// with their own actions written into its slots. What each viewer sees must stay theirs alone, and
// the shared HTML must never hold anything of any viewer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import { dialects } from '../helpers/app.ts';
import { getSettings } from '../../src/settings/store.ts';
import { sharedConversationKey, type SharedConversation } from '../../src/comments/shared-conversation.tsx';
import { postComment, startConversation, type Conversation } from './setup.ts';

/** The markup under one comment on a page (its actions). */
const footerOf = (html: string, id: number) => new RegExp(`id="c-${id}"[\\s\\S]*?(<footer>[\\s\\S]*?</footer>)`).exec(html)?.[1] ?? null;

describe.each(dialects)('what each signed-in viewer sees, from the shared conversation, on %s', (dialect) => {
  let c: Conversation;
  let articlePath: string;
  let author: Awaited<ReturnType<Conversation['reader']>>;
  let fan: Awaited<ReturnType<Conversation['reader']>>;
  let other: Awaited<ReturnType<Conversation['reader']>>;
  let rootId: number;
  let replyId: number;

  const shared = async () => {
    const settings = await getSettings(c.app.ctx.db.kysely);
    return c.app.ctx.pageCache.getShared<SharedConversation>(sharedConversationKey(Number(c.article.id), 'newest', null, settings, 'en'));
  };

  beforeAll(async () => {
    c = await startConversation(dialect);
    articlePath = `/articles/${c.article.slug}`;
    author = await c.reader({ displayName: 'Astrid Author' });
    fan = await c.reader({ displayName: 'Fabian Fan' });
    other = await c.reader({ displayName: 'Olga Other' });
    rootId = (await postComment(author.client, c.article.slug, 'The first word.')).id;
    replyId = (await postComment(other.client, c.article.slug, 'A reply by Olga.', rootId)).id;
    // The fan respects and reports Astrid's comment and follows her.
    expect((await fan.client.put(`/api/v1/comments/${rootId}/reaction`)).status).toBe(200);
    expect((await fan.client.put(`/api/v1/readers/${author.user.handle}/follow`)).status).toBe(200);
    expect((await fan.client.form(`/comments/${rootId}/report`, { reason: 'off_topic' })).status).toBe(303);
  });
  afterAll(async () => c.app.close());

  it("gives each viewer their own state and never another's, and keeps the shared HTML free of any", async () => {
    // The fan's page fills the shared cache; the others are served from it.
    const fanPage = await fan.client.page(articlePath);
    const fanRoot = footerOf(fanPage, rootId)!;
    expect(fanRoot).toContain('aria-pressed="true" aria-label="Respect — 1 respect">Respect</a><data value="1" aria-hidden="true">1 respect</data>');
    expect(fanRoot).toContain('<span class="comment__reported">Reported</span>');
    expect(fanRoot).toContain(`data-handle="${author.user.handle}" data-follow="on">Unfollow</a>`);
    expect(fanRoot).not.toContain('comment__edit');

    const cached = await shared();
    expect(cached, 'the fan’s page went through the shared conversation').not.toBeNull();
    const sharedHtml = cached!.parts.join('');
    for (const personal of ['aria-pressed', 'Reported', 'comment__report', 'comment__follow', 'comment__edit', 'comment__delete', 'comment__reply', '_csrf', '<!--s:', fan.user.handle, 'Awaiting moderation']) {
      expect(sharedHtml, personal).not.toContain(personal);
    }
    expect(cached!.slots.map((s) => s.id)).toEqual([rootId, replyId]);

    const otherPage = await other.client.page(articlePath);
    const otherRoot = footerOf(otherPage, rootId)!;
    expect(otherRoot).toContain('aria-pressed="false" aria-label="Respect — 1 respect">Respect</a><data value="1" aria-hidden="true">1 respect</data>');
    expect(otherRoot).toContain(`<a class="comment__report" href="/comments/${rootId}/report">Report</a>`);
    expect(otherRoot).toContain('data-follow="off">Follow</a>');
    // Olga's own reply: edit and delete, no respect, report or follow of herself.
    const ownReply = footerOf(otherPage, replyId)!;
    expect(ownReply).toContain(`href="/comments/${replyId}/edit"`);
    expect(ownReply).toContain(`href="/comments/${replyId}/delete"`);
    expect(ownReply).not.toMatch(/comment__react"|comment__report|comment__follow/);

    const authorPage = await author.client.page(articlePath);
    expect(footerOf(authorPage, rootId)).toContain(`href="/comments/${rootId}/edit"`);
    // The island's words (data-messages) name every action once a page; no comment is marked reported.
    const withoutWords = (html: string) => html.replace(/ data-messages=("[^"]*"|'[^']*')/, '');
    expect(withoutWords(authorPage)).not.toContain('Reported');
    expect(authorPage).not.toContain('aria-pressed="true"');

    const anonymous = await new TestClient(c.app.baseUrl).page(articlePath);
    expect(footerOf(anonymous, rootId)).toBe('<footer><data value="1">1 respect</data></footer>');
    expect(withoutWords(anonymous)).not.toMatch(/aria-pressed|Reported|comment__follow|comment__edit/);
    // No form per comment for anyone: only the composer and "follow this conversation".
    for (const html of [fanPage, otherPage, authorPage]) expect(html.slice(html.indexOf('id="comments"')).match(/<form /g)?.length).toBe(2);
  });

  it('writes the same actions into the shared HTML as a render for the viewer alone', async () => {
    for (const viewer of [fan, other, author]) {
      const html = await viewer.client.page(articlePath);
      for (const id of [rootId, replyId]) {
        // The island's fragment is rendered for the viewer from scratch.
        const fragment = await viewer.client.page(`/fragments/comments/${id}`);
        expect(footerOf(html, id), `comment ${id} for ${viewer.user.displayName}`).toBe(footerOf(fragment, id));
      }
    }
  });

  it("renders a reader's own held comment for them alone, and drops the shared threads when the conversation changes", async () => {
    const before = await other.client.page(articlePath);
    await c.set('spamHoldThreshold', 0);
    const held = await postComment(author.client, c.article.slug, 'Held for a moderator.');
    await c.set('spamHoldThreshold', 1);
    const mine = await author.client.page(articlePath);
    expect(mine).toContain('Held for a moderator.');
    expect(mine).toContain('Awaiting moderation');
    expect(await other.client.page(articlePath)).not.toContain('Held for a moderator.');
    expect(await new TestClient(c.app.baseUrl).page(articlePath)).not.toContain('Held for a moderator.');
    void held;
    // A new visible comment reaches every viewer at once, signed in or not.
    await postComment(other.client, c.article.slug, 'Fresh news.');
    await expect.poll(async () => fan.client.page(articlePath), { timeout: 5000 }).toContain('Fresh news.');
    expect(before).not.toContain('Fresh news.');
  });

  it('without JavaScript, each action is a small form page that returns to the comment on the article', async () => {
    const from = { referer: `${c.app.baseUrl}${articlePath}?sort=oldest` };
    const react = await other.client.page(`/comments/${rootId}/react`, from);
    expect(react).toContain(`action="/comments/${rootId}/reaction"`);
    expect(react).toContain(`name="back" value="${articlePath}?sort=oldest#c-${rootId}"`);
    expect(react).not.toContain('Reply to');
    const reacted = await other.client.form(`/comments/${rootId}/reaction`, { on: '1', back: `${articlePath}?sort=oldest#c-${rootId}` });
    expect([reacted.status, reacted.headers.get('location')]).toEqual([303, `${articlePath}?sort=oldest#c-${rootId}`]);
    expect(footerOf(await other.client.page(articlePath), rootId)).toContain('aria-pressed="true"');
    // A back address that is not one of our article pages goes to the article instead.
    for (const back of ['//evil.example/articles/x#c-1', 'https://evil.example/', '/account#c-1']) {
      const res = await other.client.form(`/comments/${rootId}/reaction`, { on: '0', back });
      expect(res.headers.get('location')).toBe(`${articlePath}#c-${rootId}`);
    }

    const follow = await other.client.page(`/comments/${rootId}/follow`, from);
    expect(follow).toContain(`action="/readers/${author.user.handle}/follow"`);
    expect(follow).toContain(`name="next" value="${articlePath}?sort=oldest#c-${rootId}"`);
    const followed = await other.client.form(`/readers/${author.user.handle}/follow`, { action: 'follow', next: `${articlePath}#c-${rootId}` });
    expect(followed.headers.get('location')).toBe(`${articlePath}#c-${rootId}`);

    const edit = await other.client.page(`/comments/${replyId}/edit`, from);
    expect(edit).toContain(`name="back" value="${articlePath}?sort=oldest#c-${replyId}"`);
    const edited = await other.client.form(`/comments/${replyId}/edit`, { body: 'A reply by Olga, edited.', back: `${articlePath}?sort=oldest#c-${replyId}` });
    expect([edited.status, edited.headers.get('location')]).toEqual([303, `${articlePath}?sort=oldest#c-${replyId}`]);

    const del = await other.client.page(`/comments/${replyId}/delete`, from);
    expect(del).toContain(`action="/comments/${replyId}/delete"`);

    // What a viewer may not do is refused with a reason, not offered.
    expect((await other.client.raw(`/comments/${replyId}/react`, { headers: { accept: 'text/html' } })).status).toBe(403);
    expect((await other.client.raw(`/comments/${replyId}/follow`, { headers: { accept: 'text/html' } })).status).toBe(403);
    expect((await fan.client.raw(`/comments/${replyId}/delete`, { headers: { accept: 'text/html' } })).status).toBe(403);
    expect((await new TestClient(c.app.baseUrl).raw(`/comments/${rootId}/react`, { headers: { accept: 'text/html' } })).status).toBe(401);
    expect((await other.client.raw('/comments/99999999/react', { headers: { accept: 'text/html' } })).status).toBe(404);
  });
});
