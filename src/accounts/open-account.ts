import { prepared } from '../db/prepared.ts';
import type { Tx } from '../events/command.ts';

const deletedAt = prepared((db, a: { id: number }) => db.selectFrom('users').select('deleted_at').where('id', '=', a.id));

const lockedRow = (tx: Tx, userId: number, lock: 'share' | 'update') =>
  tx.db
    .selectFrom('users')
    .select('deleted_at')
    .where('id', '=', userId)
    .$call((q) => (lock === 'update' ? q.forUpdate() : q.forShare()))
    .executeTakeFirst();

/**
 * On PostgreSQL, locks a reader's row until the transaction ends: the one row that orders the changes
 * of one reader made side by side (a deletion of the account, a replacement of a moderator's sites,
 * two comments and the rate check between them). SQLite's write transactions never overlap.
 */
export async function lockAccount(tx: Tx, userId: number, lock: 'share' | 'update' = 'update'): Promise<void> {
  if (tx.dialect === 'postgres') await lockedRow(tx, userId, lock);
}

/**
 * Whether the acting reader's account is still open as this transaction sees it. A request reads its
 * session first and writes later; an account deleted in between has had its comments, reactions and
 * follows erased, and a write made now would outlive the erasure. On PostgreSQL the row is locked as
 * well (lockAccount): a deletion in progress (accounts/profile.ts deleteAccount locks it first) waits
 * for this change and then erases it, or this change waits for the deletion and finds the account gone.
 * `update` also serialises two changes of one reader (the comment rate check).
 */
export async function accountOpen(tx: Tx, userId: number, lock: 'share' | 'update' = 'share'): Promise<boolean> {
  const row = tx.dialect === 'postgres' ? await lockedRow(tx, userId, lock) : await deletedAt.first(tx.db, { id: userId });
  return row !== undefined && !row.deleted_at;
}
