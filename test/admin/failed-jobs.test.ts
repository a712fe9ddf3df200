import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../src/articles/commands.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import type { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';

// A background job that gave up (here: a picture that was missing) is shown to admins with the reason,
// and once the cause is fixed an admin runs it again, from the page or the API, and it is audited.

describe.each(dialects)('failed background jobs on %s', (dialect) => {
  let app: TestApp;
  let publisher: http.Server;
  let publisherBase: string;
  let pictureIsBack = false;
  let admin: TestClient;
  let moderator: TestClient;

  beforeAll(async () => {
    const photo = await sharp({ create: { width: 800, height: 400, channels: 3, background: '#753' } }).jpeg().toBuffer();
    publisher = http.createServer((_req, res) => (pictureIsBack ? res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo) : res.writeHead(404).end()));
    await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
    publisherBase = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}`;
    app = await startTestApp(dialect, { FETCH_PRIVATE: 'allow' });
    admin = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { displayName: 'Ada Admin', role: 'admin' }));
    moderator = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { displayName: 'Moira Mod', role: 'moderator' }));
  });
  afterAll(async () => {
    await app?.close();
    publisher.closeAllConnections();
    await new Promise((resolve) => publisher.close(resolve));
  });

  const importWithPicture = async (n: string) =>
    (
      await importArticle(app.ctx, {
        headline: `Jobs story ${n}`,
        standfirst: null,
        authors: [],
        dateline: null,
        publishedAt: null,
        timeZone: 'UTC',
        image: { src: `${publisherBase}/${n}.jpg`, alt: 'A quay', caption: 'The quay', credit: null },
        body: [{ type: 'paragraph', text: 'Text.' }],
        sourceUrl: `https://news.example/${dialect}/jobs/${n}`,
        publicationName: null,
      })
    ).article;
  const failedJobs = async () => (await admin.get('/api/v1/admin/jobs/failed')).body.jobs as { id: number; kind: string; description: string; lastError: string; attempts: number }[];

  it('lists a failed job with what it was for and why it failed, to admins only', async () => {
    pictureIsBack = false;
    await importWithPicture('listed');
    const job = await waitFor(async () => (await failedJobs()).find((j) => j.description.endsWith('/listed.jpg')), 'the job to fail');
    expect(job).toMatchObject({ kind: 'media.article_image', description: `Copy of an article’s picture from ${publisherBase}/listed.jpg`, attempts: 1 });
    expect(job.lastError).toMatch(/answered 404/);

    const page = await admin.raw('/admin/jobs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`#${job.id} Copy of an article’s picture from ${publisherBase}/listed.jpg`);
    expect(html).toContain(`action="/admin/jobs/${job.id}/retry"`);
    expect(html).toMatch(/answered 404/);

    expect((await moderator.get('/api/v1/admin/jobs/failed')).status).toBe(403);
    expect((await moderator.raw('/admin/jobs')).status).toBe(403);
    expect((await moderator.post(`/api/v1/admin/jobs/${job.id}/retry`)).status).toBe(403);
  });

  it('runs a failed job again from the page once its cause is fixed, and audits it', async () => {
    pictureIsBack = false;
    const article = await importWithPicture('retried-page');
    const job = await waitFor(async () => (await failedJobs()).find((j) => j.description.endsWith('/retried-page.jpg')), 'the job to fail');
    pictureIsBack = true;
    const res = await admin.form(`/admin/jobs/${job.id}/retry`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/jobs?retried=${job.id}`);
    expect(await (await admin.raw(`/admin/jobs?retried=${job.id}`)).text()).toContain(`Job ${job.id} will run again in a moment.`);
    const src = await waitFor(async () => (await admin.get(`/api/v1/articles/${article.slug}`)).body.article.image.src, 'the picture to be copied');
    expect(src).toMatch(/^\/media\/[0-9a-f]{64}\.webp$/);
    expect((await failedJobs()).some((j) => j.id === job.id)).toBe(false);
    const audit = await app.ctx.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'job.retry').where('target_id', '=', String(job.id)).executeTakeFirstOrThrow();
    expect(audit.target_type).toBe('job');
    expect(JSON.parse(audit.detail)).toMatchObject({ kind: 'media.article_image', lastError: expect.stringMatching(/answered 404/) });
    // It ran: there is nothing left to retry.
    const again = await admin.form(`/admin/jobs/${job.id}/retry`, {});
    expect(again.status).toBe(404);
    expect(await again.text()).toContain(`There is no failed job number ${job.id}`);
  });

  it('runs a failed job again through the API', async () => {
    pictureIsBack = false;
    const article = await importWithPicture('retried-api');
    const job = await waitFor(async () => (await failedJobs()).find((j) => j.description.endsWith('/retried-api.jpg')), 'the job to fail');
    pictureIsBack = true;
    const res = await admin.post(`/api/v1/admin/jobs/${job.id}/retry`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: job.id, kind: 'media.article_image' });
    await waitFor(async () => (await admin.get(`/api/v1/articles/${article.slug}`)).body.article.image.src, 'the picture to be copied');
    const unknown = await admin.post('/api/v1/admin/jobs/99999999/retry');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('There is no failed job number 99999999');
  });
});
