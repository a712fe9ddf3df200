import { hash, verify, type Algorithm } from '@node-rs/argon2';
import type { ZxcvbnFactory, ZxcvbnResult } from '@zxcvbn-ts/core';

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

export const hashPassword = (password: string) => hash(password, ARGON2);

let dummyHash: Promise<string> | null = null;

/**
 * Checks a password; with no hash (unknown address, account without a password) it verifies against
 * a dummy hash instead, so an answer takes as long whether or not the account exists.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('parley dummy password, never matches');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
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

const WHY: Record<string, string> = {
  userInputs: 'It contains your name or e-mail address.',
  simpleRepeat: 'Repeated characters like “aaa” are easy to guess.',
  extendedRepeat: 'Repeated patterns like “abcabc” are easy to guess.',
  sequences: 'Sequences like “abc” or “6543” are easy to guess.',
  keyPattern: 'Patterns of neighbouring keys are easy to guess.',
  straightRow: 'Rows of keys on the keyboard are easy to guess.',
  dates: 'Dates are easy to guess.',
  recentYears: 'Recent years are easy to guess.',
  namesByThemselves: 'Names on their own are easy to guess.',
  commonNames: 'Common names are easy to guess.',
  wordByItself: 'A single word is easy to guess.',
};

/** Null when the password is acceptable; otherwise what is wrong with it, in plain words. */
export async function passwordProblem(password: string, userInputs: string[] = []): Promise<string | null> {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters for your password (this one has ${password.length}).`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters for your password.`;
  const inputs = userInputs.flatMap((s) => [s, ...s.toLowerCase().split(/[\s@.+_-]+/)]).filter((s) => s.length >= 3);
  const result = (await estimator()).check(password, inputs);
  const tryThis = 'Try three or four unrelated words, or a longer sentence only you would think of.';
  if (isListedPassword(result, password)) return `This password is on the lists of common passwords that attackers try first. ${tryThis}`;
  if (result.score < 3) {
    const why = (result.feedback.warning && WHY[result.feedback.warning]) ?? 'It would be too easy to guess.';
    return `This password is too easy to guess. ${why} ${tryThis}`;
  }
  return null;
}
