import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { Config } from '../config.ts';

// One JSON log (pino) for everything: Fastify's request logs, jobs, subscribers, the mailer, the bus.
// Every line passes through `redact` on its way out, so no e-mail address or secret token reaches
// the log whoever wrote the line (an SMTP server's rejection quotes the address; a URL carries a token).

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const TOKEN_PARAM = /([?&](?:token|code|key|signature|access_token|id_token|state)=)[^&\s"\\]+/gi;
const TOKEN_PATH = /(\/unsubscribe\/)[^/?\s"\\]+/g;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
const SESSION = /(parley_session=)[^;\s"\\]+/g;

/** The text with e-mail addresses and tokens replaced by placeholders. */
export function redact(text: string): string {
  return text.replace(EMAIL, '[email]').replace(TOKEN_PARAM, '$1[redacted]').replace(TOKEN_PATH, '$1[redacted]').replace(BEARER, '$1[redacted]').replace(SESSION, '$1[redacted]');
}

export interface LogDestination {
  write(line: string): void;
}

export function createLogger(config: Pick<Config, 'logLevel'>, destination: LogDestination = process.stdout): Logger {
  return pino(
    {
      level: config.logLevel,
      // Fastify's default serializers log method, url, host and remote address: no headers, no cookies.
      serializers: { err: pino.stdSerializers.err },
    },
    { write: (line: string) => destination.write(redact(line)) },
  );
}

/** A caller's X-Request-Id when it looks like one (a proxy's or another node's), else a new UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given)) return given;
  return randomUUID();
}
