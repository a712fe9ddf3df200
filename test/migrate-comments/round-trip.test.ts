import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportComments } from '../../src/migrate-comments/export.ts';
import { importComments } from '../../src/migrate-comments/importer.ts';
import { createSite } from '../../src/sites/store.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';

// Export, import into an empty database, export again: the same file, in Parley's format (lossless:
// Markdown, revisions, reactions, statuses, dates) and in Disqus's. The samples are isso's and
// Remark42's (MIT; see /work/shared/data/README.md).

const IMPORTS = process.env.PARLEY_IMPORT_SAMPLES ?? '/work/shared/data/imports';
const ORIGINS = ['http://example.org', 'http://localhost:4000', 'http://example.tld', 'https://example.com'];

describe.each(dialects)('export and round trip on %s', (dialect) => {
  let first: TestApp;
  let second: TestApp;
  let third: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-export-'));
    [first, second, third] = [await startTestApp(dialect), await startTestApp(dialect), await startTestApp(dialect)];
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await third?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same file after export → import into an empty database → export', async () => {
    const site = await createSite(first.ctx, { key: 'old-blog', name: 'Old Blog', origins: ORIGINS });
    await importComments(first.ctx, { source: 'disqus', file: path.join(IMPORTS, 'isso-disqus.xml'), site });
    await importComments(first.ctx, { source: 'wordpress', file: path.join(IMPORTS, 'isso-wordpress.xml'), site });
    await importComments(first.ctx, { source: 'commento', file: path.join(IMPORTS, 'remark42-commento.json'), site });

    // Readers of this Parley add to an imported conversation: a reply, an edit (a revision) and a reaction.
    const article = await first.ctx.db.kysely.selectFrom('articles').select('slug').where('address_key', '=', 'example.org').executeTakeFirstOrThrow();
    const parent = await first.ctx.db.kysely.selectFrom('imported_comments').select('comment_id').where('source', '=', 'disqus').where('source_id', '=', '5').executeTakeFirstOrThrow();
    const [ann, ben] = [await createTestUser(first.ctx, { displayName: 'Ann Native', role: 'staff' }), await createTestUser(first.ctx, { displayName: 'Ben Native' })];
    const annClient = await signedInClient(first.ctx, first.baseUrl, ann);
    const posted = await annClient.post(`/api/v1/articles/${article.slug}/comments`, { body: 'A reply from *here*', parentId: Number(parent.comment_id) });
    expect(posted.status).toBe(201);
    expect(posted.body.comment.moderation, JSON.stringify(posted.body.comment.moderation)).toBeUndefined();
    const edited = await annClient.json('PATCH', `/api/v1/comments/${posted.body.comment.id}`, { body: 'An edited reply with a [link](https://example.org/more) and *emphasis*' });
    expect(edited.status).toBe(200);
    const benClient = await signedInClient(first.ctx, first.baseUrl, ben);
    const reacted = await benClient.json('PUT', `/api/v1/comments/${posted.body.comment.id}/reaction`);
    expect(reacted.status, JSON.stringify(reacted.body)).toBe(200);

    const parley1 = path.join(dir, `parley-1-${dialect}.json`);
    const disqus1 = path.join(dir, `disqus-1-${dialect}.xml`);
    expect(await exportComments(first.ctx.db.kysely, site, 'parley', parley1, first.config.publicUrl)).toEqual({ conversations: 6, comments: 17 });
    await exportComments(first.ctx.db.kysely, site, 'disqus', disqus1, first.config.publicUrl);
    const exported = JSON.parse(fs.readFileSync(parley1, 'utf8'));
    const reply = exported.conversations[0].comments.find((c: { body: string }) => c.body.startsWith('An edited reply'));
    expect(reply).toMatchObject({ parent: 'disqus:5', revisions: [{ body: 'A reply from *here*' }], reactions: [{ author: `parley:${ben.id}` }] });
    // Never an address, a password hash or a token.
    const text = fs.readFileSync(parley1, 'utf8') + fs.readFileSync(disqus1, 'utf8');
    expect(text).not.toMatch(/@|argon2|token/i);

    const target = await createSite(second.ctx, { key: 'old-blog', name: 'Old Blog', origins: ORIGINS });
    const again = await importComments(second.ctx, { source: 'parley', file: parley1, site: target });
    expect(again.comments.imported).toBe(17);
    const parley2 = path.join(dir, `parley-2-${dialect}.json`);
    await exportComments(second.ctx.db.kysely, target, 'parley', parley2, second.config.publicUrl);
    expect(fs.readFileSync(parley2, 'utf8')).toBe(fs.readFileSync(parley1, 'utf8'));

    // The same files as downloads, for admins only.
    const admin = await signedInClient(first.ctx, first.baseUrl, await createTestUser(first.ctx, { role: 'admin' }));
    const download = await admin.raw('/api/v1/admin/export?format=parley&site=old-blog');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="parley-old-blog-comments.json"');
    expect(await download.text()).toBe(fs.readFileSync(parley1, 'utf8'));
    const xml = await admin.raw('/api/v1/admin/export?format=disqus&site=old-blog');
    expect(xml.headers.get('content-type')).toContain('application/xml');
    expect(await xml.text()).toBe(fs.readFileSync(disqus1, 'utf8'));
    expect((await admin.raw('/api/v1/admin/export?format=parley&site=nowhere')).status).toBe(404);
    expect((await admin.raw('/api/v1/admin/export?format=csv')).status).toBe(400);
    expect((await annClient.raw('/api/v1/admin/export?format=parley')).status).toBe(403);
    expect((await fetch(`${first.baseUrl}/api/v1/admin/export?format=parley`)).status).toBe(401);

    const viaDisqus = await createSite(third.ctx, { key: 'from-disqus', name: 'From Disqus', origins: ORIGINS });
    expect((await importComments(third.ctx, { source: 'disqus', file: disqus1, site: viaDisqus })).comments.imported).toBe(17);
    const disqus2 = path.join(dir, `disqus-2-${dialect}.xml`);
    await exportComments(third.ctx.db.kysely, viaDisqus, 'disqus', disqus2, third.config.publicUrl);
    expect(fs.readFileSync(disqus2, 'utf8')).toBe(fs.readFileSync(disqus1, 'utf8'));
  });
});
