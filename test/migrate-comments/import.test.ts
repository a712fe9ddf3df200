import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importComments, type ImportSummary } from '../../src/migrate-comments/importer.ts';
import { ImportFileError, type Source } from '../../src/migrate-comments/model.ts';
import { createSite, findSiteByKey } from '../../src/sites/store.ts';
import type { Site } from '../../src/sites/model.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { GOOD_PASSWORD, mailTo, tokenIn, uniqueName } from '../accounts/helpers.ts';
import { TestClient } from '../helpers/client.ts';
import { writeDisqusExport } from './disqus-generator.ts';

// The sample exports in /work/shared/data/imports come from isso and Remark42 (MIT; provenance in
// /work/shared/data/README.md) and are read where they are. The Remark42 backup below was written for
// this test: Remark42's repository has no sample of its own backup format.

const IMPORTS = process.env.PARLEY_IMPORT_SAMPLES ?? '/work/shared/data/imports';
const sample = (name: string) => path.join(IMPORTS, name);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const REMARK42_BACKUP = [
  JSON.stringify({ version: 1, users: [], posts: [{ url: 'https://blog.example.com/post/remark', count: 3 }] }),
  JSON.stringify({ id: 'r-1', pid: '', text: '<p>First <strong>bold</strong> word <script>alert(1)</script></p>', user: { name: 'Ann Remark', id: 'github_ann' }, locator: { site: 'blog', url: 'https://blog.example.com/post/remark' }, score: 2, votes: { github_x: true, github_y: true }, time: '2020-02-03T04:05:06+03:00', title: 'Remark post' }),
  JSON.stringify({ id: 'r-2', pid: 'r-1', text: '<p>A reply with <a href="javascript:alert(1)">a bad link</a></p>', user: { name: 'Ben', id: 'google_ben' }, locator: { site: 'blog', url: 'https://blog.example.com/post/remark' }, score: 0, time: '2020-02-03T05:00:00Z', edit: { time: '2020-02-03T05:10:00Z', summary: '' } }),
  JSON.stringify({ id: 'r-3', pid: 'r-1', text: '', user: { name: 'deleted', id: 'deleted' }, locator: { site: 'blog', url: 'https://blog.example.com/post/remark' }, score: 0, time: '2020-02-04T00:00:00Z', delete: true }),
  '',
].join('\n');

describe.each(dialects)('importing comments on %s', (dialect) => {
  let app: TestApp;
  let site: Site;
  let dir: string;
  const db = () => app.ctx.db.kysely;
  const run = (source: Source, file: string, extra: { dryRun?: boolean; create?: boolean; site?: Site } = {}): Promise<ImportSummary> =>
    importComments(app.ctx, { source, file, site: extra.site ?? site, dryRun: extra.dryRun, create: extra.create, batchSize: 3 });

  async function commentBySource(source: string, sourceId: string) {
    return db()
      .selectFrom('imported_comments as i')
      .innerJoin('comments as c', 'c.id', 'i.comment_id')
      .innerJoin('users as u', 'u.id', 'c.author_id')
      .innerJoin('articles as a', 'a.id', 'c.article_id')
      .select(['c.id', 'c.article_id', 'c.parent_id', 'c.root_id', 'c.depth', 'c.path', 'c.body', 'c.body_html', 'c.created_at', 'c.edited_at', 'c.deleted_at', 'c.status', 'c.descendant_count', 'c.reaction_count', 'u.display_name', 'u.email', 'u.password_hash', 'u.id as user_id', 'a.comment_count', 'a.address_key', 'a.headline'])
      .where('i.source', '=', source)
      .where('i.source_id', '=', sourceId)
      .executeTakeFirstOrThrow();
  }

  /** Every count the comment commands keep, recomputed from the rows. */
  async function expectCountsTrue() {
    const comments = await db().selectFrom('comments').select(['id', 'article_id', 'author_id', 'parent_id', 'root_id', 'path', 'status', 'deleted_at', 'descendant_count']).execute();
    const readable = (c: (typeof comments)[number]) => c.status === 'approved' && c.deleted_at === null;
    const byArticle = new Map<number, number>();
    for (const c of comments) if (readable(c)) byArticle.set(Number(c.article_id), (byArticle.get(Number(c.article_id)) ?? 0) + 1);
    for (const a of await db().selectFrom('articles').select(['id', 'comment_count']).execute()) expect(Number(a.comment_count)).toBe(byArticle.get(Number(a.id)) ?? 0);
    // A place: readable, or keeping one for a reply below that has a place.
    const children = new Map<number, (typeof comments)[number][]>();
    for (const c of comments) if (c.parent_id !== null) children.set(Number(c.parent_id), [...(children.get(Number(c.parent_id)) ?? []), c]);
    const placed = (c: (typeof comments)[number]): number => {
      let below = 0;
      for (const k of children.get(Number(c.id)) ?? []) below += placed(k);
      expect(Number(c.descendant_count), `descendant_count of comment ${c.id}`).toBe(below);
      return below + (readable(c) || below > 0 ? 1 : 0);
    };
    for (const c of comments) if (c.parent_id === null) placed(c);
    const byAuthor = new Map<number, Record<string, number>>();
    for (const c of comments) {
      const r = byAuthor.get(Number(c.author_id)) ?? { approved: 0, held: 0, rejected: 0 };
      r[c.status] = (r[c.status] ?? 0) + 1;
      byAuthor.set(Number(c.author_id), r);
    }
    for (const row of await db().selectFrom('author_comment_counts').selectAll().execute()) {
      const want = byAuthor.get(Number(row.user_id)) ?? { approved: 0, held: 0, rejected: 0 };
      expect([Number(row.approved_count), Number(row.held_count), Number(row.rejected_count)]).toEqual([want.approved, want.held, want.rejected]);
    }
  }

  beforeAll(async () => {
    app = await startTestApp(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-imports-'));
    site = await createSite(app.ctx, {
      key: 'old-blog',
      name: 'Old Blog',
      origins: ['http://example.org', 'http://localhost:4000', 'http://example.tld', 'https://example.com', 'https://radio-t.com', 'http://radio-t.umputun.com', 'https://blog.example.com'],
    });
  });
  afterAll(async () => {
    await app?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports a Disqus export field by field: threads, replies, deleted posts and guests, with no address shown', async () => {
    const summary = await run('disqus', sample('isso-disqus.xml'));
    expect(summary.comments).toEqual({ imported: 5, alreadyImported: 0, skipped: { 'its conversation is not in the file': 1 } });
    expect(summary.conversations).toMatchObject({ matched: 0, created: 2 });

    const hello = await commentBySource('disqus', '5');
    const root = await commentBySource('disqus', '4');
    expect(hello).toMatchObject({ body: 'Hello, World.', body_html: '<p>Hello, World.</p>', created_at: '2013-10-11T06:51:33.000Z', depth: 1, status: 'approved', display_name: 'user', email: null, password_hash: null });
    expect(Number(hello.parent_id)).toBe(Number(root.id));
    expect(Number(hello.root_id)).toBe(Number(root.id));
    expect(root).toMatchObject({ body: '...', depth: 0, display_name: 'peter', address_key: 'example.org', headline: 'Hello, World!' });
    // Deleted: no text, but a place for the reply below it.
    const deleted = await commentBySource('disqus', '9');
    expect(deleted).toMatchObject({ body: '', body_html: '', deleted_at: '2013-10-10T19:20:29.000Z' });
    expect(Number(deleted.descendant_count)).toBe(1);
    expect(Number((await commentBySource('disqus', '11')).parent_id)).toBe(Number(deleted.id));
    // Readable in the thread of example.org: 4, 5 and 11 (9 is deleted).
    expect(Number(hello.comment_count)).toBe(3);
    expect((await commentBySource('disqus', '8')).address_key).toBe('localhost:4000/blog/2013/02/12/redacted/index.html');

    // The guest "peter" is one profile keyed by the hash of the address; the address is nowhere.
    const profile = await db().selectFrom('imported_profiles').selectAll().where('source', '=', 'disqus').where('user_id', '=', root.user_id).executeTakeFirstOrThrow();
    expect(profile.email_hash).toBe(sha256('foo@bar.com'));
    expect(profile.claimed_by).toBeNull();
    // The imported author appears with their name and history, and never with their address.
    const handle = (await db().selectFrom('users').select('handle').where('id', '=', hello.user_id).executeTakeFirstOrThrow()).handle;
    const history = await fetch(`${app.baseUrl}/api/v1/readers/${handle}/comments`);
    expect(history.status).toBe(200);
    const historyText = await history.text();
    expect(JSON.parse(historyText).comments.map((c: { bodyHtml: string }) => c.bodyHtml)).toEqual(['<p>Hello, World.</p>', '<p>Hello, World.</p>']);
    const profilePage = await fetch(`${app.baseUrl}/readers/${handle}`, { headers: { accept: 'text/html' } });
    expect(profilePage.status).toBe(200);
    const profileHtml = await profilePage.text();
    expect(profileHtml).toContain('Hello, World.');
    for (const text of [historyText, profileHtml, await (await fetch(`${app.baseUrl}/api/v1/articles`)).text()]) expect(text).not.toContain('foo@bar.com');
    await expectCountsTrue();
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await db().selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const users = await db().selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const summary = await run('disqus', sample('isso-disqus.xml'));
    expect(summary.comments).toMatchObject({ imported: 0, alreadyImported: 5 });
    expect(summary.conversations).toMatchObject({ matched: 2, created: 0 });
    expect(summary.profiles.created).toBe(0);
    expect(await db().selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual(before);
    expect(await db().selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual(users);
    await expectCountsTrue();
  });

  it.runIf(dialect === 'sqlite')('spaces SQLite’s checkpoints out and widens its cache only while it imports', async () => {
    const pages = async () => (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db())).rows[0]!.wal_autocheckpoint;
    const cache = async () => (await sql<{ cache_size: number }>`pragma cache_size`.execute(db())).rows[0]!.cache_size;
    const tempStore = async () => (await sql<{ temp_store: number }>`pragma temp_store`.execute(db())).rows[0]!.temp_store;
    expect(await pages()).toBe(1000);
    const cacheBefore = await cache();
    const tempStoreBefore = await tempStore();
    // While it imports, statement journals stay in memory (temp_store = 2, memory).
    let during: number | null = null;
    await importComments(app.ctx, { source: 'disqus', file: sample('isso-disqus.xml'), site, batchSize: 3, onProgress: () => void tempStore().then((t) => (during ??= t)) });
    expect(during).toBe(2);
    expect(await pages()).toBe(1000);
    expect(await cache()).toBe(cacheBefore);
    expect(await tempStore()).toBe(tempStoreBefore);
  });

  it('reads Remark42’s Disqus sample: leading junk, a bare attribute, a bad date and spam', async () => {
    const summary = await run('disqus', sample('remark42-disqus.xml'));
    expect(summary.comments.imported).toBe(4);
    expect(summary.comments.skipped).toEqual({ 'a post without dsq:id': 1, 'a field cannot be read (the lines are named below)': 1 });
    expect(summary.warnings.map((w) => w.line).sort((a, b) => a - b)).toEqual([135, 147]);
    expect(summary.warnings.find((w) => w.line === 135)!.problem).toMatch(/createdAt "2011-x09-30T22:48:43Z" is not a date/);
    const spam = await commentBySource('disqus', '299986073');
    expect(spam.status).toBe('rejected');
    const first = await commentBySource('disqus', '299619020');
    expect(first.body).toBe('The quick brown fox jumps over the lazy dog.\n\n[some link](https://https://radio-t.com)');
    expect(first.body_html).toContain('rel="nofollow ugc noopener"');
    expect(first.body_html).not.toContain('title=');
    // The spam is in nobody's count: two readable comments under this address.
    expect(Number(first.comment_count)).toBe(2);
    expect(first.address_key).toBe('radio-t.com/p/2011/03/05/podcast-229');
    await expectCountsTrue();
  });

  it('imports a WordPress export with its threads, UTC dates and multi-line comments', async () => {
    const summary = await run('wordpress', sample('isso-wordpress.xml'));
    expect(summary.comments).toEqual({ imported: 8, alreadyImported: 0, skipped: {} });
    const grandchild = await commentBySource('wordpress', '18:8');
    const child = await commentBySource('wordpress', '18:7');
    expect(grandchild.depth).toBe(2);
    expect(Number(grandchild.parent_id)).toBe(Number(child.id));
    expect(child.created_at).toBe('2014-04-29T15:21:35.000Z');
    // The local time is 12:13 and the GMT one 02:13: the instant is the GMT one.
    const multi = await commentBySource('wordpress', '18:10');
    expect(multi).toMatchObject({ created_at: '2022-06-06T02:13:14.000Z', body: 'When you have a comment with multiple lines:\nWordPress exports it like this.', display_name: 'Tester' });
    expect(multi.body_html).toBe('<p>When you have a comment with multiple lines:<br>\nWordPress exports it like this.</p>');
    // The same comment id under two posts is two comments.
    expect((await commentBySource('wordpress', 'link:http://example.tld/?p=4:11')).address_key).toBe('example.tld?p=4');
    expect(Number(child.descendant_count)).toBe(2);
    await expectCountsTrue();
  });

  it('imports a Commento export: Markdown kept, replies, likes from the score', async () => {
    const summary = await run('commento', sample('remark42-commento.json'));
    expect(summary.comments.imported).toBe(3);
    const liked = await commentBySource('commento', 'e7069a7dfcfaed43caf62300a9b0edb1c124ad79d0f5887c93649c15d7f69945');
    expect(liked).toMatchObject({ body: 'Example comment created by user.', display_name: 'Anonymous', created_at: '2021-03-12T11:21:56.000Z', address_key: 'example.com/blog/post/2' });
    expect(Number(liked.reaction_count)).toBe(1);
    const reply = await commentBySource('commento', 'ea5f7bcd6ac9bb7b657f7d0569831104e1bcf9c253d03c1e16bf9654c49a5ce9');
    const parent = await commentBySource('commento', '7d77e39fcd813241d6281478cc8f21ab5f807d043c750bc1a936bc23b34fb854');
    expect(Number(reply.parent_id)).toBe(Number(parent.id));
    expect(reply).toMatchObject({ display_name: 'Saturnin Uf', body_html: '<p>Great reply!</p>', created_at: '2021-05-11T15:43:01.852Z' });
    await expectCountsTrue();
  });

  it('imports a Remark42 backup: HTML made safe, votes, edits and deletions', async () => {
    const file = path.join(dir, 'remark42-backup');
    fs.writeFileSync(file, REMARK42_BACKUP);
    const summary = await run('remark42', file);
    expect(summary.comments.imported).toBe(3);
    const first = await commentBySource('remark42', 'r-1');
    expect(first).toMatchObject({ body: 'First **bold** word', created_at: '2020-02-03T01:05:06.000Z', headline: 'Remark post', display_name: 'Ann Remark' });
    expect(first.body_html).not.toContain('script');
    expect(Number(first.reaction_count)).toBe(2);
    const reply = await commentBySource('remark42', 'r-2');
    expect(reply.body_html).toBe('<p>A reply with a bad link</p>');
    expect(reply.edited_at).toBe('2020-02-03T05:10:00.000Z');
    expect((await commentBySource('remark42', 'r-3')).deleted_at).not.toBeNull();
    await expectCountsTrue();
  });

  it('skips unknown addresses with --no-create and addresses outside the allowed origins', async () => {
    const other = await createSite(app.ctx, { key: 'narrow', name: 'Narrow', origins: ['https://radio-t.com'] });
    const narrow = await run('disqus', sample('isso-disqus.xml'), { site: other });
    expect(narrow.comments.imported).toBe(0);
    expect(narrow.conversations.skipped).toEqual({ 'its address is not under Narrow’s allowed origins': 2 });
    const file = path.join(dir, 'commento-copy.json');
    fs.writeFileSync(file, fs.readFileSync(sample('remark42-commento.json'), 'utf8').replaceAll('"commentHex": "', '"commentHex": "copy-').replaceAll('example.com', 'radio-t.com'));
    const none = await run('commento', file, { site: other, create: false });
    expect(none.conversations.skipped).toEqual({ 'no article has its address (--no-create)': 2 });
    expect(none.comments.skipped).toEqual({ 'no article has its address (--no-create)': 3 });
    const dry = await run('commento', file, { site: other, dryRun: true });
    expect(dry.comments.imported).toBe(3);
    expect(await db().selectFrom('imported_comments').select('source_id').where('source_id', 'like', 'copy-%').execute()).toEqual([]);
  });

  it('finishes an interrupted import when run again, with every count right', async () => {
    const file = path.join(dir, 'generated.xml');
    await writeDisqusExport(file, { threads: 3, posts: 40, bytesPerPost: 100 });
    const news = await createSite(app.ctx, { key: 'news', name: 'News', origins: ['https://news.example.com'] });
    // The process dies after a few batches (batches of 3 comments here).
    const stopped = await importComments(app.ctx, {
      source: 'disqus',
      file,
      site: news,
      batchSize: 3,
      onProgress: ({ comments }) => {
        if (comments >= 12) throw new Error('killed');
      },
    }).catch((e: unknown) => e);
    expect((stopped as Error).message).toBe('killed');
    const written = (await db().selectFrom('imported_comments').select('source_id').where('source_id', 'like', 'p%').execute()).length;
    expect(written).toBeGreaterThanOrEqual(12);
    expect(written).toBeLessThan(40);
    await expectCountsTrue();
    // A run killed outright (kill -9) writes no more: the reply counts of comments written by its
    // earlier batches, kept for the end of the run, stay short. The next run counts them again.
    const articleIds = (await db().selectFrom('articles').select('id').where('site_id', '=', news.id).execute()).map((a) => Number(a.id));
    const short = await db().updateTable('comments').set({ descendant_count: 0 }).where('article_id', 'in', articleIds).where('descendant_count', '>', 0).executeTakeFirst();
    expect(Number(short.numUpdatedRows)).toBeGreaterThan(0);
    const rest = await run('disqus', file, { site: news });
    expect(rest.comments).toMatchObject({ imported: 40 - written, alreadyImported: written });
    expect(Number((await db().selectFrom('articles').select((eb) => eb.fn.sum<number>('comment_count').as('n')).where('site_id', '=', news.id).executeTakeFirstOrThrow()).n)).toBe(40);
    await expectCountsTrue();
  });

  it('keeps reply counts right when replies and their deleted or spam parents share a batch or not', async () => {
    const file = path.join(dir, 'bulk.xml');
    await writeDisqusExport(file, { threads: 2, posts: 600, bytesPerPost: 60 });
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('dsq:id="', 'dsq:id="bulk-').replaceAll('/story-', '/bulk-story-'));
    const news = (await findSiteByKey(db(), 'news')) ?? (await createSite(app.ctx, { key: 'news', name: 'News', origins: ['https://news.example.com'] }));
    // Batches of 40: a reply (to one of the last 20 comments of its thread) often shares its parent's batch.
    const summary = await importComments(app.ctx, { source: 'disqus', file, site: news, batchSize: 40 });
    expect(summary.comments.imported).toBe(600);
    await expectCountsTrue();
    // A comment without a place of its own (deleted or spam) keeps one for its replies: counted, not lost.
    const holders = await db()
      .selectFrom('imported_comments as i')
      .innerJoin('comments as c', 'c.id', 'i.comment_id')
      .select(['i.source_id', 'c.descendant_count'])
      .where('i.source_id', 'like', 'bulk-p%')
      .where((eb) => eb.or([eb('c.deleted_at', 'is not', null), eb('c.status', '!=', 'approved')]))
      .where('c.descendant_count', '>', 0)
      .execute();
    expect(holders.length).toBeGreaterThan(0);
  });

  it('names the line of a truncated or malformed file and imports nothing', async () => {
    const text = fs.readFileSync(sample('isso-disqus.xml'), 'utf8');
    const truncated = path.join(dir, 'truncated.xml');
    fs.writeFileSync(truncated, text.slice(0, text.indexOf('<post dsq:id="9">') + 60).replaceAll('dsq:id="', 'dsq:id="t'));
    const before = await db().selectFrom('imported_comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const error = await run('disqus', truncated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as ImportFileError).line).toBe(text.slice(0, text.indexOf('<post dsq:id="9">') + 60).split('\n').length);
    const broken = path.join(dir, 'broken.xml');
    fs.writeFileSync(broken, text.replaceAll('dsq:id="', 'dsq:id="b').replace('<isSpam>false</isSpam>', '<isSpam>false</isSpm>'));
    const mismatch = (await run('disqus', broken).catch((e: unknown) => e)) as ImportFileError;
    expect(mismatch.message).toMatch(new RegExp(`^line ${text.split('\n').findIndex((l) => l.includes('<isSpam>false</isSpam>')) + 1}: `));
    expect(await db().selectFrom('imported_comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual(before);
  });

  it('stops at a mistake half-way through a file: whole comments before it stay, none of the half-read one, and the corrected file finishes', async () => {
    const file = path.join(dir, 'long.xml');
    await writeDisqusExport(file, { threads: 4, posts: 60, bytesPerPost: 100 });
    const text = fs.readFileSync(file, 'utf8');
    // Cut inside post 50's message: the file is read once, so batches before the cut are already in.
    const cut = text.slice(0, text.indexOf('<post dsq:id="p50">') + 40);
    const truncated = path.join(dir, 'long-truncated.xml');
    fs.writeFileSync(truncated, cut.replaceAll('dsq:id="p', 'dsq:id="q').replaceAll('dsq:id="t', 'dsq:id="u'));
    fs.writeFileSync(file, text.replaceAll('dsq:id="p', 'dsq:id="q').replaceAll('dsq:id="t', 'dsq:id="u'));
    // The site of the interrupted import above, whose origin the generated file uses.
    const news = (await findSiteByKey(db(), 'news'))!;
    const error = (await run('disqus', truncated, { site: news }).catch((e: unknown) => e)) as ImportFileError;
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error.line).toBe(cut.split('\n').length);
    const written = (await db().selectFrom('imported_comments').select('source_id').where('source', '=', 'disqus').where('source_id', 'like', 'q%').execute()).map((r) => Number(r.source_id.slice(1)));
    expect(error.importedBefore).toBe(written.length);
    expect(written.length).toBeGreaterThan(0);
    expect(Math.max(...written)).toBeLessThan(50);
    await expectCountsTrue();
    const rest = await run('disqus', file, { site: news });
    expect(rest.comments).toMatchObject({ imported: 60 - written.length, alreadyImported: written.length });
    expect((await db().selectFrom('imported_comments').select('source_id').where('source', '=', 'disqus').where('source_id', 'like', 'q%').execute()).length).toBe(60);
    await expectCountsTrue();
  });

  it('lets a reader claim imported comments only once their address is verified', async () => {
    const file = path.join(dir, 'claim.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        comments: [{ commentHex: 'claim-1', domain: 'example.com', url: '/claim', commenterHex: 'c1', markdown: 'Mine from long ago', parentHex: 'root', score: 0, state: 'approved', creationDate: '2019-01-01T00:00:00Z', deleted: false }],
        commenters: [{ commenterHex: 'c1', email: 'Claimer.Old@Example.COM', name: 'Old Me' }],
      }),
    );
    await run('commento', file);
    const imported = await commentBySource('commento', 'claim-1');
    // An attacker registers with the address but cannot verify it: nothing moves.
    const client = new TestClient(app.baseUrl);
    const reg = await client.post('/api/v1/auth/register', { email: 'claimer.old@example.com', password: GOOD_PASSWORD, displayName: uniqueName('Claimer') });
    expect(reg.status).toBe(201);
    const userId = Number((await db().selectFrom('users').select('id').where('handle', '=', reg.body.user.handle).executeTakeFirstOrThrow()).id);
    expect(Number((await commentBySource('commento', 'claim-1')).user_id)).toBe(Number(imported.user_id));
    const mail = await mailTo(app, 'claimer.old@example.com', /Confirm your e-mail address/);
    expect((await client.post('/api/v1/auth/verify-email', { token: tokenIn(mail, '/verify-email') })).status).toBe(204);
    const claimed = await commentBySource('commento', 'claim-1');
    expect(Number(claimed.user_id)).toBe(userId);
    const counts = await db().selectFrom('author_comment_counts').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
    expect(Number(counts.approved_count)).toBe(1);
    expect((await db().selectFrom('imported_profiles').select('claimed_by').where('source_id', '=', 'c1').executeTakeFirstOrThrow()).claimed_by).toEqual(claimed.user_id);
    await expectCountsTrue();
  });

  it('lets a password reset that verifies the address claim imported comments, as the verification link does', async () => {
    const file = path.join(dir, 'claim-by-reset.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        comments: [
          { commentHex: 'reset-1', domain: 'example.com', url: '/reset-claim', commenterHex: 'r1', markdown: 'Written years ago', parentHex: 'root', score: 0, state: 'approved', creationDate: '2018-05-01T00:00:00Z', deleted: false },
          { commentHex: 'reset-2', domain: 'example.com', url: '/reset-claim', commenterHex: 'r1', markdown: 'Held back then', parentHex: 'root', score: 0, state: 'unapproved', creationDate: '2018-05-02T00:00:00Z', deleted: false },
        ],
        commenters: [{ commenterHex: 'r1', email: 'Reset.Claimer@Example.com', name: 'Old Name' }],
      }),
    );
    await run('commento', file);
    const placeholder = Number((await commentBySource('commento', 'reset-1')).user_id);
    const client = new TestClient(app.baseUrl);
    const reg = await client.post('/api/v1/auth/register', { email: 'reset.claimer@example.com', password: GOOD_PASSWORD, displayName: uniqueName('Resetter') });
    expect(reg.status).toBe(201);
    const userId = Number((await db().selectFrom('users').select('id').where('handle', '=', reg.body.user.handle).executeTakeFirstOrThrow()).id);
    // Registered, not verified: the comments stay with the imported profile.
    expect(Number((await commentBySource('commento', 'reset-1')).user_id)).toBe(placeholder);

    expect((await new TestClient(app.baseUrl).post('/api/v1/auth/password-reset', { email: 'reset.claimer@example.com' })).status).toBe(202);
    const token = tokenIn(await mailTo(app, 'reset.claimer@example.com', /Reset your/), '/reset-password');
    const reset = await new TestClient(app.baseUrl).post('/api/v1/auth/password-reset/confirm', { token, password: 'granite lantern orchestra' });
    expect(reset.status).toBe(200);
    expect(reset.body.user.emailVerified).toBe(true);

    for (const id of ['reset-1', 'reset-2']) expect(Number((await commentBySource('commento', id)).user_id)).toBe(userId);
    const profile = await db().selectFrom('imported_profiles').select(['claimed_by', 'user_id']).where('source', '=', 'commento').where('source_id', '=', 'r1').executeTakeFirstOrThrow();
    expect(Number(profile.claimed_by)).toBe(userId);
    // The placeholder is closed, its counts moved to the reader: one approved, one held.
    expect((await db().selectFrom('users').select('deleted_at').where('id', '=', placeholder).executeTakeFirstOrThrow()).deleted_at).not.toBeNull();
    const counts = await db().selectFrom('author_comment_counts').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
    expect([Number(counts.approved_count), Number(counts.held_count)]).toEqual([1, 1]);
    await expectCountsTrue();
  });
});
