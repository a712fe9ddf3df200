import type { AppContext } from '../context.ts';
import { runCommand } from '../events/command.ts';
import { claimImportedProfiles } from '../migrate-comments/claim.ts';
import { enqueueAccountMail } from './mail-jobs.ts';
import { hashPassword, PASSWORD_MAX, passwordProblemKeyed, verifyPassword } from './passwords.ts';
import { AccountProblem, ProblemList } from './problems.ts';
import { createTranslator, SOURCE_LOCALE, type Translator } from '../i18n/index.ts';
import { emailProblem, emailProblemKey, normaliseEmail } from './rules.ts';
import { deleteUserSessions } from './sessions.ts';
import { findAccountByEmail, findAccountById, findSignInCandidates, type Account } from './store.ts';
import { checkToken, spendToken, TOKEN_PROBLEM_KEY } from './tokens.ts';


/**
 * The account behind an address and password, or the one "not right" problem whatever was wrong: an
 * unknown address costs the same argon2 verification as a wrong password, so neither the answer nor
 * its timing says whether the address has an account.
 */
export async function authenticate(ctx: AppContext, input: { email: string; password: string }): Promise<Account> {
  const email = normaliseEmail(input.email);
  const candidates = emailProblem(email) ? [] : await findSignInCandidates(ctx.db.kysely, email);
  const password = input.password.slice(0, PASSWORD_MAX + 1);
  if (candidates.length === 0) await verifyPassword(null, password);
  for (const account of candidates) {
    if (await verifyPassword(account.passwordHash, password)) return account;
  }
  throw AccountProblem.keyed('password', 'invalid_credentials', 'accounts.problem.wrongCredentials', undefined, 401);
}

/**
 * Starts a password reset. The caller answers 202; the lookup, the token and the mail happen in a
 * job, so the response is the same, in content and in time, for any address.
 */
export async function requestPasswordReset(ctx: AppContext, rawEmail: string, locale?: string): Promise<void> {
  const email = normaliseEmail(rawEmail);
  if (emailProblem(email)) return;
  // The same write for any address; whether it has an account is found out by the job, which
  // speaks the language of the page it was asked from (`locale`) when the account chose none.
  await runCommand(ctx, (tx) => enqueueAccountMail(tx, { template: 'password_reset', email, ...(locale ? { locale } : {}) }));
}

/**
 * Whether a reset link is still good, so its page can say so before anyone types a password: what
 * is wrong with it in the reader's language (English without one), or null.
 */
export async function resetTokenProblem(ctx: AppContext, token: string, i18n: Translator = createTranslator(SOURCE_LOCALE)): Promise<string | null> {
  const found = await checkToken(ctx.db.kysely, token, 'password_reset');
  return found.ok ? null : i18n.t(TOKEN_PROBLEM_KEY[found.reason]);
}

/**
 * Sets a new password from a reset link. The password is checked before the link is spent (a weak
 * password does not cost the reader their link); then every session of the account ends. The link
 * also proves the reader reads that mailbox, so an unverified address becomes verified.
 */
export async function resetPassword(ctx: AppContext, input: { token: string; password: string }): Promise<Account> {
  const found = await checkToken(ctx.db.kysely, input.token, 'password_reset');
  if (!found.ok) throw AccountProblem.keyed('token', `token_${found.reason}`, TOKEN_PROBLEM_KEY[found.reason]);
  const before = await findAccountById(ctx.db.kysely, found.userId);
  if (!before) throw AccountProblem.keyed('token', 'token_unknown', TOKEN_PROBLEM_KEY.unknown);
  const weak = await passwordProblemKeyed(input.password, [before.email ?? '', before.displayName]);
  if (weak) throw AccountProblem.keyed('password', 'weak_password', weak.key, weak.values);
  const passwordHash = await hashPassword(input.password);
  return runCommand(ctx, async (tx) => {
    const spent = await spendToken(tx.db, input.token, 'password_reset');
    if (!spent.ok) throw AccountProblem.keyed('token', `token_${spent.reason}`, TOKEN_PROBLEM_KEY[spent.reason]);
    const now = new Date().toISOString();
    const account = await findAccountById(tx.db, spent.userId);
    await tx.db
      .updateTable('users')
      .set((eb) => ({ password_hash: passwordHash, updated_at: now, email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(now)) }))
      .where('id', '=', spent.userId)
      .execute();
    // An address verified here is verified as by its link: the imported profiles that gave it become the reader's.
    if (account?.email && !account.emailVerified) await claimImportedProfiles(tx.db, spent.userId, account.email, now);
    await deleteUserSessions(tx.db, spent.userId);
    tx.emit({ type: 'account.password_reset', stream: `user:${spent.userId}`, actorId: spent.userId, payload: { userId: spent.userId } });
    return (await findAccountById(tx.db, spent.userId))!;
  });
}

async function requireCurrentPassword(account: Account, password: string, field: 'currentPassword' | 'password' = 'currentPassword') {
  if (!account.passwordHash) {
    throw AccountProblem.keyed(field, 'no_password', 'accounts.problem.noPassword');
  }
  if (!(await verifyPassword(account.passwordHash, password.slice(0, PASSWORD_MAX + 1)))) {
    throw AccountProblem.keyed(field, 'wrong_password', 'accounts.problem.wrongPassword', undefined, 403);
  }
}

/** Changes the password (the current one is required) and signs out every other session. */
export async function changePassword(
  ctx: AppContext,
  userId: number,
  input: { currentPassword: string; newPassword: string; keepSessionId: number; locale?: string },
): Promise<void> {
  const account = await findAccountById(ctx.db.kysely, userId);
  if (!account) throw AccountProblem.keyed(null, 'unauthenticated', 'errors.auth.signInRequired', undefined, 401);
  await requireCurrentPassword(account, input.currentPassword);
  const weak = await passwordProblemKeyed(input.newPassword, [account.email ?? '', account.displayName]);
  if (weak) throw AccountProblem.keyed('newPassword', 'weak_password', weak.key, weak.values);
  const passwordHash = await hashPassword(input.newPassword);
  await runCommand(ctx, async (tx) => {
    await tx.db.updateTable('users').set({ password_hash: passwordHash, updated_at: new Date().toISOString() }).where('id', '=', userId).execute();
    await deleteUserSessions(tx.db, userId, input.keepSessionId);
    tx.emit({ type: 'account.password_changed', stream: `user:${userId}`, actorId: userId, payload: { userId } });
    if (account.email) await enqueueAccountMail(tx, { template: 'password_changed', email: account.email, ...(input.locale ? { locale: input.locale } : {}) });
  });
}

/**
 * Moves the account to a new address once the new address is confirmed. The answer is the same
 * whether or not the new address belongs to someone else: then its owner is told instead, and the
 * pending address can never be confirmed. The old address is told about the request.
 */
export async function changeEmail(ctx: AppContext, userId: number, input: { email: string; currentPassword: string; locale?: string }): Promise<{ pendingEmail: string }> {
  const account = await findAccountById(ctx.db.kysely, userId);
  if (!account) throw AccountProblem.keyed(null, 'unauthenticated', 'errors.auth.signInRequired', undefined, 401);
  const email = normaliseEmail(input.email);
  const problems = new ProblemList();
  problems.addKeyed('email', 'invalid_email', emailProblemKey(email));
  if (email === account.email) problems.add('email', 'same_email', 'That is already the address of your account.');
  problems.throwIfAny();
  await requireCurrentPassword(account, input.currentPassword);
  const owner = await findAccountByEmail(ctx.db.kysely, email);
  await runCommand(ctx, async (tx) => {
    await tx.db.updateTable('users').set({ pending_email: email, updated_at: new Date().toISOString() }).where('id', '=', userId).execute();
    tx.emit({ type: 'account.email_change_requested', stream: `user:${userId}`, actorId: userId, payload: { userId } });
    // The request's language (`locale`) goes with the mails to this reader's own addresses; the owner
    // of an address in use is someone else, who gets the site's language unless they chose one.
    const locale = input.locale ? { locale: input.locale } : {};
    await enqueueAccountMail(tx, owner ? { template: 'address_in_use', email } : { template: 'verify_email', userId, email, change: true, ...locale });
    if (account.email && account.emailVerified) await enqueueAccountMail(tx, { template: 'email_change_notice', email: account.email, ...locale });
  });
  return { pendingEmail: email };
}

export { requireCurrentPassword };
