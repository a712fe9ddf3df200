import type * as Jose from 'jose';
import type { JWTPayload, JWTVerifyGetKey, ProtectedHeaderParameters } from 'jose';
import { lazyModule } from '../lazy-module.ts';
import { checkDisplayName, DISPLAY_NAME_MAX, emailProblem, normaliseEmail } from '../accounts/rules.ts';
import type { Site } from '../sites/model.ts';
import { REFUSALS, SsoRefused } from './refusal.ts';

// A publisher's server vouches for a reader with a short-lived JSON Web Token. jose checks the
// signature and the registered claims; the rules below add what a sign-in needs on top of them.

// jose loads with the first token to check, not with the server.
const josePackage = lazyModule<typeof Jose>('jose');

/** How far the publisher's clock may be from ours, either way. */
export const CLOCK_SKEW_SECONDS = 120;
/** A token without `exp` is accepted this long after its `iat`. */
export const MAX_AGE_WITHOUT_EXPIRY_SECONDS = 10 * 60;

const SHARED_SECRET_ALGORITHMS = ['HS256'];
const KEY_SET_ALGORITHMS = ['RS256', 'ES256'];

export interface SiteTokenClaims {
  subject: string;
  email: string;
  name: string;
  /** The token's `jti`: spent once (see link.ts). */
  tokenId: string | null;
  /** After this instant the token could not be accepted any more: its `jti` need not be kept. */
  acceptableUntil: Date;
  /** Everything the token says (roles come from a configured claim). */
  payload: JWTPayload;
}

// One key set per address for the life of the process: jose refreshes it when it meets an unknown
// key id (at most every 30 s) and keeps it 10 minutes.
const keySets = new Map<string, JWTVerifyGetKey>();

function keySet(url: string): JWTVerifyGetKey {
  let remote = keySets.get(url);
  if (!remote) {
    remote = josePackage().createRemoteJWKSet(new URL(url), { timeoutDuration: 5000 });
    keySets.set(url, remote);
  }
  const fetched = remote;
  return async (header, token) => {
    try {
      return await fetched(header, token);
    } catch (error) {
      const jose = josePackage().errors;
      // Several keys fit: jose tries each one itself.
      if (error instanceof jose.JWKSMultipleMatchingKeys) throw error;
      if (error instanceof jose.JWKSNoMatchingKey) throw REFUSALS.unknownKey();
      throw REFUSALS.keysUnavailable();
    }
  };
}

function protectedHeader(jwt: string): ProtectedHeaderParameters {
  if (typeof jwt !== 'string' || jwt.split('.').length !== 3) throw REFUSALS.malformed();
  try {
    return josePackage().decodeProtectedHeader(jwt);
  } catch {
    throw REFUSALS.malformed();
  }
}

function refusalFor(error: unknown): unknown {
  if (error instanceof SsoRefused) return error;
  const jose = josePackage().errors;
  if (error instanceof jose.JWTExpired) return REFUSALS.expired();
  if (error instanceof jose.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' && error.reason === 'check_failed') return REFUSALS.notYetValid();
    return REFUSALS.invalidClaim(error.claim);
  }
  if (error instanceof jose.JWSSignatureVerificationFailed) return REFUSALS.signature();
  if (error instanceof jose.JOSEAlgNotAllowed) return REFUSALS.algorithm();
  if (error instanceof jose.JWSInvalid || error instanceof jose.JWTInvalid || error instanceof jose.JOSENotSupported) return REFUSALS.malformed();
  // A key of the wrong type for the algorithm (e.g. an RSA key in the set under an ES256 header).
  if (error instanceof TypeError || error instanceof jose.JOSEError) return REFUSALS.signature();
  return error;
}

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** The publisher's name for the reader as Parley can show it: too long is shortened, anything else wrong is refused. */
export function publisherDisplayName(raw: string): string {
  let value = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  const characters = [...value];
  if (characters.length > DISPLAY_NAME_MAX) value = characters.slice(0, DISPLAY_NAME_MAX).join('').trim();
  const checked = checkDisplayName(value);
  if ('problem' in checked) throw REFUSALS.invalidName(checked);
  return checked.name.value;
}

/**
 * Checks a publisher's sign-in token for the site and returns who it names, or throws SsoRefused with
 * the reason. Spending its `jti` is left to the sign-in, which does it in the transaction that links
 * the account (link.ts), so that a refused sign-in does not burn the token.
 */
export async function verifySiteToken(site: Site, jwt: string, now: Date = new Date()): Promise<SiteTokenClaims> {
  const secret = site.sso.jwt?.secret || null;
  const jwksUrl = site.sso.jwt?.jwksUrl || null;
  if (!secret && !jwksUrl) throw REFUSALS.notConfigured();

  const header = protectedHeader(jwt);
  if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') throw REFUSALS.unsigned();
  const allowed = [...(secret ? SHARED_SECRET_ALGORITHMS : []), ...(jwksUrl ? KEY_SET_ALGORITHMS : [])];
  if (!allowed.includes(header.alg)) throw REFUSALS.algorithm();

  let payload: JWTPayload;
  try {
    const key = SHARED_SECRET_ALGORITHMS.includes(header.alg) ? new TextEncoder().encode(secret!) : keySet(jwksUrl!);
    // jose checks the signature, then `exp` and `nbf` with the same tolerance we give `iat` below.
    ({ payload } = await josePackage().jwtVerify(jwt, key as Parameters<typeof Jose.jwtVerify>[1], { algorithms: allowed, currentDate: now, clockTolerance: CLOCK_SKEW_SECONDS }));
  } catch (error) {
    throw refusalFor(error);
  }

  // NumericDates may carry fractions of a second; so does our clock here.
  const nowSeconds = now.getTime() / 1000;
  const { iat, exp } = payload;
  if (iat !== undefined && iat > nowSeconds + CLOCK_SKEW_SECONDS) throw REFUSALS.issuedInFuture();
  if (exp === undefined && iat === undefined) throw REFUSALS.noLifetime();
  if (exp === undefined && nowSeconds - iat! > MAX_AGE_WITHOUT_EXPIRY_SECONDS) throw REFUSALS.tooOld();

  if (payload.aud !== undefined) {
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(site.key)) throw REFUSALS.otherSite();
  }

  if (!nonEmptyString(payload.sub) || payload.sub.length > 255) throw REFUSALS.missingSubject();
  if (payload.email === undefined || payload.email === null || payload.email === '') throw REFUSALS.missingEmail();
  if (typeof payload.email !== 'string') throw REFUSALS.invalidEmail();
  const email = normaliseEmail(payload.email);
  if (emailProblem(email)) throw REFUSALS.invalidEmail();
  if (payload.name === undefined || payload.name === null || payload.name === '') throw REFUSALS.missingName();
  if (typeof payload.name !== 'string') throw REFUSALS.invalidClaim('name');
  const name = publisherDisplayName(payload.name);
  if (payload.jti !== undefined && (!nonEmptyString(payload.jti) || payload.jti.length > 255)) throw REFUSALS.invalidClaim('jti');

  const lastAcceptedSecond = (exp ?? iat! + MAX_AGE_WITHOUT_EXPIRY_SECONDS) + CLOCK_SKEW_SECONDS;
  return { subject: payload.sub, email, name, tokenId: payload.jti ?? null, acceptableUntil: new Date(lastAcceptedSecond * 1000), payload };
}
