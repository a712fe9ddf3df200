import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

// Helmet's headers on every response. @fastify/helmet builds a new helmet middleware (parsing the
// CSP directives again) for each request; the headers are the same for every request here, so the
// middleware is built once.

export const SECURITY_HEADERS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      // Imported articles keep their publisher's image addresses.
      imgSrc: ["'self'", 'data:', 'https:'],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
    },
  },
  // Publishers' images are served from their own hosts without CORP headers.
  crossOriginEmbedderPolicy: false,
};

export function installSecurityHeaders(app: FastifyInstance, options: HelmetOptions = SECURITY_HEADERS): void {
  const apply = helmet(options);
  app.addHook('onRequest', (request, reply, done) => {
    apply(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined));
  });
}
