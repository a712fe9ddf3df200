import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import { startConversation, type Conversation } from '../comments/setup.ts';

// The pages work without JavaScript: plain forms for decisions, sanctions, reports, warnings and settings.

describe('moderation pages', () => {
  let c: Conversation;
  beforeAll(async () => {
    c = await startConversation('sqlite');
  });
  afterAll(async () => c.app.close());

  it('shows the held queue with the reason and history, and approves by a plain form', async () => {
    const mod = await c.reader({ role: 'moderator' });
    await c.set('premodAll', true);
    const r = await c.reader({ displayName: 'Queued Person' });
    const id = (await r.client.post(`/api/v1/articles/${c.article.slug}/comments`, { body: 'Waiting for a moderator.' })).body.comment.id;
    await c.set('premodAll', false);
    const page = await (await mod.client.raw('/moderate')).text();
    expect(page).toContain(`id="m-${id}"`);
    expect(page).toContain('Every article is pre-moderated');
    expect(page).toMatch(/0 approved, 0 rejected, account 0 days old, active/);
    expect((await r.client.raw('/moderate')).status).toBe(403);
    expect((await new TestClient(c.app.baseUrl).raw('/moderate')).status).toBe(401);
    const res = await mod.client.form(`/moderate/comments/${id}/decision`, { decision: 'approve', back: '/moderate?queue=held' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/moderate?queue=held');
    expect(await (await mod.client.raw('/moderate')).text()).not.toContain(`id="m-${id}"`);
    const evil = await mod.client.form(`/moderate/comments/${id}/decision`, { decision: 'approve', back: 'https://evil.test/' });
    expect(evil.headers.get('location')).toBe('/moderate');
    expect((await mod.client.form(`/moderate/comments/${id}/decision`, { decision: 'explode' })).status).toBe(400);
  });

  it('shows a sanctioned reader why they cannot comment instead of a composer and reply forms, and the composer once it is lifted', async () => {
    const mod = await c.reader({ role: 'moderator' });
    const r = await c.reader();
    const other = await c.reader();
    await other.client.post(`/api/v1/articles/${c.article.slug}/comments`, { body: 'Something to reply to.' });
    const page = async () => (await (await r.client.raw(`/articles/${c.article.slug}`)).text()).replace(/&quot;/g, '"');
    const sanction = (body: Record<string, unknown>) => mod.client.post(`/api/v1/moderation/readers/${r.user.handle}/sanction`, body);
    const composer = 'Join the conversation</label>';
    expect(await page()).toContain(composer);
    expect(await page()).toContain('class="comment__reply"');

    await sanction({ kind: 'warn', reason: 'Mind the tone' });
    let html = await page();
    expect(html).not.toContain(composer);
    expect(html).toContain('A moderator has warned you: “Mind the tone”.');
    expect(html).toContain('href="/moderation/warning"');
    expect(html).not.toContain('class="comment__reply"');

    const until = new Date('2031-03-05T09:05:00.000Z');
    await sanction({ kind: 'suspend', reason: 'Cool off', until: until.toISOString() });
    html = await page();
    expect(html).not.toContain(composer);
    expect(html).toContain('You are suspended from commenting until 5 March 2031 at 09:05 UTC.');

    await sanction({ kind: 'ban', reason: 'Enough' });
    html = await page();
    expect(html).not.toContain(composer);
    expect(html).toContain('You have been banned from commenting on this site.');

    await sanction({ kind: 'lift', reason: 'Appeal accepted' });
    expect(await page()).toContain(composer);
  });

  it('lets a reader report by a form, and a warned reader acknowledge on the warning page', async () => {
    const mod = await c.reader({ role: 'moderator' });
    const a = await c.reader();
    const b = await c.reader();
    const id = (await a.client.post(`/api/v1/articles/${c.article.slug}/comments`, { body: 'Report me by a form.' })).body.comment.id;
    expect(await (await b.client.raw(`/comments/${id}/report`)).text()).toContain('What is wrong with it?');
    const missing = await b.client.form(`/comments/${id}/report`, { reason: 'other' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Say in a few words');
    expect((await b.client.form(`/comments/${id}/report`, { reason: 'spam' })).status).toBe(303);

    await mod.client.form(`/moderate/readers/${b.user.handle}/sanction`, { kind: 'warn', reason: 'Mind your tone' });
    const refused = await b.client.post(`/api/v1/articles/${c.article.slug}/comments`, { body: 'Hello?' });
    expect(refused.body.error.code).toBe('warning_unacknowledged');
    expect(await (await b.client.raw('/moderation/warning')).text()).toContain('Mind your tone');
    expect((await b.client.form('/moderation/warning', {})).status).toBe(303);
    expect((await b.client.post(`/api/v1/articles/${c.article.slug}/comments`, { body: 'Hello again.' })).status).toBe(201);
  });

  it('lets admins save settings by a form, and explains bad values', async () => {
    const admin = await c.reader({ role: 'admin' });
    const page = await (await admin.client.raw('/admin')).text();
    expect(page).toContain('Banned words');
    const saved = await admin.client.form('/admin/settings', { bannedWords: 'alpha\nbeta gamma\n', suspectWords: '', holdLinks: '1', newReaderHoldCount: '2', reportHoldThreshold: '3', spamHoldThreshold: '0.8', editWindowMinutes: '15', commentIntervalSeconds: '0', commentMaxLength: '5000', autoCloseDays: '' });
    expect(saved.status).toBe(303);
    const settings = (await admin.client.get('/api/v1/admin/settings')).body.settings;
    expect(settings).toMatchObject({ bannedWords: ['alpha', 'beta gamma'], holdLinks: true, premodAll: false, newReaderHoldCount: 2, spamHoldThreshold: 0.8, autoCloseDays: null });
    const bad = await admin.client.form('/admin/settings', { spamHoldThreshold: '7', editWindowMinutes: '15', commentIntervalSeconds: '0', commentMaxLength: '5000', newReaderHoldCount: '0', reportHoldThreshold: '3' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('spamHoldThreshold must be a number from 0 to 1');
    await admin.client.form('/admin/settings', { holdLinks: '', newReaderHoldCount: '0', reportHoldThreshold: '3', spamHoldThreshold: '1', editWindowMinutes: '15', commentIntervalSeconds: '0', commentMaxLength: '5000' });
    const log = await (await admin.client.raw('/admin/audit?action=settings.change')).text();
    expect(log).toContain('changed the banned words: now 0 entries (was 2)');
    expect(log).not.toContain('bannedWords');
  });
});
