import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import { dialects } from '../helpers/app.ts';
import { startConversation, type Conversation } from '../comments/setup.ts';

// Moderation through the HTTP API, on every database: statuses, who sees what, counts, queues,
// decisions, reports, sanctions, article modes, settings and the audit log.

describe.each(dialects)('moderation on %s', (dialect) => {
  let c: Conversation;
  let base: string;
  let mod: Awaited<ReturnType<Conversation['reader']>>;
  let admin: Awaited<ReturnType<Conversation['reader']>>;
  beforeAll(async () => {
    c = await startConversation(dialect);
    base = `/api/v1/articles/${c.article.slug}`;
    mod = await c.reader({ displayName: 'Mo Derator', role: 'moderator' });
    admin = await c.reader({ displayName: 'Ad Min', role: 'admin' });
  });
  afterAll(async () => c.app.close());

  const anonymous = () => new TestClient(c.app.baseUrl);
  const articleCount = async () => (await anonymous().get(base)).body.article.commentCount as number;
  const ids = (list: any[]) => list.map((x) => x.id);
  const threadIds = async (client: TestClient) => ids((await client.get(`${base}/comments?sort=oldest`)).body.comments);
  const queue = async (name: string, q = '') => (await mod.client.get(`/api/v1/moderation/queue/${name}${q}`)).body.items as any[];

  it('holds a comment with a suspect word: only its author sees it, the count waits, a moderator approves it', async () => {
    await c.set('suspectWords', ['idiot']);
    const author = await c.reader({ displayName: 'Held Author' });
    const other = await c.reader();
    const before = await articleCount();
    const posted = await author.client.post(`${base}/comments`, { body: 'The minister is an idiot.' });
    expect(posted.status).toBe(201);
    expect(posted.body.comment.moderation).toEqual({ status: 'held' });
    const id = posted.body.comment.id;
    expect(await articleCount()).toBe(before);
    expect(await threadIds(other.client)).not.toContain(id);
    expect(await threadIds(anonymous())).not.toContain(id);
    expect(await threadIds(author.client)).toContain(id);
    expect((await other.client.get(`/api/v1/comments/${id}`)).status).toBe(404);
    const page = await (await author.client.raw(`/articles/${c.article.slug}`)).text();
    expect(page).toContain('Awaiting moderation');

    const held = (await queue('held')).find((i) => i.id === id);
    expect(held).toMatchObject({ reason: { code: 'suspect_word', phase: 'suspect-words' }, author: { handle: author.user.handle, approvedCount: 0 } });
    expect(held.reason.detail).toMatch(/idiot/);

    const decided = await mod.client.post(`/api/v1/moderation/comments/${id}/decision`, { decision: 'approve' });
    expect(decided.body).toMatchObject({ id, status: 'approved' });
    expect(await articleCount()).toBe(before + 1);
    expect(await threadIds(other.client)).toContain(id);
    expect((await queue('held')).map((i) => i.id)).not.toContain(id);
    expect((await queue('approved')).map((i) => i.id)).toContain(id);
    await c.set('suspectWords', []);
  });

  it('tells the author of each decision through their notifications, naming no moderator', async () => {
    await c.set('suspectWords', ['idiot']);
    const author = await c.reader({ displayName: 'Decided Author' });
    const held = (await author.client.post(`${base}/comments`, { body: 'Such an idiot plan.' })).body.comment.id;
    const other = (await author.client.post(`${base}/comments`, { body: 'Another idiot idea.' })).body.comment.id;
    const fine = (await author.client.post(`${base}/comments`, { body: 'A careful point about the bill.' })).body.comment.id;
    await c.set('suspectWords', []);
    await mod.client.post(`/api/v1/moderation/comments/${held}/decision`, { decision: 'approve' });
    await mod.client.post(`/api/v1/moderation/comments/${other}/decision`, { decision: 'reject', reason: 'Name-calling' });
    await mod.client.post(`/api/v1/moderation/comments/${fine}/decision`, { decision: 'feature' });
    // Approving what is already public is no news: no notification for it.
    await mod.client.post(`/api/v1/moderation/comments/${fine}/decision`, { decision: 'approve' });
    // Notifications are written by a subscriber after each decision commits.
    let list: any[] = [];
    for (let i = 0; i < 100 && list.length < 3; i++) {
      list = (await author.client.get('/api/v1/notifications')).body.notifications;
      if (list.length < 3) await new Promise((r) => setTimeout(r, 30));
    }
    await new Promise((r) => setTimeout(r, 100));
    list = (await author.client.get('/api/v1/notifications')).body.notifications;
    const byComment = new Map(list.map((n: any) => [n.commentId ?? n.comment?.id, n]));
    expect(list.map((n: any) => n.kind).sort()).toEqual(['comment_approved', 'comment_featured', 'comment_rejected']);
    expect(byComment.get(held)?.text).toMatch(/published your comment/);
    expect(byComment.get(other)?.text).toMatch(/rejected your comment/);
    expect(byComment.get(fine)?.text).toMatch(/featured your comment/);
    expect(JSON.stringify(list)).not.toContain('Mo Derator');
  });

  it('keeps reply counts true when a held reply is approved and an approved one rejected', async () => {
    const a = await c.reader();
    const root = (await a.client.post(`${base}/comments`, { body: 'A root for counting.' })).body.comment;
    await c.set('newReaderHoldCount', 5);
    const b = await c.reader();
    const reply = (await b.client.post(`${base}/comments`, { body: 'A reply from someone new.', parentId: root.id })).body.comment;
    expect(reply.moderation).toEqual({ status: 'held' });
    await c.set('newReaderHoldCount', 0);
    const rootNow = async () => (await anonymous().get(`/api/v1/comments/${root.id}`)).body.comment.replyCount;
    expect(await rootNow()).toBe(0);
    const before = await articleCount();
    await mod.client.post(`/api/v1/moderation/comments/${reply.id}/decision`, { decision: 'approve' });
    expect(await rootNow()).toBe(1);
    expect(await articleCount()).toBe(before + 1);
    const rejected = await mod.client.post(`/api/v1/moderation/comments/${reply.id}/decision`, { decision: 'reject', reason: 'Personal attack' });
    expect(rejected.body.status).toBe('rejected');
    expect(await rootNow()).toBe(0);
    expect(await articleCount()).toBe(before);
    // The author is told why; others do not see it at all.
    const own = await b.client.get(`/api/v1/comments/${reply.id}`);
    expect(own.body.comment.moderation).toEqual({ status: 'rejected', reason: 'Personal attack' });
    expect((await anonymous().get(`/api/v1/comments/${reply.id}`)).status).toBe(404);
    expect((await mod.client.post(`/api/v1/moderation/comments/${reply.id}/decision`, { decision: 'reject' })).status).toBe(400);
  });

  it('passes edits through the pipeline, and keeps a hidden comment with replies as a placeholder', async () => {
    await c.set('suspectWords', ['scandal']);
    const a = await c.reader();
    const b = await c.reader();
    const root = (await a.client.post(`${base}/comments`, { body: 'A calm first comment.' })).body.comment;
    const reply = (await b.client.post(`${base}/comments`, { body: 'A calm reply.', parentId: root.id })).body.comment;
    const before = await articleCount();
    const edited = await a.client.patch(`/api/v1/comments/${root.id}`, { body: 'Now it is a scandal.' });
    expect(edited.status).toBe(200);
    expect(edited.body.comment.moderation).toEqual({ status: 'held' });
    expect(await articleCount()).toBe(before - 1);
    // Its reply keeps its context: others see the place, not the text.
    const seen = (await anonymous().get(`${base}/comments?sort=oldest`)).body.comments.find((t: any) => t.id === root.id);
    expect(seen).toMatchObject({ deleted: true, author: null, bodyHtml: '', moderation: { status: 'held' } });
    expect(seen.replies.map((r: any) => r.id)).toEqual([reply.id]);
    expect((await queue('held')).find((i) => i.id === root.id)).toMatchObject({ tags: ['edited'], reason: { code: 'suspect_word' } });
    // Nobody can reply to a comment that is not published.
    const held = await c.reader();
    await c.set('premodAll', true);
    const waiting = (await held.client.post(`${base}/comments`, { body: 'Waiting comment.' })).body.comment;
    await c.set('premodAll', false);
    expect((await held.client.post(`${base}/comments`, { body: 'Replying to my own held comment.', parentId: waiting.id })).status).toBe(403);
    expect((await b.client.post(`${base}/comments`, { body: 'Replying to a hidden one.', parentId: waiting.id })).status).toBe(404);
    // Editing back to calm text approves it again, and the count returns.
    await a.client.patch(`/api/v1/comments/${root.id}`, { body: 'A calm first comment, again.' });
    expect(await articleCount()).toBe(before);
    await c.set('suspectWords', []);
  });

  it('rejects banned words without storing a refusal, and refuses too-long comments with a 400', async () => {
    await c.set('bannedWords', ['slur']);
    const r = await c.reader();
    const posted = await r.client.post(`${base}/comments`, { body: 'What a slur.' });
    expect(posted.status).toBe(201);
    expect(posted.body.comment.moderation).toEqual({ status: 'rejected' });
    expect((await queue('rejected')).map((i) => i.id)).toContain(posted.body.comment.id);
    await c.set('bannedWords', []);
  });

  it('features a comment and lists it in the featured queue', async () => {
    const r = await c.reader();
    const id = (await r.client.post(`${base}/comments`, { body: 'A thoughtful comment worth featuring.' })).body.comment.id;
    expect((await queue('recent')).map((i) => i.id)).toContain(id);
    const res = await mod.client.post(`/api/v1/moderation/comments/${id}/decision`, { decision: 'feature' });
    expect(res.body).toMatchObject({ status: 'approved', featured: true });
    expect((await anonymous().get(`/api/v1/comments/${id}`)).body.comment.featured).toBe(true);
    expect((await queue('featured')).map((i) => i.id)).toContain(id);
    expect((await queue('recent')).map((i) => i.id)).not.toContain(id);
    await mod.client.post(`/api/v1/moderation/comments/${id}/decision`, { decision: 'unfeature' });
    expect((await queue('featured')).map((i) => i.id)).not.toContain(id);
  });

  it('takes one report per reader, lists it with its reason, and holds the comment at the threshold', async () => {
    await c.set('reportHoldThreshold', 2);
    const author = await c.reader();
    const id = (await author.client.post(`${base}/comments`, { body: 'Something people will report.' })).body.comment.id;
    const r1 = await c.reader();
    const r2 = await c.reader();
    expect((await anonymous().post(`/api/v1/comments/${id}/report`, { reason: 'spam' })).status).toBe(401);
    expect((await author.client.post(`/api/v1/comments/${id}/report`, { reason: 'spam' })).status).toBe(403);
    expect((await r1.client.post(`/api/v1/comments/${id}/report`, { reason: 'other' })).status).toBe(400);
    expect((await r1.client.post(`/api/v1/comments/${id}/report`, { reason: 'nonsense' })).status).toBe(400);
    expect((await r1.client.post(`/api/v1/comments/${id}/report`, { reason: 'abuse', text: 'Rude' })).status).toBe(201);
    expect((await r1.client.post(`/api/v1/comments/${id}/report`, { reason: 'spam' })).status).toBe(409);
    const reported = (await queue('reported')).find((i) => i.id === id);
    expect(reported.reports).toEqual([expect.objectContaining({ reason: 'abuse', text: 'Rude' })]);
    expect(reported.status).toBe('approved');
    const before = await articleCount();
    expect((await r2.client.post(`/api/v1/comments/${id}/report`, { reason: 'off_topic' })).status).toBe(201);
    expect((await queue('held')).find((i) => i.id === id)).toMatchObject({ reason: { code: 'reported' }, openReports: 2 });
    expect(await articleCount()).toBe(before - 1);
    await mod.client.post(`/api/v1/moderation/comments/${id}/decision`, { decision: 'approve' });
    expect((await queue('reported')).map((i) => i.id)).not.toContain(id);
    await c.set('reportHoldThreshold', 3);
  });

  it('filters a queue by article and pages it with a cursor', async () => {
    const other = await c.importArticle('Another story for the queue');
    await c.set('premodAll', true);
    const r = await c.reader();
    const here = (await r.client.post(`${base}/comments`, { body: 'Queued here.' })).body.comment.id;
    const there = (await r.client.post(`/api/v1/articles/${other.slug}/comments`, { body: 'Queued there.' })).body.comment.id;
    await c.set('premodAll', false);
    const filtered = await queue('held', `?articleSlug=${other.slug}`);
    expect(filtered.map((i) => i.id)).toEqual([there]);
    expect((await queue('held')).map((i) => i.id)).toContain(here);
    expect((await mod.client.get('/api/v1/moderation/queue/held?articleSlug=nope')).status).toBe(404);
    expect((await mod.client.get('/api/v1/moderation/queue/nope')).status).toBe(404);
    expect((await mod.client.get('/api/v1/moderation/queue/held?cursor=zzz')).status).toBe(400);
  });

  it('pre-moderates an article, and closes it', async () => {
    const r = await c.reader();
    expect((await r.client.put(`/api/v1/articles/${c.article.slug}/moderation-mode`, { mode: 'pre' })).status).toBe(403);
    expect((await mod.client.put(`/api/v1/articles/${c.article.slug}/moderation-mode`, { mode: 'pre' })).status).toBe(200);
    const held = await r.client.post(`${base}/comments`, { body: 'Under a pre-moderated article.' });
    expect(held.body.comment.moderation).toEqual({ status: 'held' });
    // The newsroom is trusted: staff comments are approved even here, and carry the badge on the page.
    const staff = await c.reader({ role: 'staff', displayName: 'Rita Reporter' });
    const staffPost = await staff.client.post(`${base}/comments`, { body: 'Reporter here: the document is linked above.' });
    expect(staffPost.body.comment.moderation).toBeUndefined();
    expect(await (await anonymous().raw(`/articles/${c.article.slug}/comments/${staffPost.body.comment.id}`)).text()).toMatch(/comment__badge--staff/);
    await mod.client.put(`/api/v1/articles/${c.article.slug}/moderation-mode`, { mode: 'closed' });
    const closed = await r.client.post(`${base}/comments`, { body: 'Too late.' });
    expect(closed.status).toBe(403);
    await mod.client.put(`/api/v1/articles/${c.article.slug}/moderation-mode`, { mode: 'post' });
    expect((await r.client.post(`${base}/comments`, { body: 'Open again.' })).status).toBe(201);
  });

  it('warns (acknowledge first), suspends until a time, bans (rejecting everything), and lifts', async () => {
    const r = await c.reader();
    const first = (await r.client.post(`${base}/comments`, { body: 'Before any sanction.' })).body.comment.id;
    const sanction = (body: unknown) => mod.client.post(`/api/v1/moderation/readers/${r.user.handle}/sanction`, body);

    expect((await sanction({ kind: 'warn', reason: '' })).status).toBe(400);
    expect((await sanction({ kind: 'warn', reason: 'Keep it civil' })).status).toBe(200);
    const warned = await r.client.post(`${base}/comments`, { body: 'After a warning.' });
    expect(warned.status).toBe(403);
    expect(warned.body.error.code).toBe('warning_unacknowledged');
    expect(warned.body.error.message).toMatch(/Keep it civil/);
    expect((await r.client.post('/api/v1/moderation/warning/acknowledge')).body).toEqual({ acknowledged: true });
    expect((await r.client.post(`${base}/comments`, { body: 'After acknowledging.' })).status).toBe(201);

    expect((await sanction({ kind: 'suspend', reason: 'Cool off' })).status).toBe(400);
    const until = new Date(Date.now() + 3600_000).toISOString();
    expect((await sanction({ kind: 'suspend', reason: 'Cool off', until })).status).toBe(200);
    const suspended = await r.client.post(`${base}/comments`, { body: 'While suspended.' });
    expect(suspended.status).toBe(403);
    expect(suspended.body.error.code).toBe('author_suspended');

    const before = await articleCount();
    const banned = await sanction({ kind: 'ban', reason: 'Spam account', rejectComments: true });
    expect(banned.body).toEqual({ kind: 'ban', rejected: 2 });
    expect(await articleCount()).toBe(before - 2);
    expect((await anonymous().get(`/api/v1/comments/${first}`)).status).toBe(404);
    const refused = await r.client.post(`${base}/comments`, { body: 'While banned.' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('author_banned');
    const form = await r.client.form(`/articles/${c.article.slug}/comments`, { body: 'By the form while banned.' });
    expect(form.status).toBe(403);

    expect((await sanction({ kind: 'lift', reason: 'Appeal accepted' })).status).toBe(200);
    expect((await r.client.post(`${base}/comments`, { body: 'Back again.' })).status).toBe(201);

    // Moderators cannot sanction moderators or admins, nor themselves.
    expect((await mod.client.post(`/api/v1/moderation/readers/${admin.user.handle}/sanction`, { kind: 'ban', reason: 'x' })).status).toBe(403);
    expect((await mod.client.post(`/api/v1/moderation/readers/nobody-here/sanction`, { kind: 'ban', reason: 'x' })).status).toBe(404);
  });

  it("keeps each reader's comments counted by status through posts, holds, reports, decisions, edits and a ban", async () => {
    const r = await c.reader();
    const reporters = await Promise.all([c.reader(), c.reader()]);
    // What the kept counts must always equal: a count of the comments themselves.
    const recount = async () => {
      const rows = await c.app.ctx.db.kysely.selectFrom('comments').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('author_id', '=', r.user.id).groupBy('status').execute();
      const n = (s: string) => Number(rows.find((x) => x.status === s)?.n ?? 0);
      return { approved: n('approved'), held: n('held'), rejected: n('rejected') };
    };
    const kept = async () => {
      const row = await c.app.ctx.db.kysely.selectFrom('author_comment_counts').selectAll().where('user_id', '=', r.user.id).executeTakeFirst();
      return { approved: Number(row?.approved_count ?? 0), held: Number(row?.held_count ?? 0), rejected: Number(row?.rejected_count ?? 0) };
    };
    const step = async (expected: { approved: number; held: number; rejected: number }) => {
      expect(await recount()).toEqual(expected);
      expect(await kept()).toEqual(expected);
    };
    await c.set('suspectWords', ['scoundrel']);
    await c.set('reportHoldThreshold', 2);
    const a = (await r.client.post(`${base}/comments`, { body: 'A first plain comment.' })).body.comment.id;
    const b = (await r.client.post(`${base}/comments`, { body: 'A second plain comment.' })).body.comment.id;
    const h = (await r.client.post(`${base}/comments`, { body: 'What a scoundrel.' })).body.comment.id;
    await step({ approved: 2, held: 1, rejected: 0 });
    await mod.client.post(`/api/v1/moderation/comments/${h}/decision`, { decision: 'reject', reason: 'Name-calling' });
    await step({ approved: 2, held: 0, rejected: 1 });
    for (const reporter of reporters) expect((await reporter.client.post(`/api/v1/comments/${b}/report`, { reason: 'abuse' })).status).toBeLessThan(300);
    await step({ approved: 1, held: 1, rejected: 1 });
    await mod.client.post(`/api/v1/moderation/comments/${b}/decision`, { decision: 'approve' });
    await step({ approved: 2, held: 0, rejected: 1 });
    // An edit passes the pipeline again: a suspect word now holds it.
    expect((await r.client.patch(`/api/v1/comments/${a}`, { body: 'An edit calling someone a scoundrel.' })).status).toBe(200);
    await step({ approved: 1, held: 1, rejected: 1 });
    expect((await r.client.delete(`/api/v1/comments/${b}`)).status).toBe(200);
    await step({ approved: 1, held: 1, rejected: 1 });
    await mod.client.post(`/api/v1/moderation/readers/${r.user.handle}/sanction`, { kind: 'ban', reason: 'Enough', rejectComments: true });
    // The deleted one keeps its status; the others are rejected.
    await step({ approved: 1, held: 0, rejected: 2 });
    // The moderation queue shows the same history.
    const item = (await queue('rejected')).find((i) => i.id === h);
    expect(item.author).toMatchObject({ approvedCount: 1, rejectedCount: 2 });
    await c.set('suspectWords', []);
    await c.set('reportHoldThreshold', 3);
  });

  it('lets admins change settings and roles, audits it all, and lets only admins read the audit log', async () => {
    expect((await mod.client.get('/api/v1/admin/settings')).status).toBe(403);
    const bad = await admin.client.put('/api/v1/admin/settings', { reportHoldThreshold: -1, nope: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/nope is not a setting/);
    const ok = await admin.client.put('/api/v1/admin/settings', { bannedWords: ['foo'], holdLinks: true, editWindowMinutes: 20 });
    expect(ok.status).toBe(200);
    expect(ok.body.settings).toMatchObject({ bannedWords: ['foo'], holdLinks: true, editWindowMinutes: 20 });
    expect((await admin.client.get('/api/v1/admin/settings')).body.settings.holdLinks).toBe(true);
    await admin.client.put('/api/v1/admin/settings', { bannedWords: [], holdLinks: false, editWindowMinutes: 15 });

    const r = await c.reader();
    expect((await admin.client.put(`/api/v1/admin/readers/${r.user.handle}/role`, { role: 'staff' })).status).toBe(200);
    expect((await admin.client.put(`/api/v1/admin/readers/${admin.user.handle}/role`, { role: 'reader' })).status).toBe(403);
    expect((await mod.client.put(`/api/v1/admin/readers/${r.user.handle}/role`, { role: 'admin' })).status).toBe(403);

    expect((await mod.client.get('/api/v1/moderation/audit')).status).toBe(403);
    const log = await admin.client.get('/api/v1/moderation/audit');
    const actions = log.body.entries.map((e: any) => e.action);
    for (const a of ['settings.change', 'reader.role', 'reader.ban', 'reader.warn', 'comment.approve', 'comment.reject', 'comment.feature', 'article.mode']) expect(actions).toContain(a);
    const role = log.body.entries.find((e: any) => e.action === 'reader.role');
    expect(role).toMatchObject({ actorHandle: admin.user.handle, targetType: 'reader', targetId: String(r.user.id), detail: { from: 'reader', to: 'staff' } });
    const filtered = await admin.client.get('/api/v1/moderation/audit?action=reader.ban');
    expect(filtered.body.entries.length).toBeGreaterThan(0);
    expect(filtered.body.entries.every((e: any) => e.action === 'reader.ban')).toBe(true);
  });
});
