import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

// Helmet's headers on every response. @fastify/helmet builds a new helmet middleware (parsing the
// CSP directives again) for each request, and even one middleware runs a dozen steps per request;
// the headers are the same for every request here, so they are worked out once.

export const SECURITY_HEADERS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      // Imported articles' pictures are served from our own copies (src/media): no third party sees a reader.
      imgSrc: ["'self'", 'data:'],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
    },
  },
};

/**
 * The headers helmet sets for these options. They are the same for every request (no nonces), so they
 * are worked out once, by running helmet's middleware against a response that only records them.
 */
export function securityHeaders(options: HelmetOptions = SECURITY_HEADERS): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failed: unknown = null;
  helmet(options)({ headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => void (failed = error ?? null));
  if (failed) throw failed;
  return headers;
}

/**
 * Pages a sign-in window opened by an embedded conversation passes through. The window must keep its
 * `opener` (the frame, inside a publisher's page) to hand the frame its one-time code, and
 * `Cross-Origin-Opener-Policy: same-origin` would cut that link, since the publisher's page is the top.
 */
export const SIGN_IN_WINDOW_PATHS = /^\/(signin|register|embed\/|auth\/oidc\/)/;

export function installSecurityHeaders(app: FastifyInstance, options: HelmetOptions = SECURITY_HEADERS): void {
  const headers = securityHeaders(options);
  const signInWindow = securityHeaders({ ...options, crossOriginOpenerPolicy: { policy: 'unsafe-none' } });
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(SIGN_IN_WINDOW_PATHS.test(request.url) ? signInWindow : headers);
    done();
  });
}
