import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import type { Article } from '../../src/articles/model.ts';
import { createSite, setModeratorSites } from '../../src/sites/store.ts';
import { postComment, startConversation, type Conversation } from '../comments/setup.ts';
import { SseReader } from '../comments/sse.ts';
import type { TestClient } from '../helpers/client.ts';
import { dialects } from '../helpers/app.ts';
import type { TestUser } from '../helpers/users.ts';

// A moderator limited to some sites (issue 11 §1): their queues, live events and decisions cover only
// those sites' articles; a comment of another site is refused with a clear 403; sanctions, which hold
// on every site, stay with moderators of every site and admins.

describe.each(dialects)('moderators limited to sites on %s', (dialect) => {
  let c: Conversation;
  let north: Article;
  let northModerator: { user: TestUser; client: TestClient };
  let everywhere: { user: TestUser; client: TestClient };
  let admin: { user: TestUser; client: TestClient };
  let writer: { user: TestUser; client: TestClient };
  let homeComment: number;
  let northComment: number;

  beforeAll(async () => {
    c = await startConversation(dialect);
    await c.set('premodAll', true);
    const site = await createSite(c.app.ctx, { key: 'north', name: 'The North Gazette', origins: ['https://north.example'] });
    north = (
      await importArticle(
        c.app.ctx,
        { headline: 'Ferry timetable changes for the winter', standfirst: null, authors: [], dateline: null, publishedAt: null, timeZone: 'UTC', image: null, body: [{ type: 'paragraph', text: 'The ferry runs less often.' }], sourceUrl: 'https://north.example/ferry', publicationName: null },
        { siteId: site.id },
      )
    ).article;
    northModerator = await c.reader({ role: 'moderator', displayName: 'Nora North' });
    await setModeratorSites(c.app.ctx, northModerator.user.id, [site.id], null);
    everywhere = await c.reader({ role: 'moderator', displayName: 'Evan Everywhere' });
    admin = await c.reader({ role: 'admin', displayName: 'Ada Admin' });
    writer = await c.reader({ displayName: 'Wendy Writer' });
    homeComment = (await postComment(writer.client, c.article.slug, 'A held thought about the interview.')).id;
    northComment = (await postComment(writer.client, north.slug, 'A held thought about the ferry.')).id;
  });
  afterAll(async () => {
    c.app.server.server.closeAllConnections();
    await c.app.close();
  });

  const heldIds = async (client: TestClient, query = '') => {
    const res = await client.get(`/api/v1/moderation/queue/held${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.items as { id: number }[]).map((i) => i.id);
  };

  it('shows a limited moderator only their sites’ comments in the queues, and everyone else every site’s', async () => {
    expect(await heldIds(northModerator.client)).toEqual([northComment]);
    expect(await heldIds(everywhere.client)).toEqual(expect.arrayContaining([homeComment, northComment]));
    expect(await heldIds(admin.client)).toEqual(expect.arrayContaining([homeComment, northComment]));
    const other = await northModerator.client.get(`/api/v1/moderation/queue/held?articleSlug=${c.article.slug}`);
    expect(other.status).toBe(403);
    expect(other.body.error).toEqual({ code: 'other_site', message: expect.stringContaining('a site you do not moderate') });
    expect(await heldIds(northModerator.client, `?articleSlug=${north.slug}`)).toEqual([northComment]);
  });

  it('shows the same on the queue page: their comments, their articles to filter by, no sanctions', async () => {
    const page = await (await northModerator.client.raw('/moderate?queue=held', { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('A held thought about the ferry.');
    expect(page).not.toContain('A held thought about the interview.');
    expect(page).toContain(`<option value="${north.slug}"`);
    expect(page).not.toContain(`<option value="${c.article.slug}"`);
    expect(page).not.toContain('Sanction @');
    const full = await (await everywhere.client.raw('/moderate?queue=held', { headers: { accept: 'text/html' } })).text();
    expect(full).toContain('A held thought about the interview.');
    expect(full).toContain('Sanction @');
    const fragment = await (await northModerator.client.raw('/fragments/moderate?queue=held')).text();
    expect(fragment).toContain('A held thought about the ferry.');
    expect(fragment).not.toContain('A held thought about the interview.');
  });

  it('refuses a limited moderator’s decision on another site’s comment, and takes it on their own', async () => {
    // Held comments of another site do not exist for them: not in the queues, not by address.
    const hidden = await northModerator.client.post(`/api/v1/moderation/comments/${homeComment}/decision`, { decision: 'approve' });
    expect(hidden.status).toBe(404);
    expect((await northModerator.client.get(`/api/v1/comments/${homeComment}`)).status).toBe(404);
    expect((await everywhere.client.get(`/api/v1/comments/${homeComment}`)).status).toBe(200);
    // Still held, untouched.
    expect(await heldIds(admin.client)).toContain(homeComment);

    // A comment of another site they can read (published) is still not theirs to decide on.
    const published = (await postComment(writer.client, c.article.slug, 'A published thought about the interview.')).id;
    expect((await admin.client.post(`/api/v1/moderation/comments/${published}/decision`, { decision: 'approve' })).status).toBe(200);
    const refused = await northModerator.client.post(`/api/v1/moderation/comments/${published}/decision`, { decision: 'reject', reason: 'Off topic' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('other_site');
    const form = await northModerator.client.form(`/moderate/comments/${published}/decision`, { decision: 'reject', reason: 'Off topic' });
    expect(form.status).toBe(403);
    expect(await form.text()).toContain('a site you do not moderate');

    const taken = await northModerator.client.post(`/api/v1/moderation/comments/${northComment}/decision`, { decision: 'approve' });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body.status).toBe('approved');
  });

  it('leaves warnings, suspensions and bans to moderators of every site and admins', async () => {
    const refused = await northModerator.client.post(`/api/v1/moderation/readers/${writer.user.handle}/sanction`, { kind: 'ban', reason: 'Spam' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'site_moderator', message: expect.stringContaining('hold on every site') });
    const page = await northModerator.client.form(`/moderate/readers/${writer.user.handle}/sanction`, { kind: 'warn', reason: 'Mind the tone' });
    expect(page.status).toBe(403);
    const warned = await everywhere.client.post(`/api/v1/moderation/readers/${writer.user.handle}/sanction`, { kind: 'warn', reason: 'Mind the tone' });
    expect(warned.status).toBe(200);
    await everywhere.client.post(`/api/v1/moderation/readers/${writer.user.handle}/sanction`, { kind: 'lift', reason: 'Done' });
  });

  it('sets the moderation mode of their own site’s articles only', async () => {
    expect((await northModerator.client.put(`/api/v1/articles/${c.article.slug}/moderation-mode`, { mode: 'closed' })).status).toBe(403);
    expect((await northModerator.client.put(`/api/v1/articles/${north.slug}/moderation-mode`, { mode: 'pre' })).status).toBe(200);
  });

  it('streams to a limited moderator only the live events of their sites’ articles', async () => {
    const headers = { cookie: northModerator.client.cookieHeader() };
    const stream = await SseReader.open(`${c.app.baseUrl}/api/v1/moderation/live`, headers);
    const full = await SseReader.open(`${c.app.baseUrl}/api/v1/moderation/live`, { cookie: everywhere.client.cookieHeader() });
    try {
      expect(stream.status).toBe(200);
      const home = await postComment(writer.client, c.article.slug, 'Live on the home site.');
      const away = await postComment(writer.client, north.slug, 'Live on the north site.');
      // The unlimited moderator hears both; by then the limited one has been offered both too.
      await full.next((f) => f.event === 'moderation.comment' && f.data.commentId === away.id);
      await full.next((f) => f.event === 'moderation.comment' && f.data.commentId === home.id);
      await stream.next((f) => f.event === 'moderation.comment' && f.data.commentId === away.id);
      expect(stream.frames.filter((f) => f.data?.commentId === home.id)).toEqual([]);
    } finally {
      stream.close();
      full.close();
    }
  });
});
