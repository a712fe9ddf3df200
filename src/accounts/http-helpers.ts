import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import type { ChromeFactory } from '../ui/chrome.ts';
import { renderDocument } from '../ui/render.ts';
import type { AccountLimiter } from './limits.ts';
import { AccountProblem } from './problems.ts';

export interface AccountRouteDeps {
  ctx: AppContext;
  chrome: ChromeFactory;
  limiter: AccountLimiter;
}

/** An HTML page that is about this reader: never cached, by the browser or anyone between. */
export function sendPage(reply: FastifyReply, status: number, page: VNode<any>) {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderDocument(page, reply.request.i18n));
}

/** POST, then redirect: a reload does not send the form again. */
export const redirectAfterPost = (reply: FastifyReply, to: string) => reply.header('cache-control', 'no-store').redirect(to, 303);

/**
 * What a page form shows for an error: the reader's own mistakes and rate limits come back into the
 * form with what they typed; anything else is a real error for the error handler.
 */
export function pageProblem(error: unknown, reply: FastifyReply): AccountProblem {
  if (error instanceof AccountProblem) return error;
  if (error instanceof HttpError && error.statusCode === 429) {
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    return error.messageKey ? AccountProblem.keyed(null, error.code, error.messageKey, error.messageValues, 429) : AccountProblem.one(null, error.code, error.message, 429);
  }
  throw error;
}

/** Form fields arrive as strings (or not at all); a page schema lets every field be missing. */
export const field = (body: Record<string, unknown> | undefined, name: string): string => {
  const value = body?.[name];
  return typeof value === 'string' ? value : '';
};
