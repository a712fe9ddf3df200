import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { runCommand } from '../events/command.ts';
import { t } from '../i18n/index.ts';
import { enqueueAccountMail, type AccountMail } from './mail-jobs.ts';
import type { Role } from './model.ts';
import { hashPassword, passwordProblemKeyed } from './passwords.ts';
import { AccountProblem, ProblemList } from './problems.ts';
import { checkDisplayName, emailProblemKey, handleBase, normaliseEmail } from './rules.ts';
import { displayNameTaken, findAccountByEmail, findAccountById, handleAvailable, type Account } from './store.ts';
import { spendToken, TOKEN_PROBLEM_KEY } from './tokens.ts';
import { claimImportedProfiles } from '../migrate-comments/claim.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';

export interface RegisterInput {
  email: string;
  password: string;
  displayName: string;
  /** The page the reader registered from: the verification link leads back there. */
  next?: string | null;
  /** The language of the page the reader registered on: their first mail speaks it (mail-jobs.ts). */
  locale?: string;
}

/** The catalog message for a display name someone else has (accounts.problem.nameTaken). */
export const nameTaken = (name: string) => ({ key: 'accounts.problem.nameTaken', values: { name } }) as const;

export const nameTakenMessage = (name: string) => t('en', nameTaken(name).key, nameTaken(name).values);

const HANDLE_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const randomSuffix = (n: number) => [...randomBytes(n)].map((b) => HANDLE_ALPHABET[b % HANDLE_ALPHABET.length]).join('');

/** A readable handle from the display name; a short random suffix when it is taken or was ever used. */
export async function pickHandle(db: Kysely<Database>, displayName: string): Promise<string> {
  const base = handleBase(displayName);
  if (await handleAvailable(db, base)) return base;
  for (let length = 4; ; length++) {
    const candidate = `${base}-${randomSuffix(length)}`;
    if (await handleAvailable(db, candidate)) return candidate;
  }
}

/** Checks the three registration fields together, so a form can show every problem at once. */
async function checkRegistration(db: Kysely<Database>, input: RegisterInput) {
  const problems = new ProblemList();
  const email = normaliseEmail(input.email);
  problems.addKeyed('email', 'invalid_email', emailProblemKey(email));
  const checked = checkDisplayName(input.displayName);
  if ('problem' in checked) problems.addKeyed('displayName', 'invalid_display_name', checked.key, checked.values);
  else if (await displayNameTaken(db, checked.name.key)) problems.addKeyed('displayName', 'display_name_taken', nameTaken(checked.name.value).key, nameTaken(checked.name.value).values, 409);
  const name = 'name' in checked ? checked.name : null;
  const weak = await passwordProblemKeyed(input.password, [email, name?.value ?? input.displayName]);
  if (weak) problems.addKeyed('password', 'weak_password', weak.key, weak.values);
  problems.throwIfAny();
  return { email, name: name! };
}


/**
 * Creates an account and answers the same way whether or not the address already has one, so that
 * registering cannot be used to find out who reads here:
 * - a new address: the account holds it, unverified, and a verification link goes to it;
 * - an address that belongs to an account: a new account is still created (the caller gets the same
 *   201 and session), but the address is only *pending* on it and can never be verified there; its
 *   owner gets a "someone tried to register with your address" mail instead of a link.
 * Both paths hash the password, write the account in one transaction and send one mail after the
 * response, so neither the answer nor its timing differs.
 */
export async function register(ctx: AppContext, input: RegisterInput): Promise<Account> {
  const { email, name } = await checkRegistration(ctx.db.kysely, input);
  const passwordHash = await hashPassword(input.password);
  for (let attempt = 0; ; attempt++) {
    try {
      return await insertAccount(ctx, { email, name, passwordHash, role: 'reader', verified: false, next: input.next ?? null, ...(input.locale ? { locale: input.locale } : {}) });
    } catch (error) {
      if (isUniqueViolation(error, 'display_name_key')) {
        throw AccountProblem.keyed('displayName', 'display_name_taken', nameTaken(name.value).key, nameTaken(name.value).values, 409);
      }
      // Two registrations raced for one handle or address: the next attempt sees the winner.
      if (attempt < 3 && (isUniqueViolation(error, 'handle') || isUniqueViolation(error, 'email'))) continue;
      throw error;
    }
  }
}

interface NewAccount {
  email: string;
  name: { value: string; key: string };
  passwordHash: string | null;
  role: Role;
  /** Accounts made on the command line are vouched for by the admin. */
  verified: boolean;
  next?: string | null;
  locale?: string;
}

async function insertAccount(ctx: AppContext, account: NewAccount): Promise<Account> {
  const now = new Date().toISOString();
  const user = await runCommand(ctx, async (tx) => {
    const owner = await findAccountByEmail(tx.db, account.email);
    const handle = await pickHandle(tx.db, account.name.value);
    const row = await tx.db
      .insertInto('users')
      .values({
        email: owner ? null : account.email,
        pending_email: owner ? account.email : null,
        email_verified_at: account.verified && !owner ? now : null,
        password_hash: account.passwordHash,
        display_name: account.name.value,
        display_name_key: account.name.key,
        handle,
        bio: '',
        role: account.role,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    tx.emit({ type: 'account.registered', stream: `user:${id}`, actorId: id, payload: { userId: id } });
    const locale = account.locale ? { locale: account.locale } : {};
    if (owner) await enqueueAccountMail(tx, { template: 'already_registered', email: account.email, ...locale });
    else if (!account.verified) await enqueueAccountMail(tx, { template: 'verify_email', userId: id, email: account.email, change: false, ...(account.next ? { next: account.next } : {}), ...locale });
    return id;
  });
  return (await findAccountById(ctx.db.kysely, user))!;
}

/** The command line's `user create`: the admin knows the address is real, and a taken one is an error. */
export async function createAccount(ctx: AppContext, input: RegisterInput & { role: Role }): Promise<Account> {
  const { email, name } = await checkRegistration(ctx.db.kysely, input);
  if (await findAccountByEmail(ctx.db.kysely, email)) {
    throw AccountProblem.keyed('email', 'email_taken', 'accounts.problem.emailExists', { email }, 409);
  }
  return insertAccount(ctx, { email, name, passwordHash: await hashPassword(input.password), role: input.role, verified: true });
}

/** Follows a verification link: it confirms the address it was sent to, once. */
export async function verifyEmail(ctx: AppContext, token: string): Promise<Account> {
  return runCommand(ctx, async (tx) => {
    const spent = await spendToken(tx.db, token, 'verify_email');
    if (!spent.ok) throw AccountProblem.keyed('token', `token_${spent.reason}`, TOKEN_PROBLEM_KEY[spent.reason]);
    const account = await findAccountById(tx.db, spent.userId);
    if (!account || !spent.email) throw AccountProblem.keyed('token', 'token_unknown', TOKEN_PROBLEM_KEY.unknown);
    const now = new Date().toISOString();
    if (spent.email === account.email) {
      await tx.db.updateTable('users').set({ email_verified_at: now, updated_at: now }).where('id', '=', account.id).execute();
    } else if (spent.email === account.pendingEmail) {
      const owner = await findAccountByEmail(tx.db, spent.email);
      if (owner) throw AccountProblem.keyed('token', 'email_taken', 'accounts.problem.emailNowTaken', undefined, 409);
      await tx.db
        .updateTable('users')
        .set({ email: spent.email, pending_email: null, email_verified_at: now, updated_at: now })
        .where('id', '=', account.id)
        .execute();
    } else {
      // The account has moved to another address since this mail was sent.
      throw AccountProblem.keyed('token', 'token_unknown', TOKEN_PROBLEM_KEY.unknown);
    }
    await claimImportedProfiles(tx.db, account.id, spent.email, now);
    tx.emit({ type: 'account.email_verified', stream: `user:${account.id}`, actorId: account.id, payload: { userId: account.id } });
    return (await findAccountById(tx.db, account.id))!;
  });
}

/**
 * Sends the verification link again: to the pending address if there is one, else to the unverified
 * one. A pending address that belongs to someone else gets its owner's notice again, never a link.
 * `locale`: the language of the page it was asked from, for a reader who has not chosen one.
 */
export async function resendVerification(ctx: AppContext, userId: number, locale?: string): Promise<void> {
  const account = await findAccountById(ctx.db.kysely, userId);
  if (!account) return;
  const target = account.pendingEmail ?? (account.emailVerified ? null : account.email);
  if (!target) return;
  const owner = account.pendingEmail ? await findAccountByEmail(ctx.db.kysely, account.pendingEmail) : null;
  const mail: AccountMail = owner
    ? { template: 'already_registered', email: target }
    : { template: 'verify_email', userId, email: target, change: target !== account.email, ...(locale ? { locale } : {}) };
  await runCommand(ctx, (tx) => enqueueAccountMail(tx, mail));
}
