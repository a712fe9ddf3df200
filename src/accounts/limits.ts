import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';
import { normaliseEmail } from './rules.ts';

// Rate limits on the doors attackers knock on. Each action is limited per IP address and, where an
// address is given, per account (keyed on the normalised address whether or not it has an account,
// so the limit itself reveals nothing). Pages and API share the counters. Sign-in has no per-account
// limit here: a limit anyone can fill would lock the owner out; signin-throttle.ts slows guessers instead.

const MINUTE = 60_000;

export const LIMITS = {
  signIn: { perIp: { max: 30, timeWindow: 15 * MINUTE } },
  register: { perIp: { max: 30, timeWindow: 60 * MINUTE } },
  passwordReset: { perIp: { max: 20, timeWindow: 60 * MINUTE }, perAccount: { max: 5, timeWindow: 60 * MINUTE } },
  /** Mails a signed-in reader can trigger: a new verification link, a change of address. */
  accountMail: { perAccount: { max: 5, timeWindow: 60 * MINUTE } },
  /** Guesses at the current password (change password, change e-mail, delete account). */
  passwordCheck: { perAccount: { max: 10, timeWindow: 15 * MINUTE } },
} as const;

export type LimitedAction = keyof typeof LIMITS;
type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

export interface AccountLimiter {
  /** Counts one attempt; throws a 429 with Retry-After when a limit is passed. */
  hit(action: LimitedAction, request: FastifyRequest, account?: string | number | null): Promise<void>;
}

export function createAccountLimiter(app: FastifyInstance): AccountLimiter {
  const limiters = new Map<string, Limiter>();
  for (const [action, limits] of Object.entries(LIMITS)) {
    if ('perIp' in limits) limiters.set(`${action}:ip`, app.createRateLimit({ ...limits.perIp }));
    if ('perAccount' in limits) {
      limiters.set(
        `${action}:account`,
        app.createRateLimit({ ...limits.perAccount, keyGenerator: (request) => String((request as FastifyRequest & { limitKey?: string }).limitKey) }),
      );
    }
  }

  const check = async (limiter: Limiter | undefined, request: FastifyRequest) => {
    if (!limiter) return;
    const result = await limiter(request);
    if (!result.isAllowed && result.isExceeded) {
      const wait = Math.max(1, result.ttlInSeconds);
      throw HttpError.translated(429, 'rate_limited', 'errors.rateLimit.tooMany', { unit: 'seconds', count: wait }, {
        'retry-after': String(wait),
      });
    }
  };

  return {
    async hit(action, request, account) {
      await check(limiters.get(`${action}:ip`), request);
      if (account === undefined || account === null || account === '') return;
      (request as FastifyRequest & { limitKey?: string }).limitKey = `${action}:${typeof account === 'string' ? normaliseEmail(account) : `#${account}`}`;
      await check(limiters.get(`${action}:account`), request);
    },
  };
}
