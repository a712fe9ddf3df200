import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { EventBus } from '../events/bus.ts';
import { runCommand } from '../events/command.ts';
import { pageBytes, PageCache } from './page-cache.ts';

const page = (text: string) => ({ body: Buffer.from(text), headers: { 'content-type': 'text/html' } });

describe('PageCache', () => {
  it('serves what was stored until an event on one of its tags drops it', () => {
    const cache = new PageCache();
    cache.set('/a', page('A'), ['article:1', 'articles'], cache.begin());
    cache.set('/b', page('B'), ['article:2'], cache.begin());
    expect(cache.get('/a')?.body.toString()).toBe('A');
    cache.invalidate('article:1');
    expect(cache.get('/a')).toBeNull();
    expect(cache.get('/b')?.body.toString()).toBe('B');
  });

  it('refuses a page rendered before an invalidation of its tags (the render read stale data)', () => {
    const cache = new PageCache();
    const begunAt = cache.begin();
    cache.invalidate('article:1');
    cache.set('/a', page('stale'), ['article:1'], begunAt);
    expect(cache.get('/a')).toBeNull();
    // An invalidation of another tag does not stop it.
    const again = cache.begin();
    cache.invalidate('article:9');
    cache.set('/a', page('fresh'), ['article:1'], again);
    expect(cache.get('/a')?.body.toString()).toBe('fresh');
  });

  it('expires entries after the TTL', async () => {
    const cache = new PageCache({ ttlMs: 200 });
    cache.set('/c', page('C'), [], cache.begin());
    expect(cache.get('/c')).not.toBeNull();
    await new Promise((r) => setTimeout(r, 250));
    expect(cache.get('/c')).toBeNull();
    expect(cache.bytes).toBe(0);
  });

  it('is bounded by bytes, least recently used out first, pages and shared parts alike', () => {
    const one = pageBytes(page('x'.repeat(1000)));
    const cache = new PageCache({ maxBytes: one * 4 + 10 });
    for (const key of ['/a', '/b', '/c', '/d']) cache.set(key, page('x'.repeat(1000)), [key === '/a' ? 'article:1' : 'article:2'], cache.begin());
    expect(cache.get('/a')).not.toBeNull(); // now /b is the least recently used
    cache.setShared('conversation:1', { parts: ['…'] }, one, ['article:1'], cache.begin());
    expect(cache.get('/b')).toBeNull();
    expect(cache.get('/a')).not.toBeNull();
    expect(cache.getShared('conversation:1')).toEqual({ parts: ['…'] });
    expect(cache.bytes).toBeLessThanOrEqual(one * 4 + 10);
    // An event on the article drops its shared parts with its pages.
    cache.invalidate('article:1');
    expect(cache.getShared('conversation:1')).toBeNull();
    expect(cache.get('/a')).toBeNull();
    expect(cache.bytes).toBe(2 * one);
  });

  it('refuses an entry larger than a quarter of its budget rather than emptying itself for it', () => {
    const cache = new PageCache({ maxBytes: 4000 });
    cache.set('/small', page('small'), [], cache.begin());
    cache.set('/huge', page('x'.repeat(2000)), [], cache.begin());
    expect(cache.get('/huge')).toBeNull();
    expect(cache.get('/small')).not.toBeNull();
  });

  it('says when it has not yet read the events of a commit, and once it has, their pages are gone', async () => {
    const db = await openDatabase({ dataDir: '', databaseUrl: null, sqliteFile: ':memory:' });
    try {
      await migrateToLatest(db);
      const bus = new EventBus();
      const cache = new PageCache();
      await cache.follow(db.kysely, bus);
      expect(cache.caughtUp()).toBeNull();
      cache.set('/articles/a', page('before'), ['article:1'], cache.begin());
      // Committed as by another process: its wake-up says nothing of what it wrote (PostgreSQL's NOTIFY).
      await runCommand({ db, bus: new EventBus() }, async (tx) => tx.emit({ type: 'comment.approved', stream: 'article:1', payload: {} }));
      bus.wake();
      // The cache's read of the events table has not finished: a write's answer must wait for it
      // (anonymous-cache.ts), or the next page would be the stale copy.
      const settling = cache.caughtUp();
      expect(settling).not.toBeNull();
      expect(cache.get('/articles/a')).not.toBeNull();
      await settling;
      expect(cache.get('/articles/a')).toBeNull();
      expect(cache.caughtUp()).toBeNull();

      // A commit of this process hands its events over: its pages are gone before its writer goes on.
      cache.set('/articles/b', page('before'), ['article:2'], cache.begin());
      await runCommand({ db, bus }, async (tx) => tx.emit({ type: 'comment.approved', stream: 'article:2', payload: {} }));
      expect(cache.get('/articles/b')).toBeNull();
      // And after another process's commit in between (a gap in the ids), it reads the table again.
      cache.set('/articles/c', page('before'), ['article:3'], cache.begin());
      cache.set('/articles/d', page('before'), ['article:4'], cache.begin());
      await runCommand({ db, bus: new EventBus() }, async (tx) => tx.emit({ type: 'comment.approved', stream: 'article:3', payload: {} }));
      await runCommand({ db, bus }, async (tx) => tx.emit({ type: 'comment.approved', stream: 'article:4', payload: {} }));
      await cache.caughtUp();
      expect(cache.get('/articles/c')).toBeNull();
      expect(cache.get('/articles/d')).toBeNull();
      cache.stop();
    } finally {
      await db.close();
    }
  });
});
