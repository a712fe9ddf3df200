import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../accounts/model.ts';
import type { PageCache } from './page-cache.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a page handler whose HTML is the same for every anonymous reader. */
    pageCacheTags: string[] | null;
    pageCacheBegunAt: number;
  }
}

const isAnonymousPageRequest = (request: FastifyRequest) =>
  (request.method === 'GET' || request.method === 'HEAD') &&
  !request.headers.authorization &&
  !(request.headers.cookie ?? '').includes(`${SESSION_COOKIE}=`);

/**
 * Serves anonymous readers' pages from memory before any other hook runs, headers included, so the
 * common case (a reader arriving from a link) costs little more than a static file. Must be
 * installed before every other hook.
 */
export function installAnonymousPageCache(app: FastifyInstance, cache: PageCache): void {
  app.decorateRequest('pageCacheTags', null);
  app.decorateRequest('pageCacheBegunAt', 0);

  app.addHook('onRequest', async (request, reply) => {
    if (!isAnonymousPageRequest(request)) return;
    const hit = cache.get(request.url);
    if (hit) return reply.headers(hit.headers).send(hit.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const tags = request.pageCacheTags;
    if (!tags || reply.statusCode !== 200 || !isAnonymousPageRequest(request) || reply.hasHeader('set-cookie')) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
    }
    delete headers['content-length'];
    cache.set(request.url, { body: Buffer.from(payload), headers }, tags, request.pageCacheBegunAt);
    return payload;
  });
}

/**
 * Declares that this page is the same for every anonymous reader; call it before reading what the
 * page shows, then `tag` each event stream it shows (`article:12`, `articles`). Does nothing for a
 * signed-in reader.
 */
export function cacheablePage(request: FastifyRequest, cache: PageCache): { tag(stream: string): void } {
  if (request.actor !== null || request.method !== 'GET') return { tag: () => undefined };
  request.pageCacheBegunAt = cache.begin();
  const tags: string[] = [];
  request.pageCacheTags = tags;
  return { tag: (stream) => void tags.push(stream) };
}
