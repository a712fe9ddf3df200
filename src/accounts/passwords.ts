import type { Algorithm } from '@node-rs/argon2';
import type { ZxcvbnFactory, ZxcvbnResult } from '@zxcvbn-ts/core';
import { t, type MessageKey, type MessageValues } from '../i18n/index.ts';

export const PASSWORD_MIN = 10;
/** Long enough for any passphrase, short enough that hashing cannot be used to burn our CPU. */
export const PASSWORD_MAX = 256;

/**
 * argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): about 30 ms here. The
 * parameters travel inside each hash, so raising them later only affects new hashes.
 */
// Algorithm is an ambient const enum, which verbatimModuleSyntax cannot import: 2 is Argon2id.
const ARGON2id = 2 as Algorithm.Argon2id;
const ARGON2 = { algorithm: ARGON2id, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

let argon2Module: Promise<typeof import('@node-rs/argon2')> | null = null;
// A native library: loaded by the first sign-in or registration, not when the server starts.
const argon2 = () => (argon2Module ??= import('@node-rs/argon2'));

export const hashPassword = async (password: string) => (await argon2()).hash(password, ARGON2);

let dummyHash: Promise<string> | null = null;

/**
 * Checks a password; with no hash (unknown address, account without a password) it verifies against
 * a dummy hash instead, so an answer takes as long whether or not the account exists.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('parley dummy password, never matches');
    await (await argon2()).verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await (await argon2()).verify(storedHash, password);
  } catch {
    return false;
  }
}

let zxcvbn: Promise<ZxcvbnFactory> | null = null;
// Loaded on first use: the password list is large, and most commands (serve, import…) start without it.
const estimator = () =>
  (zxcvbn ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([core, common]) => new core.ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs }),
  ));

/** The whole password (give or take l33t spelling or reversal) is on the list of common passwords. */
function isListedPassword(result: ZxcvbnResult, password: string): boolean {
  return result.sequence.some(
    (m) => m.pattern === 'dictionary' && String(m.dictionaryName).startsWith('passwords') && m.i === 0 && m.j === password.length - 1,
  );
}

// The estimator's warnings Parley explains (accounts.password.tooEasy selects the sentence by name).
const WHY = new Set(['userInputs', 'simpleRepeat', 'extendedRepeat', 'sequences', 'keyPattern', 'straightRow', 'dates', 'recentYears', 'namesByThemselves', 'commonNames', 'wordByItself']);

/** What is wrong with a password as a catalog message, whole sentences with the advice; null when it is acceptable. */
export async function passwordProblemKeyed(password: string, userInputs: string[] = []): Promise<{ key: MessageKey; values?: MessageValues } | null> {
  if (password.length < PASSWORD_MIN) return { key: 'accounts.password.tooShort', values: { min: PASSWORD_MIN, length: password.length } };
  if (password.length > PASSWORD_MAX) return { key: 'accounts.password.tooLong', values: { max: PASSWORD_MAX } };
  const inputs = userInputs.flatMap((s) => [s, ...s.toLowerCase().split(/[\s@.+_-]+/)]).filter((s) => s.length >= 3);
  const result = (await estimator()).check(password, inputs);
  if (isListedPassword(result, password)) return { key: 'accounts.password.listed' };
  if (result.score < 3) {
    const warning = result.feedback.warning;
    return { key: 'accounts.password.tooEasy', values: { why: warning && WHY.has(warning) ? warning : 'other' } };
  }
  return null;
}

/** Null when the password is acceptable; otherwise what is wrong with it, in plain English words. */
export async function passwordProblem(password: string, userInputs: string[] = []): Promise<string | null> {
  const problem = await passwordProblemKeyed(password, userInputs);
  return problem ? t('en', problem.key, problem.values) : null;
}
