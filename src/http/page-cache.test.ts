import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache.ts';

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

  it('expires entries after the TTL and bounds its size', async () => {
    const cache = new PageCache({ ttlMs: 20, maxEntries: 2 });
    cache.set('/a', page('A'), [], cache.begin());
    cache.set('/b', page('B'), [], cache.begin());
    cache.set('/c', page('C'), [], cache.begin());
    expect(cache.get('/a')).toBeNull();
    expect(cache.get('/c')).not.toBeNull();
    await new Promise((r) => setTimeout(r, 30));
    expect(cache.get('/c')).toBeNull();
  });
});
