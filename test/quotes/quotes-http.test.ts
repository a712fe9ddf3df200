import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import type { ArticleDraft } from '../../src/articles/model.ts';
import { reextractQuotes } from '../../src/quotes/commands.ts';
import { dialects, EXAMPLE_FILE, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';

// Who's quoted through real HTTP on a real database: the API, the article box, the person page, the
// newsroom's report, its CSV, and corrections that survive a re-import; who may do what, and CSRF.

const seedDraft = () => parseArticleFile(fs.readFileSync(EXAMPLE_FILE), EXAMPLE_FILE, { publicationName: 'The Independent' });

const story = (n: number, paragraphs: string[], publishedAt = '2024-03-05T10:00:00Z', url = `https://news.example/politics/story-${n}`): ArticleDraft => ({
  headline: `Quote story ${n}`,
  standfirst: null,
  authors: [],
  dateline: null,
  publishedAt: new Date(publishedAt),
  timeZone: 'UTC',
  image: null,
  body: paragraphs.map((text) => ({ type: 'paragraph' as const, text })),
  sourceUrl: url,
  publicationName: null,
});

describe.each(dialects)("who's quoted over HTTP (%s)", (dialect) => {
  let app: TestApp;
  let seedSlug: string;
  let anonymous: TestClient;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    seedSlug = (await importArticle(app.ctx, await seedDraft())).article.slug;
    anonymous = new TestClient(app.baseUrl);
  });
  afterAll(async () => app?.close());

  it('lists the seed’s speakers with their direct quotes and paragraph anchors, and not the people only mentioned', async () => {
    const { status, body } = await anonymous.get(`/api/v1/articles/${seedSlug}/quotes`);
    expect(status).toBe(200);
    const names = body.people.map((p: { name: string }) => p.name);
    expect(names).toEqual(['Rex Tillerson', 'Donald Trump']);
    const [tillerson, trump] = body.people;
    expect(tillerson.role).toBe('Secretary of State');
    expect(tillerson.quotes).toHaveLength(4);
    expect(trump.quotes).toHaveLength(1);
    expect(trump.quotes[0].text).toBe('As President, I can make far better deals with foreign countries than Congress');
    expect(tillerson.quotes[0].anchor).toBe(`p-${tillerson.quotes[0].paragraph + 1}`);
    expect(tillerson.url).toBe('http://parley.test/people/rex-tillerson');
  });

  it('shows the box on the article page, linking each quote to a paragraph that carries that id', async () => {
    const page = await (await anonymous.raw(`/articles/${seedSlug}`)).text();
    expect(page).toContain('Who’s quoted');
    const anchors = [...page.matchAll(/class="quoted__quote" href="#(p-\d+)"/g)].map((m) => m[1]!);
    expect(anchors).toHaveLength(5);
    for (const anchor of anchors) expect(page).toContain(`id="${anchor}"`);
    expect(page).not.toMatch(/quoted__name"><a[^>]*>Sergei Lavrov/);
  });

  it('answers 404 in words for an unknown article or person', async () => {
    const api = await anonymous.get('/api/v1/articles/no-such-story/quotes');
    expect(api.status).toBe(404);
    expect(api.body.error.message).toContain('no-such-story');
    const page = await anonymous.raw('/people/nobody-at-all');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('No story on this site quotes anyone by that name');
  });

  it('lists on the person page everything the site’s stories quote them saying, with links to the conversations', async () => {
    await importArticle(app.ctx, story(1, ['Rex Tillerson arrived in Manila.', '“We will keep talking to our friends in the region,” Mr Tillerson said.']));
    const res = await anonymous.raw('/people/rex-tillerson');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Quoted 5 times in 2 stories');
    expect(page).toContain('We will keep talking to our friends in the region');
    expect(page).toContain(`href="/articles/${seedSlug}#comments"`);
    expect(page).toMatch(new RegExp(`href="/articles/${seedSlug}#p-\\d+"`));
  });

  it('lets the newsroom see who is quoted per period and section, and export it as CSV', async () => {
    await importArticle(app.ctx, story(2, ['Jane Okafor, a nurse at the hospital, met reporters.', '“We are exhausted, but we are still here,” Ms Okafor said.'], '2024-06-01T09:00:00Z', 'https://news.example/health/nurses'));
    const editor = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { role: 'staff' }));
    const all = await (await editor.raw('/admin/sources')).text();
    expect(all).toContain('Jane Okafor');
    expect(all).toContain('Rex Tillerson');
    const june = await (await editor.raw('/admin/sources?from=2024-06-01&to=2024-06-30')).text();
    expect(june).toContain('Jane Okafor');
    expect(june).not.toMatch(/<td><a[^>]*>Rex Tillerson/);
    const politics = await (await editor.raw('/admin/sources?section=politics')).text();
    expect(politics).not.toMatch(/<td><a[^>]*>Jane Okafor/);
    const csv = await editor.raw('/admin/sources.csv?from=2024-01-01&to=2024-12-31');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('name,role,quotes,stories,sections,page');
    expect(lines).toContain('Jane Okafor,nurse at the hospital,1,1,health,http://parley.test/people/jane-okafor');
    const bad = await editor.raw('/admin/sources?from=2024-02-31');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('real day');
  });

  it('keeps readers out of the newsroom pages and refuses corrections without a CSRF token', async () => {
    const reader = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx));
    expect((await reader.raw('/admin/sources')).status).toBe(403);
    expect((await reader.raw('/admin/sources.csv')).status).toBe(403);
    expect((await anonymous.raw('/admin/sources')).status).toBe(401);
    const { body } = await anonymous.get(`/api/v1/articles/${seedSlug}/quotes`);
    const quoteId = body.people[1].quotes[0].id;
    expect((await reader.form(`/admin/sources/quotes/${quoteId}`, { action: 'not_quote' })).status).toBe(403);
    const editor = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { role: 'staff' }));
    expect((await editor.form(`/admin/sources/quotes/${quoteId}`, { action: 'not_quote' }, { csrf: false })).status).toBe(403);
    expect((await anonymous.get(`/api/v1/articles/${seedSlug}/quotes`)).body.people).toHaveLength(2);
  });

  it('applies an editor’s corrections, audits them in words, and keeps them through a re-import and a re-extraction', async () => {
    const editorUser = await createTestUser(app.ctx, { role: 'staff' });
    const editor = await signedInClient(app.ctx, app.baseUrl, editorUser);
    const before = (await anonymous.get(`/api/v1/articles/${seedSlug}/quotes`)).body.people;
    const tillersonQuote = before[0].quotes[3];
    const trumpQuote = before[1].quotes[0];

    const moved = await editor.form(`/admin/sources/quotes/${tillersonQuote.id}`, { action: 'speaker', speaker: 'Heather Nauert', back: '?section=news' });
    expect(moved.status).toBe(303);
    expect(moved.headers.get('location')).toBe('/admin/sources?section=news&corrected=speaker#review');
    expect((await editor.form(`/admin/sources/quotes/${trumpQuote.id}`, { action: 'not_quote' })).status).toBe(303);
    const empty = await editor.form(`/admin/sources/quotes/${before[0].quotes[0].id}`, { action: 'speaker', speaker: ' ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('name of the person');

    const expectCorrected = async () => {
      const people = (await anonymous.get(`/api/v1/articles/${seedSlug}/quotes`)).body.people;
      expect(people.map((p: { name: string }) => p.name)).toEqual(['Rex Tillerson', 'Heather Nauert']);
      expect(people[0].quotes).toHaveLength(3);
      expect(people[1].quotes).toEqual([expect.objectContaining({ text: tillersonQuote.text, corrected: true })]);
    };
    await expectCorrected();
    const page = await (await anonymous.raw(`/articles/${seedSlug}`)).text();
    expect(page).toContain('Heather Nauert');

    const audit = await app.ctx.db.kysely.selectFrom('audit_log').select(['action', 'reason', 'actor_id']).where('action', 'like', 'quote.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['quote.speaker_changed', 'quote.not_a_quote']);
    expect(audit[0]!.reason).toMatch(/^Changed who said “We have our differences.*” from Rex Tillerson to Heather Nauert$/);
    expect(audit[1]!.reason).toContain('as not a quote (it was attributed to Donald Trump)');
    expect(Number(audit[0]!.actor_id)).toBe(editorUser.id);

    const reimported = await importArticle(app.ctx, await seedDraft());
    expect(reimported.created).toBe(false);
    await expectCorrected();
    await reextractQuotes(app.ctx);
    await expectCorrected();
  });

  it('pages the review list, so every quote of a much-quoted person can be corrected, and a correction returns to its page', async () => {
    // Six stories of ten quotes each, a day apart: 60 quotes, more than one page of 50.
    for (let n = 0; n < 6; n++) {
      const quotes = Array.from({ length: 10 }, (_, i) => `“Point ${n}-${i} of the plan is settled now,” Ms Lindqvist said.`);
      await importArticle(app.ctx, story(100 + n, ['Mara Lindqvist, the city planner, spoke at the council.', ...quotes], `2024-09-0${n + 1}T09:00:00Z`));
    }
    const editor = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { role: 'staff' }));
    const items = (page: string) => [...page.matchAll(/<blockquote>“Point (\d)-(\d)/g)].map((m) => `${m[1]}-${m[2]}`);
    const first = await (await editor.raw('/admin/sources?person=mara-lindqvist')).text();
    expect(items(first)).toHaveLength(50);
    expect(items(first)[0]).toBe('5-0');
    expect(first).toContain('href="/admin/sources?person=mara-lindqvist&amp;page=2#review" rel="next"');
    expect(first).not.toContain('rel="prev"');
    const second = await (await editor.raw('/admin/sources?person=mara-lindqvist&page=2')).text();
    expect(items(second)).toEqual(Array.from({ length: 10 }, (_, i) => `0-${i}`));
    expect(second).toContain('href="/admin/sources?person=mara-lindqvist#review" rel="prev"');
    expect(second).not.toContain('rel="next"');
    expect(second).toContain('name="back" value="?person=mara-lindqvist&amp;page=2"');

    const quoteId = second.match(/action="\/admin\/sources\/quotes\/(\d+)"/)![1];
    const moved = await editor.form(`/admin/sources/quotes/${quoteId}`, { action: 'speaker', speaker: 'Jon Berg', back: '?person=mara-lindqvist&page=2' });
    expect(moved.headers.get('location')).toBe('/admin/sources?person=mara-lindqvist&page=2&corrected=speaker#review');
    for (const bad of ['0', '-1', 'two']) expect((await editor.raw(`/admin/sources?person=mara-lindqvist&page=${bad}`)).status).toBe(400);
  });
});
