import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import type { MessageKey, MessageValues } from '../i18n/index.ts';
import type { KeyedMessage } from '../i18n/keyed-error.ts';

/**
 * Why a sign-in through a publisher was refused: a stable code, the HTTP status it stands for and
 * words the reader (or the publisher's developer) can act on. `reason` is what goes to the log.
 */
export class SsoRefused extends HttpError {}

/** Where sign-in refusals and links are told: the request's logger, else the application's. */
export type SsoLog = Pick<FastifyBaseLogger, 'warn' | 'info'>;
export const appLog = (ctx: AppContext): SsoLog => ctx.log as SsoLog;

/** A refusal in the catalogs' words: English in `message`, the reader's (or developer's) language on the wire. */
function keyed(status: number, code: string, key: MessageKey, values?: MessageValues): SsoRefused {
  return SsoRefused.translated(status, code, key, values);
}

const refusal = (status: number, code: string, key: MessageKey) => () => keyed(status, code, key);

export const REFUSALS = {
  notConfigured: refusal(403, 'sso_not_configured', 'errors.sso.notConfigured'),
  malformed: refusal(400, 'sso_token_malformed', 'errors.sso.malformed'),
  unsigned: refusal(401, 'sso_token_unsigned', 'errors.sso.unsigned'),
  algorithm: refusal(401, 'sso_algorithm_refused', 'errors.sso.algorithm'),
  signature: refusal(401, 'sso_bad_signature', 'errors.sso.signature'),
  unknownKey: refusal(401, 'sso_unknown_key', 'errors.sso.unknownKey'),
  keysUnavailable: refusal(502, 'sso_keys_unavailable', 'errors.sso.keysUnavailable'),
  expired: refusal(401, 'sso_token_expired', 'errors.sso.expired'),
  tooOld: refusal(401, 'sso_token_too_old', 'errors.sso.tooOld'),
  noLifetime: refusal(400, 'sso_token_no_lifetime', 'errors.sso.noLifetime'),
  issuedInFuture: refusal(401, 'sso_token_from_the_future', 'errors.sso.issuedInFuture'),
  notYetValid: refusal(401, 'sso_token_not_yet_valid', 'errors.sso.notYetValid'),
  otherSite: refusal(403, 'sso_token_for_another_site', 'errors.sso.otherSite'),
  replayed: refusal(401, 'sso_token_replayed', 'errors.sso.replayed'),
  missingSubject: refusal(400, 'sso_missing_subject', 'errors.sso.missingSubject'),
  missingEmail: refusal(400, 'sso_missing_email', 'errors.sso.missingEmail'),
  invalidEmail: refusal(400, 'sso_invalid_email', 'errors.sso.invalidEmail'),
  missingName: refusal(400, 'sso_missing_name', 'errors.sso.missingName'),
  invalidClaim: (claim: string) => keyed(400, 'sso_invalid_claim', 'errors.sso.invalidClaim', { claim }),
  /** `problem` is the accounts' own catalog sentence for the name (accounts/rules.ts), said in the same language. */
  invalidName: (problem: KeyedMessage) => new SsoRefused(400, 'sso_invalid_name', { key: 'errors.sso.invalidName', parts: { problem: { key: problem.key, values: problem.values } } }),
} as const;
