import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Why a sign-in through a publisher was refused: a stable code, the HTTP status it stands for and
 * words the reader (or the publisher's developer) can act on. `reason` is what goes to the log.
 */
export class SsoRefused extends HttpError {}

/** Where sign-in refusals and links are told: the request's logger, else the application's. */
export type SsoLog = Pick<FastifyBaseLogger, 'warn' | 'info'>;
export const appLog = (ctx: AppContext): SsoLog => ctx.log as SsoLog;

const refusal = (status: number, code: string, message: string) => () => new SsoRefused(status, code, message);

export const REFUSALS = {
  notConfigured: refusal(403, 'sso_not_configured', 'This site does not sign readers in with its own accounts: single sign-on is not set up for it.'),
  malformed: refusal(400, 'sso_token_malformed', 'The sign-in token is not a signed JSON Web Token (three dot-separated parts).'),
  unsigned: refusal(401, 'sso_token_unsigned', 'The sign-in token is not signed (“alg: none”). Parley only accepts tokens signed by the publisher.'),
  algorithm: refusal(401, 'sso_algorithm_refused', 'The sign-in token is signed with an algorithm this site is not set up for.'),
  signature: refusal(401, 'sso_bad_signature', 'The sign-in token’s signature does not match this site’s key: it was signed with another secret (perhaps another site’s) or altered.'),
  unknownKey: refusal(401, 'sso_unknown_key', 'The sign-in token names a key that is not in the publisher’s published key set.'),
  keysUnavailable: refusal(502, 'sso_keys_unavailable', 'The publisher’s key set could not be fetched, so the sign-in token cannot be checked. Try again in a moment.'),
  expired: refusal(401, 'sso_token_expired', 'The sign-in token has expired. Reload the page to get a fresh one.'),
  tooOld: refusal(401, 'sso_token_too_old', 'The sign-in token has no expiry and was issued more than 10 minutes ago. Reload the page to get a fresh one.'),
  noLifetime: refusal(400, 'sso_token_no_lifetime', 'The sign-in token has neither an expiry (“exp”) nor an issue time (“iat”), so Parley cannot tell whether it is still fresh.'),
  issuedInFuture: refusal(401, 'sso_token_from_the_future', 'The sign-in token says it was issued more than 2 minutes from now: the publisher’s server clock is wrong.'),
  notYetValid: refusal(401, 'sso_token_not_yet_valid', 'The sign-in token is not valid yet (“nbf” is more than 2 minutes from now): the publisher’s server clock is wrong.'),
  otherSite: refusal(403, 'sso_token_for_another_site', 'The sign-in token was made for another site (its “aud” does not name this one).'),
  replayed: refusal(401, 'sso_token_replayed', 'The sign-in token has already been used. Each token (“jti”) signs a reader in once; reload the page to get a fresh one.'),
  missingSubject: refusal(400, 'sso_missing_subject', 'The sign-in token does not say who the reader is: the “sub” claim is missing or empty.'),
  missingEmail: refusal(400, 'sso_missing_email', 'The sign-in token has no e-mail address (“email” claim).'),
  invalidEmail: refusal(400, 'sso_invalid_email', 'The e-mail address in the sign-in token is not a valid address.'),
  missingName: refusal(400, 'sso_missing_name', 'The sign-in token has no display name (“name” claim).'),
  invalidClaim: (claim: string) => new SsoRefused(400, 'sso_invalid_claim', `The “${claim}” claim of the sign-in token has the wrong type.`),
  invalidName: (problem: string) => new SsoRefused(400, 'sso_invalid_name', `The display name in the sign-in token cannot be used: ${problem}`),
} as const;
