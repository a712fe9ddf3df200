import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { HttpError } from '../http/errors.ts';
import { authenticate } from './credentials.ts';
import { knownDeviceFor } from './known-devices.ts';
import type { AccountLimiter } from './limits.ts';
import { AccountProblem } from './problems.ts';
import { emailProblem, normaliseEmail } from './rules.ts';
import type { Account } from './store.ts';

// Sign-in throttling that slows a guesser without locking the owner out (OWASP ASVS 2.2.1 and the
// OWASP "device cookies" scheme):
// - each pair of account and source (an IP address, an IPv6 /64, or a browser that signed in to the
//   account before) gets a few free attempts, then growing waits; a success clears its pair only;
// - one account gets at most ACCOUNT_MAX_FAILURES failures an hour from browsers it has never seen
//   (a guesser with many addresses), while its own known browsers still get in;
// - the per-IP limit across all accounts (limits.ts) stays, except for a known browser of the account.
// One address can never make anyone else wait: its waits grow too fast for it to reach the account's
// hourly cap alone. The counts live in the database so that every app node shares them.

export const THROTTLE = {
  /** Attempts from one source at one account before the first wait. */
  freeAttempts: 5,
  firstWaitMs: 2_000,
  maxWaitMs: 15 * 60_000,
  /** A source's count is forgotten after this long without an attempt. */
  forgetAfterMs: 24 * 3600_000,
  accountWindowMs: 3600_000,
  /** ASVS 2.2.1: no more than 100 failed attempts an hour on one account. */
  accountMaxFailures: 100,
} as const;

/** How long a source must wait after its n-th counted attempt: nothing at first, then doubling up to the cap. */
export function waitAfterAttempts(attempts: number): number {
  if (attempts < THROTTLE.freeAttempts) return 0;
  return Math.min(THROTTLE.firstWaitMs * 2 ** (attempts - THROTTLE.freeAttempts), THROTTLE.maxWaitMs);
}

/**
 * The source of a request as the throttle counts it: an IPv4 address, or the /64 network of an IPv6
 * address (one subscriber usually holds a whole /64, so counting single addresses would be no limit).
 */
export function sourceOf(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/** In words a person reads: "8 seconds", "15 minutes". */
export function describeWait(seconds: number): string {
  if (seconds < 90) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** The wait as the catalog's messages count it (the same units as describeWait). */
export function waitValues(seconds: number): { unit: 'seconds' | 'minutes'; count: number } {
  return seconds < 90 ? { unit: 'seconds', count: seconds } : { unit: 'minutes', count: Math.ceil(seconds / 60) };
}

const tooMany = (waitMs: number, key: 'accounts.throttle.slowDown' | 'accounts.throttle.accountBusy') => {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return HttpError.translated(429, 'rate_limited', key, waitValues(seconds), { 'retry-after': String(seconds) });
};
const slowDown = 'accounts.throttle.slowDown';
const accountBusy = 'accounts.throttle.accountBusy';

/** Keys never hold an address in clear: the table would otherwise list every address anyone typed. */
export const throttleKey = (email: string, source: string) => createHash('sha256').update(`${email}\n${source}`).digest('hex');

/**
 * Counts an attempt from a source before its password is checked, so parallel requests cannot all
 * slip through one free slot: the count moves only from the value just read (a lost race answers 429).
 */
async function claimAttempt(db: Kysely<Database>, key: string, now: number): Promise<void> {
  const at = new Date(now).toISOString();
  const row = await db.selectFrom('signin_throttle').select(['failures', 'blocked_until', 'expires_at']).where('key', '=', key).executeTakeFirst();
  const live = row && row.expires_at > at ? row : null;
  if (live?.blocked_until && live.blocked_until > at) throw tooMany(Date.parse(live.blocked_until) - now, slowDown);
  const attempts = (live?.failures ?? 0) + 1;
  const wait = waitAfterAttempts(attempts);
  const values = {
    failures: attempts,
    blocked_until: wait > 0 ? new Date(now + wait).toISOString() : null,
    expires_at: new Date(now + THROTTLE.forgetAfterMs).toISOString(),
  };
  const result = row
    ? await db.updateTable('signin_throttle').set(values).where('key', '=', key).where('failures', '=', row.failures).where('expires_at', '=', row.expires_at).executeTakeFirst()
    : await db.insertInto('signin_throttle').values({ key, ...values }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  const changed = 'numUpdatedRows' in result ? result.numUpdatedRows : (result.numInsertedOrUpdatedRows ?? 0n);
  if (Number(changed) === 0) throw tooMany(1000, slowDown);
}

/** The account's failures from strangers this hour; past the cap, strangers wait for the hour to end. */
async function checkAccountWindow(db: Kysely<Database>, key: string, now: number): Promise<void> {
  const row = await db.selectFrom('signin_throttle').select(['failures', 'expires_at']).where('key', '=', key).executeTakeFirst();
  if (row && row.expires_at > new Date(now).toISOString() && row.failures >= THROTTLE.accountMaxFailures) {
    throw tooMany(Date.parse(row.expires_at) - now, accountBusy);
  }
}

async function recordAccountFailure(db: Kysely<Database>, key: string, now: number): Promise<void> {
  const at = new Date(now).toISOString();
  const windowEnd = new Date(now + THROTTLE.accountWindowMs).toISOString();
  await db
    .insertInto('signin_throttle')
    .values({ key, failures: 1, blocked_until: null, expires_at: windowEnd })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => {
        const expired = eb('signin_throttle.expires_at', '<=', at);
        return {
          failures: eb.case().when(expired).then(1).else(eb('signin_throttle.failures', '+', 1)).end(),
          expires_at: eb.case().when(expired).then(windowEnd).else(eb.ref('signin_throttle.expires_at')).end(),
        };
      }),
    )
    .execute();
  // Rows of quiet sources and past windows mean nothing any more.
  await db.deleteFrom('signin_throttle').where('expires_at', '<=', at).execute();
}

/**
 * Sign-in with its throttles, for the page and the API alike: the account behind the address and
 * password, or a 401 (wrong) or a 429 with Retry-After (too many attempts; the password was not checked).
 * Addresses without an account are throttled exactly alike, so the throttle reveals nothing.
 */
export async function throttledSignIn(ctx: AppContext, limiter: AccountLimiter, request: FastifyRequest, input: { email: string; password: string }): Promise<Account> {
  const db = ctx.db.kysely;
  const email = normaliseEmail(input.email);
  // Something that is not an address names no account: only the per-address limit applies.
  if (emailProblem(email)) {
    await limiter.hit('signIn', request);
    return authenticate(ctx, input);
  }
  const device = await knownDeviceFor(db, request, email);
  const now = Date.now();
  const accountKey = throttleKey(email, '*');
  if (!device) {
    await limiter.hit('signIn', request);
    await checkAccountWindow(db, accountKey, now);
  }
  const sourceKey = throttleKey(email, device ? `device:${device}` : `ip:${sourceOf(request.ip)}`);
  await claimAttempt(db, sourceKey, now);
  try {
    const account = await authenticate(ctx, input);
    await db.deleteFrom('signin_throttle').where('key', '=', sourceKey).execute();
    return account;
  } catch (error) {
    if (error instanceof AccountProblem) await recordAccountFailure(db, accountKey, Date.now());
    throw error;
  }
}
