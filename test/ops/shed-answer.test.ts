import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from 'undici';
import { liveHub } from '../../src/events/live.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

// What a shed write gets, whatever the reason it was shed for: 503 at once, before its body is read,
// with Retry-After, a short answer that carries the request id, and a connection that stays open for
// the client's next request (a refusal that closed it would send every client back through the
// kernel's accept queue, where refusals wait seconds past saturation).

describe('the answer to a shed write', () => {
  let app: TestApp;
  let client: Client;
  let connects = 0;
  beforeEach(async () => {
    app = await startTestApp('sqlite');
    // Every write is shed from here on, as when live delivery is far behind.
    liveHub(app.ctx).deliveryLagMs = () => Number.POSITIVE_INFINITY;
    connects = 0;
    client = new Client(app.baseUrl, { pipelining: 1 });
    client.on('connect', () => connects++);
  });
  afterEach(async () => {
    await client.close();
    await app.close();
  });

  const postJson = (body: string, headers: Record<string, string> = {}) =>
    client.request({
      path: '/api/v1/articles/any-story/comments',
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body,
    });

  it('is our error shape with the request id, Retry-After and no caching, and the connection serves the next requests', async () => {
    const refused = await postJson(JSON.stringify({ body: 'a comment' }), { 'x-request-id': 'shed-test-1' });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(refused.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(refused.headers['x-request-id']).toBe('shed-test-1');
    // Answered before Fastify routes it, and still with the headers its hooks give every answer.
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    expect(refused.headers['content-security-policy']).toContain("default-src 'self'");
    expect(await refused.body.json()).toEqual({ error: { code: 'overloaded', message: expect.stringMatching(/too busy/), requestId: 'shed-test-1' } });

    // A body the server never reads (far more than one TCP segment) does not cost the connection.
    const large = await postJson(JSON.stringify({ body: 'x'.repeat(300_000) }));
    expect(large.statusCode).toBe(503);
    const { error } = (await large.body.json()) as { error: { requestId: string } };
    expect(error.requestId).toBe(large.headers['x-request-id']);

    const read = await client.request({ path: '/livez', method: 'GET' });
    expect(read.statusCode).toBe(200);
    await read.body.text();
    expect(connects).toBe(1);
  });

  it('is a short page in the reader\'s language for a browser\'s form', async () => {
    const refused = await client.request({
      path: '/articles/any-story/comments',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'accept-language': 'fr', 'x-request-id': 'shed-test-2' },
      body: 'body=un+commentaire',
    });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
    const page = await refused.body.text();
    expect(page).toContain('<html lang="fr"');
    expect(page).toContain('trop sollicité');
    expect(page).toContain('Référence : <code>shed-test-2</code>');
    expect(refused.headers['content-language']).toBe('fr');
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    // Not the site's whole error page: rendering one for every refusal would cost what shedding saves.
    expect(page.length).toBeLessThan(1000);
  });

  it('is not given to reads, nor to writes once the server keeps up again', async () => {
    const read = await client.request({ path: '/api/v1/articles', method: 'GET' });
    expect(read.statusCode).toBe(200);
    await read.body.text();
    liveHub(app.ctx).deliveryLagMs = () => 0;
    const write = await postJson(JSON.stringify({ body: 'a comment' }));
    // Past the shedding: refused for want of a session, not for load.
    expect(write.statusCode).not.toBe(503);
    await write.body.text();
  });
});
