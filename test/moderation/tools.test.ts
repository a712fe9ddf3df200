import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import type { Article } from '../../src/articles/model.ts';
import { createSite, setModeratorSites } from '../../src/sites/store.ts';
import { postComment, startConversation, type Conversation } from '../comments/setup.ts';
import { dialects } from '../helpers/app.ts';
import type { TestClient } from '../helpers/client.ts';
import type { TestUser } from '../helpers/users.ts';

// The newsroom's tools (issue 14): the header's links and held count, bulk decisions in the queues,
// moderator notes on a reader, reports that say who reported, and the audit log in words.

type Person = { user: TestUser; client: TestClient };

describe.each(dialects)('moderation tools on %s', (dialect) => {
  let c: Conversation;
  let north: Article;
  let mod: Person;
  let northMod: Person;
  let admin: Person;
  let staff: Person;
  let writer: Person;
  let reader: Person;

  beforeAll(async () => {
    c = await startConversation(dialect);
    const site = await createSite(c.app.ctx, { key: 'north', name: 'The North Gazette', origins: ['https://north.example'] });
    north = (
      await importArticle(
        c.app.ctx,
        { headline: 'Ferry timetable changes for the winter', standfirst: null, authors: [], dateline: null, publishedAt: null, timeZone: 'UTC', image: null, body: [{ type: 'paragraph', text: 'The ferry runs less often.' }], sourceUrl: 'https://north.example/ferry', publicationName: null },
        { siteId: site.id },
      )
    ).article;
    mod = await c.reader({ role: 'moderator', displayName: 'Desk Editor' });
    northMod = await c.reader({ role: 'moderator', displayName: 'Nora North' });
    await setModeratorSites(c.app.ctx, northMod.user.id, [site.id], null);
    admin = await c.reader({ role: 'admin', displayName: 'Ada Admin' });
    staff = await c.reader({ role: 'staff', displayName: 'Sam Staff' });
    writer = await c.reader({ displayName: 'Carol Troll' });
    reader = await c.reader({ displayName: 'Rita Reader' });
  });
  afterAll(async () => {
    c.app.server.server.closeAllConnections();
    await c.app.close();
  });

  /** Posts comments that land in the held queue. */
  async function held(slug: string, ...texts: string[]): Promise<number[]> {
    await c.set('premodAll', true);
    const ids: number[] = [];
    for (const text of texts) ids.push((await postComment(writer.client, slug, text)).id);
    await c.set('premodAll', false);
    return ids;
  }
  const statusOf = async (id: number) => (await c.app.ctx.db.kysely.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const page = async (client: TestClient, path: string) => {
    const res = await client.raw(path);
    return { status: res.status, html: await res.text() };
  };
  /** A bulk form as a browser sends it: one `ids` field per ticked checkbox. */
  async function bulk(client: TestClient, ids: number[], fields: Record<string, string>, csrf = true) {
    const data = new URLSearchParams(fields);
    for (const id of ids) data.append('ids', String(id));
    if (csrf) data.set('_csrf', await client.csrfToken());
    return client.raw('/moderate/bulk', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: data.toString() });
  }
  const auditCount = async (action: string) => Number((await c.app.ctx.db.kysely.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

  describe('the header', () => {
    it('shows moderators Moderate with the held count, kept current as comments are held and decided', async () => {
      const count = async (client: TestClient) => {
        const { html } = await page(client, '/');
        const m = /data-held="(\d+)"/.exec(html);
        return m ? Number(m[1]) : null;
      };
      const before = (await count(mod.client))!;
      expect(before).toBeGreaterThanOrEqual(0);
      const [id] = await held(c.article.slug, 'Header count: one more held comment.');
      expect(await count(mod.client)).toBe(before + 1);
      await mod.client.post(`/api/v1/moderation/comments/${id}/decision`, { decision: 'approve' });
      expect(await count(mod.client)).toBe(before);
      // A moderator of one site counts that site's held comments only.
      const northBefore = (await count(northMod.client))!;
      await held(c.article.slug, 'Header count: held on the home site.');
      expect(await count(northMod.client)).toBe(northBefore);
      await held(north.slug, 'Header count: held on the north site.');
      expect(await count(northMod.client)).toBe(northBefore + 1);
    });

    it('links each role to its tools: staff Import; moderators Moderate and Import; admins all three; readers none', async () => {
      const links = async (client: TestClient) => {
        const { html } = await page(client, '/');
        const tools = /<span class="account-nav__tools">(.*?)<\/span><a href="\/notifications"/s.exec(html)?.[1] ?? '';
        return ['/moderate', '/admin', '/import'].filter((href) => tools.includes(`href="${href}"`));
      };
      expect(await links(reader.client)).toEqual([]);
      expect(await links(staff.client)).toEqual(['/import']);
      expect(await links(mod.client)).toEqual(['/moderate', '/import']);
      expect(await links(admin.client)).toEqual(['/moderate', '/admin', '/import']);
      expect((await page(reader.client, '/')).html).not.toContain('data-held');
    });

    it('draws the bell as an SVG icon with a text label, not an emoji', async () => {
      const { html } = await page(reader.client, '/');
      expect(html).not.toContain('🔔');
      expect(html).toMatch(/<a href="\/notifications" class="bell" data-bell="true"><svg class="icon bell__icon"[^>]*aria-hidden="true"/);
      expect(html).toContain('<span class="visually-hidden">Notifications, </span>');
    });
  });

  describe('bulk decisions', () => {
    it('approves several held comments by a plain form, each audited, and says what it did', async () => {
      const ids = await held(c.article.slug, 'Bulk one.', 'Bulk two.', 'Bulk three.');
      const queue = (await page(mod.client, '/moderate')).html;
      for (const id of ids) expect(queue).toContain(`<input type="checkbox" name="ids" value="${id}" form="mod-bulk"`);
      const audited = await auditCount('comment.approve');
      const res = await bulk(mod.client, ids.slice(0, 2), { decision: 'approve', back: '/moderate?queue=held' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/moderate?queue=held&done=approve-2-0');
      expect(await statusOf(ids[0]!)).toBe('approved');
      expect(await statusOf(ids[1]!)).toBe('approved');
      expect(await statusOf(ids[2]!)).toBe('held');
      expect(await auditCount('comment.approve')).toBe(audited + 2);
      expect((await page(mod.client, res.headers.get('location')!)).html).toContain('Approved 2 comments.');
      const log = await admin.client.get('/api/v1/moderation/audit?action=comment.approve');
      expect(log.body.entries[0].text).toBe('Desk Editor approved a comment by @' + writer.user.handle + ' on “' + c.article.headline + '” (one of 2 decided together)');
    });

    it('rejects with one reason that every author reads, and refuses a rejection without one', async () => {
      const ids = await held(c.article.slug, 'Reject me one.', 'Reject me two.');
      const missing = await bulk(mod.client, ids, { decision: 'reject', reason: ' ' });
      expect(missing.status).toBe(400);
      expect(await missing.text()).toContain('Say why the comments are rejected');
      expect(await statusOf(ids[0]!)).toBe('held');
      const res = await bulk(mod.client, ids, { decision: 'reject', reason: 'Off topic.' });
      expect(res.status).toBe(303);
      const rows = await c.app.ctx.db.kysely.selectFrom('comments').select(['status', 'rejection_reason']).where('id', 'in', ids).execute();
      expect(rows).toEqual([
        { status: 'rejected', rejection_reason: 'Off topic.' },
        { status: 'rejected', rejection_reason: 'Off topic.' },
      ]);
    });

    it('answers bad selections with a clear 400: nothing ticked, no decision, an id that is not a number', async () => {
      const [id] = await held(c.article.slug, 'Bad selection.');
      const none = await bulk(mod.client, [], { decision: 'approve' });
      expect(none.status).toBe(400);
      expect(await none.text()).toContain('Select at least one comment');
      expect((await bulk(mod.client, [id!], { decision: 'delete' })).status).toBe(400);
      const data = new URLSearchParams({ decision: 'approve', ids: 'abc', _csrf: await mod.client.csrfToken() });
      const bad = await mod.client.raw('/moderate/bulk', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: data.toString() });
      expect(bad.status).toBe(400);
      expect(await statusOf(id!)).toBe('held');
    });

    it('refuses a form without the CSRF field, and readers', async () => {
      const [id] = await held(c.article.slug, 'CSRF check.');
      expect((await bulk(mod.client, [id!], { decision: 'approve' }, false)).status).toBe(403);
      expect((await bulk(reader.client, [id!], { decision: 'approve' })).status).toBe(403);
      expect(await statusOf(id!)).toBe('held');
    });

    it('authorises every comment: a site moderator who slips in another site’s comment changes nothing', async () => {
      const [home] = await held(c.article.slug, 'Home site, not Nora’s.');
      const published = (await postComment(writer.client, c.article.slug, 'Home site, published.')).id;
      const [own] = await held(north.slug, 'North site, Nora’s.');
      // Another site's published comment: refused by name. Its held one: she cannot even see it.
      const mixed = await bulk(northMod.client, [own!, published], { decision: 'reject', reason: 'Nope.' });
      expect(mixed.status).toBe(403);
      expect(await mixed.text()).toContain('a site you do not moderate');
      expect(await statusOf(published)).toBe('approved');
      expect((await bulk(northMod.client, [own!, home!], { decision: 'approve' })).status).toBe(404);
      expect(await statusOf(own!)).toBe('held');
      expect(await statusOf(home!)).toBe('held');
      const api = await northMod.client.post('/api/v1/moderation/decisions', { ids: [own, published], decision: 'reject', reason: 'Nope.' });
      expect(api.status).toBe(403);
      expect(await statusOf(own!)).toBe('held');
      expect((await bulk(northMod.client, [own!], { decision: 'approve' })).status).toBe(303);
      expect(await statusOf(own!)).toBe('approved');
    });

    it('takes the same decision through the API, skipping comments deleted meanwhile', async () => {
      const ids = await held(c.article.slug, 'API bulk one.', 'API bulk two.');
      await writer.client.delete(`/api/v1/comments/${ids[1]}`);
      const res = await mod.client.post('/api/v1/moderation/decisions', { ids, decision: 'approve' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ decided: 1, skipped: 1 });
      const tooMany = await mod.client.post('/api/v1/moderation/decisions', { ids: Array.from({ length: 51 }, (_, i) => i + 1), decision: 'approve' });
      expect(tooMany.status).toBe(400);
      const noCsrf = await mod.client.json('POST', '/api/v1/moderation/decisions', { ids, decision: 'approve' }, { csrf: false });
      expect(noCsrf.status).toBe(403);
    });
    it('keeps the article’s comment count exact when moderators decide the same comments at the same moment', async () => {
      // On PostgreSQL two decisions used to read the same status side by side and move the count twice.
      const ids = await held(c.article.slug, 'Race one.', 'Race two.', 'Race three.', 'Race four.', 'Race five.');
      const db = c.app.ctx.db.kysely;
      const counts = async () => {
        const stored = await db.selectFrom('articles').select('comment_count').where('id', '=', Number(c.article.id)).executeTakeFirstOrThrow();
        const actual = await db.selectFrom('comments').select((eb) => eb.fn.countAll().as('n')).where('article_id', '=', Number(c.article.id)).where('status', '=', 'approved').where('deleted_at', 'is', null).executeTakeFirstOrThrow();
        return { stored: Number(stored.comment_count), actual: Number(actual.n) };
      };
      await mod.client.csrfToken();
      await admin.client.csrfToken();
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) => {
            // Each in its own order of ids: the locks are taken in id order whatever the request says.
            const order = i % 2 ? [...ids].reverse() : ids;
            const client = i % 3 ? mod.client : admin.client;
            return client.post('/api/v1/moderation/decisions', i % 2 ? { ids: order, decision: 'approve' } : { ids: order, decision: 'reject', reason: 'Off topic.' });
          }),
        );
        // A write may be shed (503) while the others hold their rows; none fails.
        for (const res of results) expect([200, 503], JSON.stringify(res.body)).toContain(res.status);
        expect(results.some((res) => res.status === 200)).toBe(true);
        const { stored, actual } = await counts();
        expect(stored, `round ${round}`).toBe(actual);
      }
    });
  });

  describe('moderator notes', () => {
    const secret = 'Called the newsroom twice about the same story.';

    it('adds a note by a plain form, shows it on the reader’s moderation page and next to their comments in the queue, audited without its text', async () => {
      const res = await mod.client.form(`/moderate/readers/${writer.user.handle}/notes`, { body: secret });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/moderate/readers/${writer.user.handle}?noted=1#notes`);
      const readerPage = (await page(mod.client, `/moderate/readers/${writer.user.handle}`)).html;
      expect(readerPage).toContain(secret);
      expect(readerPage).toContain('Desk Editor (@');
      await held(c.article.slug, 'A comment next to the note.');
      expect((await page(mod.client, '/moderate')).html).toContain(secret);
      expect((await page(northMod.client, `/moderate/readers/${writer.user.handle}`)).html).toContain(secret);
      const api = await mod.client.get(`/api/v1/moderation/readers/${writer.user.handle}/notes`);
      expect(api.body.notes[0]).toMatchObject({ body: secret, author: { handle: mod.user.handle, displayName: 'Desk Editor' } });
      const log = await admin.client.get('/api/v1/moderation/audit?action=reader.note');
      expect(log.body.entries[0].text).toBe(`Desk Editor added a moderator note on @${writer.user.handle}`);
      expect(JSON.stringify(log.body.entries[0])).not.toContain(secret);
    });

    it('explains an empty note on the page instead of saving it', async () => {
      const res = await mod.client.form(`/moderate/readers/${writer.user.handle}/notes`, { body: '   ' });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('Write the note first.');
      expect(html).toContain('aria-invalid="true"');
      expect((await mod.client.post(`/api/v1/moderation/readers/${writer.user.handle}/notes`, { body: 'x'.repeat(2001) })).status).toBe(400);
      expect((await mod.client.post('/api/v1/moderation/readers/nobody-at-all/notes', { body: 'Hello' })).status).toBe(404);
    });

    it('never shows a note to the reader or to anyone who is not a moderator, by page or API', async () => {
      for (const who of [writer, reader, staff]) {
        expect((await who.client.get(`/api/v1/moderation/readers/${writer.user.handle}/notes`)).status).toBe(403);
        expect((await who.client.post(`/api/v1/moderation/readers/${writer.user.handle}/notes`, { body: 'sneaky' })).status).toBe(403);
        expect((await who.client.raw(`/moderate/readers/${writer.user.handle}`)).status).toBe(403);
        expect((await who.client.form(`/moderate/readers/${writer.user.handle}/notes`, { body: 'sneaky' })).status).toBe(403);
        for (const path of [`/readers/${writer.user.handle}`, '/', `/articles/${c.article.slug}`, '/account']) {
          expect((await page(who.client, path)).html).not.toContain(secret);
        }
      }
      expect(JSON.stringify((await writer.client.get('/api/v1/me/export')).body)).not.toContain(secret);
      expect(JSON.stringify((await writer.client.get(`/api/v1/readers/${writer.user.handle}`)).body)).not.toContain(secret);
      expect(JSON.stringify((await writer.client.get(`/api/v1/articles/${c.article.slug}/comments`)).body)).not.toContain(secret);
    });
  });

  describe('reports', () => {
    it('tells moderators who reported and when, and thanks the reader instead of showing the form again', async () => {
      await c.set('reportHoldThreshold', 0);
      const id = (await postComment(writer.client, c.article.slug, 'Something to report.')).id;
      const sent = await reader.client.form(`/comments/${id}/report`, { reason: 'abuse', text: 'Rude to another reader.' });
      expect(sent.status).toBe(303);
      expect(sent.headers.get('location')).toBe(`/comments/${id}/report`);
      const thanks = (await page(reader.client, `/comments/${id}/report`)).html;
      expect(thanks).toContain('Thank you for your report');
      expect(thanks).not.toContain('What is wrong with it?');
      expect((await reader.client.form(`/comments/${id}/report`, { reason: 'spam' })).status).toBe(303);
      const queue = (await page(mod.client, '/moderate?queue=reported')).html;
      expect(queue).toMatch(new RegExp(`Abuse or harassment, by Rita Reader \\(@${reader.user.handle}\\), <time dateTime="[^"]+">\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC</time>: “Rude to another reader.”`, 'i'));
      const api = await mod.client.get('/api/v1/moderation/queue/reported');
      const item = api.body.items.find((i: { id: number }) => i.id === id);
      expect(item.reports[0]).toMatchObject({ reason: 'abuse', reporter: { handle: reader.user.handle, displayName: 'Rita Reader' } });
    });
  });

  describe('the audit log in words', () => {
    it('writes every kind of action as a sentence, without JSON or ids', async () => {
      const [id] = await held(c.article.slug, 'For the audit log.');
      await mod.client.post(`/api/v1/moderation/comments/${id}/decision`, { decision: 'reject', reason: 'Spam links.' });
      const troll = await c.reader({ displayName: 'Carol Troll' });
      await mod.client.post(`/api/v1/moderation/readers/${troll.user.handle}/sanction`, { kind: 'ban', reason: 'Repeated abuse.' });
      await mod.client.post(`/api/v1/moderation/readers/${troll.user.handle}/sanction`, { kind: 'lift', reason: 'Appeal accepted.' });
      await mod.client.put(`/api/v1/articles/${c.article.slug}/moderation-mode`, { mode: 'pre' });
      await mod.client.put(`/api/v1/articles/${c.article.slug}/moderation-mode`, { mode: 'post' });
      await admin.client.form('/admin/role', { handle: reader.user.handle, role: 'staff' });
      const { html } = await page(admin.client, '/admin/audit');
      expect(html).toContain(`Desk Editor rejected a comment by @${writer.user.handle} on “${c.article.headline}”: Spam links`);
      expect(html).toContain(`Desk Editor banned @${troll.user.handle}: Repeated abuse`);
      expect(html).toContain(`Desk Editor lifted the sanction on @${troll.user.handle}: Appeal accepted`);
      expect(html).toContain(`Desk Editor set the conversation on “${c.article.headline}” to pre-moderated (was open)`);
      expect(html).toContain(`Ada Admin made @${reader.user.handle} newsroom staff (was a reader)`);
      const table = html.slice(html.indexOf('<table'), html.indexOf('</table>'));
      expect(table).not.toMatch(/[{}]|&quot;|comment\.\w+|reader\.\w+/);
      expect(table).not.toMatch(/>\s*\d+\s*</);
    });
  });
});
