import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Tx } from '../events/command.ts';
import { prepared } from '../db/prepared.ts';
import { recordStatusActivity } from '../conversations/store.ts';
import { countPassageChange } from '../passages/store.ts';
import { ancestorIds, type Comment } from './model.ts';

// What a change to a comment moves besides its own row, in the change's transaction: its place in its
// thread (each ancestor's reply count), the article's count, the author's counts by status; and, on
// PostgreSQL, the thread locks that keep concurrent changes in one thread from reading each other's
// half-done state. The reads a page makes are in store.ts.

type Db = Kysely<Database>;

/**
 * Keeps the counters true when moderation changes a comment's status, in the caller's transaction. The
 * article counts comments everyone can read (approved, not deleted); a thread's reply counts count the
 * places a reader passes when paging: approved comments, and hidden ones that keep a place for replies.
 */
export async function recountForStatus(
  tx: Pick<Tx, 'db' | 'dialect'>,
  c: Pick<Comment, 'id' | 'articleId' | 'rootId' | 'path' | 'descendantCount' | 'deletedAt'> & { authorId: number },
  from: string,
  to: string,
): Promise<void> {
  const db = tx.db;
  await countAuthorStatus(db, c.authorId, from, to);
  const counted = (s: string) => (s === 'approved' && c.deletedAt === null ? 1 : 0);
  const place = (s: string) => (counted(s) || c.descendantCount > 0 ? 1 : 0);
  const dPlace = place(to) - place(from);
  if (dPlace !== 0) await movePlaces(tx, [{ rootId: c.rootId, path: c.path, delta: dPlace }]);
  const dCount = counted(to) - counted(from);
  if (dCount !== 0) {
    await db
      .updateTable('articles')
      .set((eb) => ({ comment_count: eb('comment_count', '+', dCount) }))
      .where('id', '=', c.articleId)
      .execute();
    await recordStatusActivity(db, c.articleId, c.id, dCount > 0 ? 1 : -1);
    await countPassageChange(db, [c.id], dCount > 0 ? 1 : -1);
  }
}

/**
 * The comments whose places a change is about to move, by id, with what movePlaces judges them by; on
 * PostgreSQL locked until the change commits, in id order, so that two changes in one thread wait for
 * each other rather than deadlock.
 */
export function placeRows(tx: Pick<Tx, 'db' | 'dialect'>, ids: number[]) {
  return tx.db
    .selectFrom('comments')
    .select(['id', 'root_id', 'path', 'status', 'deleted_at', 'descendant_count'])
    .where('id', 'in', ids)
    .orderBy('id')
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .execute();
}

/**
 * On PostgreSQL, locks the threads the given comments sit in before a change reads their state: each
 * comment and its ancestors, all in id order, as placeRows (an ancestor's id is below its replies').
 * A change that locked a comment and then its ancestors (to move their counts) met a reply that locks
 * its parent's thread from the first comment down: each held what the other waited for, until
 * PostgreSQL broke the deadlock after deadlock_timeout (a second) and the aborted one ran again.
 */
export async function lockThreads(tx: Pick<Tx, 'db' | 'dialect'>, commentIds: number[]): Promise<void> {
  if (tx.dialect !== 'postgres' || commentIds.length === 0) return;
  const ids = new Set<number>();
  for (let i = 0; i < commentIds.length; i += 500) {
    const rows = await tx.db.selectFrom('comments').select(['id', 'root_id', 'path']).where('id', 'in', commentIds.slice(i, i + 500)).execute();
    for (const row of rows) {
      ids.add(Number(row.id));
      for (const id of ancestorIds({ rootId: row.root_id === null ? null : Number(row.root_id), path: row.path })) ids.add(id);
    }
  }
  const ordered = [...ids].sort((a, b) => a - b);
  for (let i = 0; i < ordered.length; i += 500) await placeRows(tx, ordered.slice(i, i + 500));
}

/**
 * A comment gained (+1) or lost (-1) its place in its thread: every ancestor's reply count follows. An
 * ancestor that has no place of its own (deleted, held or rejected) keeps one only while a reply below
 * it has one, so it gains or loses its own place with its first or last such reply, and so on upwards.
 *
 * What an ancestor's count does next depends on its state, so on PostgreSQL the ancestors are read
 * locked (in id order, as replies lock their thread): a moderator approving a reply read its parent
 * undeleted while the parent's deletion was in flight, and the parent's new place for that reply
 * never reached the thread's first comment.
 */
export async function movePlaces(tx: Pick<Tx, 'db' | 'dialect'>, changes: { rootId: number | null; path: string; delta: number }[]): Promise<void> {
  const db = tx.db;
  let pending = changes;
  while (pending.length > 0) {
    const deltas = new Map<number, number>();
    for (const change of pending) for (const id of ancestorIds(change)) deltas.set(id, (deltas.get(id) ?? 0) + change.delta);
    pending = [];
    const ids = [...deltas.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const before = await placeRows(tx, chunk);
      // One update per distinct delta, not per ancestor: a batch of changes (an import) shares most.
      const idsByDelta = new Map<number, number[]>();
      for (const row of before) {
        const delta = deltas.get(Number(row.id))!;
        if (delta === 0) continue;
        const sameDelta = idsByDelta.get(delta);
        if (sameDelta) sameDelta.push(Number(row.id));
        else idsByDelta.set(delta, [Number(row.id)]);
      }
      for (const [delta, sameDelta] of idsByDelta) {
        await db
          .updateTable('comments')
          .set((eb) => ({ descendant_count: eb('descendant_count', '+', delta) }))
          .where('id', 'in', sameDelta)
          .execute();
      }
      for (const row of before) {
        const delta = deltas.get(Number(row.id))!;
        if (delta === 0) continue;
        if (row.status === 'approved' && row.deleted_at === null) continue;
        const was = Number(row.descendant_count) > 0;
        const is = Number(row.descendant_count) + delta > 0;
        if (was !== is) pending.push({ rootId: row.root_id === null ? null : Number(row.root_id), path: row.path, delta: is ? 1 : -1 });
      }
    }
  }
}

const countDeltas = prepared((db, a: { userId: number; approved: number; held: number; rejected: number; approvedNew: number; heldNew: number; rejectedNew: number }) =>
  db
    .insertInto('author_comment_counts')
    .values({ user_id: a.userId, approved_count: a.approvedNew, held_count: a.heldNew, rejected_count: a.rejectedNew })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({
        approved_count: eb(eb.ref('author_comment_counts.approved_count'), '+', a.approved),
        held_count: eb(eb.ref('author_comment_counts.held_count'), '+', a.held),
        rejected_count: eb(eb.ref('author_comment_counts.rejected_count'), '+', a.rejected),
      })),
    ),
);

/** Moves one of the author's comments between status counts (from null: a new comment). */
export async function countAuthorStatus(db: Db, authorId: number, from: string | null, to: string): Promise<void> {
  if (from === to) return;
  const delta = (s: string) => (to === s ? 1 : 0) - (from === s ? 1 : 0);
  const approved = delta('approved');
  const held = delta('held');
  const rejected = delta('rejected');
  if (approved === 0 && held === 0 && rejected === 0) return;
  await countDeltas.run(db, { userId: authorId, approved, held, rejected, approvedNew: Math.max(0, approved), heldNew: Math.max(0, held), rejectedNew: Math.max(0, rejected) });
}
