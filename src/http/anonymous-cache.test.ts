import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { RequestLanguages } from '../i18n/request.ts';
import { installAnonymousPageCache } from './anonymous-cache.ts';
import { PageCache } from './page-cache.ts';

/** A page cache whose read of the events table finishes only when the test says so. */
class HeldBackCache extends PageCache {
  pending: { promise: Promise<void>; resolve: () => void } | null = null;
  hold(): void {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.pending = { promise, resolve };
  }
  override caughtUp(): Promise<void> | null {
    return this.pending?.promise ?? null;
  }
}

describe('installAnonymousPageCache', () => {
  it('answers a change only once the page cache has read its events, and a page without waiting', async () => {
    const cache = new HeldBackCache();
    const app = Fastify();
    installAnonymousPageCache(app, cache, new RequestLanguages({ siteLanguage: async () => ({ locale: 'en', localeForced: false }) }));
    app.post('/change', async () => ({ ok: true }));
    app.get('/page', async () => 'page');
    app.post('/refused', async (_request, reply) => reply.code(503).send({ error: 'busy' }));
    await app.ready();
    try {
      cache.hold();
      let answered = false;
      const change = app.inject({ method: 'POST', url: '/change' }).then((res) => ((answered = true), res));
      // A GET does not wait on the cache.
      expect((await app.inject({ method: 'GET', url: '/page' })).body).toBe('page');
      await new Promise((r) => setTimeout(r, 20));
      expect(answered).toBe(false);
      cache.pending!.resolve();
      expect((await change).json()).toEqual({ ok: true });
      // A refusal does not wait: it changed nothing.
      cache.hold();
      expect((await app.inject({ method: 'POST', url: '/refused' })).statusCode).toBe(503);
      cache.pending = null;
      expect((await app.inject({ method: 'POST', url: '/change' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
