import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CommandRefused } from '../events/command.ts';
import { t, type MessageKey, type MessageValues, type Translator } from '../i18n/index.ts';
import { KeyedError, type KeyedMessage } from '../i18n/keyed-error.ts';

/**
 * An error a person can act on: it carries the HTTP status and a stable machine-readable code. Its
 * `message` is English (logs, tests); one made with `translated` is shown in the reader's language.
 */
export class HttpError extends KeyedError {
  override readonly name: string = 'HttpError';

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string | KeyedMessage,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** An error whose message comes from the catalogs (English in `message`, the reader's language on the wire); subclasses inherit it. */
  static translated<T extends HttpError>(
    this: new (statusCode: number, code: string, message: KeyedMessage, headers?: Record<string, string>) => T,
    statusCode: number,
    code: string,
    key: MessageKey,
    values?: MessageValues,
    headers: Record<string, string> = {},
  ): T {
    return new this(statusCode, code, { key, values }, headers);
  }
}

/** A command's refusal as the HTTP answer it stands for (429s tell when to try again); anything else unchanged. */
export function asHttpError(error: unknown): unknown {
  if (!(error instanceof CommandRefused)) return error;
  return new HttpError(error.status, error.code, error.words, error.retryAfterSeconds ? { 'retry-after': String(error.retryAfterSeconds) } : {});
}

export const notFound = (message?: string) => (message === undefined ? HttpError.translated(404, 'not_found', 'errors.notFound') : new HttpError(404, 'not_found', message));
export const badRequest = (message: string, code = 'bad_request') => new HttpError(400, code, message);

export interface ErrorBody {
  error: { code: string; message: string };
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url === '/healthz';
}

/** Renders an HTML error page for people; features register one so errors look like the site. */
export type HtmlErrorRenderer = (request: FastifyRequest, status: number, message: string) => string;

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
};

/**
 * Turns a validation failure from the schema into one sentence a person understands. The schema
 * validator's own detail ("must be string") is English; other languages say what is wrong without it.
 */
function describeValidation(error: FastifyError, i18n: Translator): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  const where = error.validationContext ?? 'request';
  const field = first.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
  const params = first.params as Record<string, unknown>;
  if (first.keyword === 'required') return i18n.t('errors.validation.missingField', { where, field: String(params.missingProperty) });
  if (first.keyword === 'additionalProperties') return i18n.t('errors.validation.unknownField', { where, field: String(params.additionalProperty) });
  const detail = first.message ?? 'is not valid';
  return field ? i18n.t('errors.validation.invalidField', { where, field, detail }) : i18n.t('errors.validation.invalid', { where, detail });
}

export function registerErrorHandling(app: FastifyInstance, renderHtml: HtmlErrorRenderer): void {
  const send = (request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string) => {
    if (isApiRequest(request) || !request.headers.accept?.includes('text/html')) {
      const body: ErrorBody = { error: { code, message } };
      return reply.status(status).type('application/json; charset=utf-8').send(body);
    }
    return reply.status(status).type('text/html; charset=utf-8').send(renderHtml(request, status, message));
  };

  app.setErrorHandler((thrown: FastifyError | HttpError | CommandRefused, request, reply) => {
    const error = asHttpError(thrown) as FastifyError | HttpError;
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return send(request, reply, error.statusCode, error.code, error.messageIn(request.i18n));
    }
    if ('validation' in error && error.validation) {
      return send(request, reply, 400, 'invalid_request', describeValidation(error, request.i18n));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = error.code?.startsWith('FST_') || !error.code ? (STATUS_CODES[status] ?? 'bad_request') : error.code.toLowerCase();
      return send(request, reply, status, code, error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(request, reply, 500, 'internal', request.i18n.t('errors.internal'));
  });

  app.setNotFoundHandler((request, reply) => send(request, reply, 404, 'not_found', request.i18n.t('errors.notFound')));
}
