import type { Kysely } from 'kysely';
import { prepared } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';
import { runCommand, type CommandContext } from '../events/command.ts';
import { NOTIFICATIONS_STREAM } from './model.ts';

// Reading and marking a reader's notifications.

export interface NotificationItem {
  id: number;
  kind: string;
  createdAt: string;
  readAt: string | null;
  actor: { handle: string; displayName: string } | null;
  article: { slug: string; headline: string } | null;
  commentId: number | null;
  /** How many readers a grouped notification (reactions) stands for. */
  actorCount: number;
}

export async function listNotifications(db: Kysely<Database>, userId: number, beforeId: number | null, limit: number): Promise<{ items: NotificationItem[]; next: number | null }> {
  let query = db
    .selectFrom('notifications as n')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'n.actor_id').on('u.deleted_at', 'is', null))
    .leftJoin('articles as a', 'a.id', 'n.article_id')
    .select(['n.id', 'n.kind', 'n.created_at', 'n.read_at', 'n.comment_id', 'n.actor_count', 'u.handle', 'u.display_name', 'a.slug', 'a.headline'])
    .where('n.recipient_id', '=', userId);
  if (beforeId !== null) query = query.where('n.id', '<', beforeId);
  const rows = await query.orderBy('n.id', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit).map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    createdAt: r.created_at,
    readAt: r.read_at,
    actor: r.handle ? { handle: r.handle, displayName: r.display_name! } : null,
    article: r.slug ? { slug: r.slug, headline: r.headline! } : null,
    commentId: r.comment_id === null ? null : Number(r.comment_id),
    actorCount: Number(r.actor_count),
  }));
  return { items, next: rows.length > limit ? items[items.length - 1]!.id : null };
}

// Read for every page a signed-in reader opens (the bell): built once.
const unread = prepared((db, a: { userId: number }) =>
  db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recipient_id', '=', a.userId)
    .where('read_at', 'is', null),
);

export async function unreadCount(db: Kysely<Database>, userId: number): Promise<number> {
  return Number((await unread.first(db, { userId }))?.n ?? 0);
}

/**
 * Marks some (ids) or all of the reader's notifications read; others' ids are ignored. The reader's
 * other open tabs hear of it through the live count (bell.ts), so every bell agrees.
 */
export async function markRead(ctx: CommandContext, userId: number, which: { ids: number[] } | { all: true }, now = new Date()): Promise<void> {
  if ('ids' in which && which.ids.length === 0) return;
  await runCommand(ctx, async (tx) => {
    let query = tx.db.updateTable('notifications').set({ read_at: now.toISOString() }).where('recipient_id', '=', userId).where('read_at', 'is', null);
    if ('ids' in which) query = query.where('id', 'in', which.ids);
    const result = await query.executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) tx.emit({ type: 'notifications.read', stream: NOTIFICATIONS_STREAM, actorId: userId, payload: { recipients: [userId] } });
  });
}
