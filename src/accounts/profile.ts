import { audit } from '../moderation/audit.ts';
import type { AppContext } from '../context.ts';
import { runCommand, type Tx } from '../events/command.ts';
import { requireCurrentPassword } from './credentials.ts';
import { forgetDevices, listDevices } from './known-devices.ts';
import type { Role } from './model.ts';
import { AccountProblem, ProblemList } from './problems.ts';
import { nameTaken } from './registration.ts';
import { BIO_MAX, checkDisplayName, normaliseEmail } from './rules.ts';
import { displayNameTaken, findAccountByEmail, findAccountById, handleHash, listSessions, visibleAddresses, type Account } from './store.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { lockAccount } from './open-account.ts';

const unauthenticated = () => AccountProblem.keyed(null, 'unauthenticated', 'errors.auth.signInRequired', undefined, 401);

/** Changes what other readers see: display name (still unique) and the short bio. The handle stays. */
export async function updateProfile(ctx: AppContext, userId: number, input: { displayName?: string; bio?: string }): Promise<Account> {
  const problems = new ProblemList();
  let name: { value: string; key: string } | null = null;
  if (input.displayName !== undefined) {
    const checked = checkDisplayName(input.displayName);
    if ('problem' in checked) problems.addKeyed('displayName', 'invalid_display_name', checked.key, checked.values);
    else if (await displayNameTaken(ctx.db.kysely, checked.name.key, userId)) {
      problems.addKeyed('displayName', 'display_name_taken', nameTaken(checked.name.value).key, nameTaken(checked.name.value).values, 409);
    } else name = checked.name;
  }
  const bio = input.bio?.normalize('NFC').trim().replace(/\r\n/g, '\n');
  if (bio !== undefined && [...bio].length > BIO_MAX) {
    problems.addKeyed('bio', 'bio_too_long', 'accounts.problem.bioTooLong', { max: BIO_MAX, length: [...bio].length });
  }
  problems.throwIfAny();
  try {
    return await runCommand(ctx, async (tx) => {
      const changes = {
        ...(name ? { display_name: name.value, display_name_key: name.key } : {}),
        ...(bio !== undefined ? { bio } : {}),
        updated_at: new Date().toISOString(),
      };
      const result = await tx.db.updateTable('users').set(changes).where('id', '=', userId).where('deleted_at', 'is', null).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw unauthenticated();
      tx.emit({ type: 'account.profile_updated', stream: `user:${userId}`, actorId: userId, payload: { userId } });
      return (await findAccountById(tx.db, userId))!;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'display_name_key')) throw AccountProblem.keyed('displayName', 'display_name_taken', nameTaken(name!.value).key, nameTaken(name!.value).values, 409);
    throw error;
  }
}

/** "Download my data": everything Parley holds about the reader, with every feature's part under its name. */
export async function exportPersonalData(ctx: AppContext, userId: number): Promise<Record<string, unknown>> {
  const account = await findAccountById(ctx.db.kysely, userId);
  if (!account) throw unauthenticated();
  const sessions = await listSessions(ctx.db.kysely, userId);
  const data: Record<string, unknown> = {
    exportedAt: new Date().toISOString(),
    account: {
      handle: account.handle,
      displayName: account.displayName,
      ...visibleAddresses(account),
      emailVerified: account.emailVerified,
      bio: account.bio,
      role: account.role,
      createdAt: account.createdAt,
      hasPassword: account.passwordHash !== null,
    },
    sessions: sessions.map((s) => ({ userAgent: s.userAgent, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt })),
    knownDevices: await listDevices(ctx.db.kysely, userId),
  };
  for (const handler of ctx.personalData) data[handler.name] = await handler.export(ctx.db.kysely, userId);
  return data;
}

/** What a deleted account becomes: a row that keeps other features' references valid, and no personal data. */
export const DELETED_READER_NAME = 'Deleted reader';

/**
 * "Delete my account": in one transaction, every feature erases its part (ctx.personalData — the
 * comments feature decides there what happens to comments), then the account loses its address,
 * password, name, bio and handle (whose hash is kept so it is never handed out again), and every
 * session and token goes.
 */
export async function deleteAccount(ctx: AppContext, userId: number, input: { password: string }): Promise<void> {
  const account = await findAccountById(ctx.db.kysely, userId);
  if (!account) throw unauthenticated();
  if (account.passwordHash) await requireCurrentPassword(account, input.password, 'password');
  const now = new Date().toISOString();
  await runCommand(ctx, async (tx) => {
    // First, on PostgreSQL: a comment the reader posts meanwhile (its transaction locks this row too)
    // commits before the erasure reads their comments, or finds the account deleted; never after it.
    await lockAccount(tx, userId);
    for (const handler of ctx.personalData) await handler.erase(tx, userId);
    await tx.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await forgetDevices(tx.db, userId);
    await tx.db.deleteFrom('account_tokens').where('user_id', '=', userId).execute();
    await tx.db.insertInto('retired_handles').values({ handle_hash: handleHash(account.handle), retired_at: now }).execute();
    await tx.db
      .updateTable('users')
      .set({
        email: null,
        pending_email: null,
        email_verified_at: null,
        password_hash: null,
        display_name: DELETED_READER_NAME,
        display_name_key: null,
        // A dot never appears in a generated handle, so this cannot collide with a reader's.
        handle: `deleted.${userId}`,
        bio: '',
        updated_at: now,
        deleted_at: now,
      })
      .where('id', '=', userId)
      .execute();
    tx.emit({ type: 'account.deleted', stream: `user:${userId}`, actorId: null, payload: { userId } });
  });
}

/** `parley user role`: the auth hook sees the new role on the next request and rotates that session's token. */
/**
 * The one way a role changes (admin pages and the command line): the account, its event and the
 * audit entry in one transaction. Sessions pick up the new role and rotate on their next request.
 */
export async function applyRoleChange(
  tx: Tx,
  target: { id: number; role: string },
  role: Role,
  actorId: number | null,
  reason: string | null,
  now = new Date(),
): Promise<void> {
  await tx.db.updateTable('users').set({ role, updated_at: now.toISOString() }).where('id', '=', target.id).execute();
  tx.emit({ type: 'account.role_changed', stream: `user:${target.id}`, actorId, payload: { userId: target.id, from: target.role, role } });
  await audit(tx, { actorId, action: 'reader.role', targetType: 'reader', targetId: target.id, reason, detail: { from: target.role, to: role } }, now);
}

/** `parley user role E ROLE`: an operator on the server, so the audit entry has no actor. */
export async function setRole(ctx: AppContext, rawEmail: string, role: Role): Promise<Account | null> {
  const account = await findAccountByEmail(ctx.db.kysely, normaliseEmail(rawEmail));
  if (!account) return null;
  if (account.role !== role) {
    await runCommand(ctx, (tx) => applyRoleChange(tx, account, role, null, 'changed with the command line'));
  }
  return { ...account, role };
}
