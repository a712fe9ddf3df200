import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../accounts/model.ts';
import type { PageCache } from './page-cache.ts';
import type { RequestLanguages } from '../i18n/request.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a page handler whose HTML is the same for every anonymous reader. */
    pageCacheTags: string[] | null;
    pageCacheBegunAt: number;
  }
}

const encodings = new Negotiator<'br' | 'gzip'>({ supportedValues: ['br', 'gzip'] });

/** br or gzip when the browser takes one (by its preference), else null. */
export function preferredEncoding(header: string | string[] | undefined): 'br' | 'gzip' | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  return value ? encodings.negotiate(value) : null;
}

const isAnonymousPageRequest = (request: Pick<IncomingMessage, 'method' | 'headers'>) =>
  (request.method === 'GET' || request.method === 'HEAD') &&
  !request.headers.authorization &&
  !(request.headers.cookie ?? '').includes(`${SESSION_COOKIE}=`);

/**
 * The cache key of an anonymous page: its address, and the language the browser asks for among
 * those Parley speaks (i18n/request.ts), since that is all that sets an anonymous reader's language
 * besides the site's settings. Browsers that ask for none share the plain address.
 */
export function anonymousPageKey(url: string, acceptLanguage: string | string[] | undefined, languages: RequestLanguages): string {
  const locale = languages.browserLocale(acceptLanguage);
  return locale ? `${url}\u0000${locale}` : url;
}

/**
 * Fastify's `serverFactory`: a cached page for an anonymous reader is written straight onto the
 * socket before Fastify sees the request, so the common case (a reader arriving from a link) costs
 * about what a static file does. The stored headers already hold everything the full pipeline added
 * (security headers, content type). Everything else goes to Fastify.
 */
export function cachedPageServerFactory(cache: PageCache, languages: RequestLanguages) {
  return (handler: (req: IncomingMessage, res: ServerResponse) => void) =>
    http.createServer((req, res) => {
      if (isAnonymousPageRequest(req) && req.url) {
        const hit = cache.get(anonymousPageKey(req.url, req.headers['accept-language'], languages));
        if (hit) {
          const encoding = hit.encoded ? preferredEncoding(req.headers['accept-encoding']) : null;
          const body = encoding ? hit.encoded![encoding] : hit.body;
          res.writeHead(200, encoding ? { ...hit.headers, 'content-encoding': encoding, 'content-length': String(body.length) } : hit.headers);
          res.end(req.method === 'HEAD' ? undefined : body);
          return;
        }
      }
      handler(req, res);
    });
}

/** Stores the pages that handlers marked with cacheablePage(), with their final headers. */
export function installAnonymousPageCache(app: FastifyInstance, cache: PageCache, languages: RequestLanguages): void {
  app.decorateRequest('pageCacheTags', null);
  app.decorateRequest('pageCacheBegunAt', 0);

  // Every response passes here, and most are not cached pages: a callback hook, so that they cost
  // a look at pageCacheTags rather than a promise each.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      // A change is answered once this process's cached pages no longer show what it changed. A
      // refusal changed nothing and goes at once (a shed write's 503 must not wait on others' commits).
      const settling = reply.statusCode < 400 ? cache.caughtUp() : null;
      if (settling) settling.then(() => done(null, payload), done);
      else done(null, payload);
      return;
    }
    if (!request.pageCacheTags) return done(null, payload);
    try {
      storePage(request, reply, payload);
    } catch (error) {
      return done(error as Error);
    }
    done(null, payload);
  });

  function storePage(request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
    const tags = request.pageCacheTags;
    if (!tags || reply.statusCode !== 200 || !isAnonymousPageRequest(request) || reply.hasHeader('set-cookie')) return;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
    }
    const body = Buffer.from(payload);
    headers['content-length'] = String(body.length);
    headers.vary = 'accept-encoding, accept-language';
    // Compressed once here, at the best ratio, instead of for every reader (compression.ts does
    // the pages that are not cached).
    const encoded = {
      br: zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
      gzip: zlib.gzipSync(body, { level: 9 }),
    };
    cache.set(anonymousPageKey(request.url, request.headers['accept-language'], languages), { body, headers, encoded }, tags, request.pageCacheBegunAt);
  }
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
