import type { Tx } from '../events/command.ts';
import type { StoredEvent } from '../events/outbox.ts';
import type { SubscriberOptions } from '../events/subscriber.ts';
import type { NotificationKind } from './model.ts';

// The notifications fan-out: a durable subscriber that turns comment and follow events into
// notification rows AFTER the change committed, in its own transaction — so a comment by a reader
// with 10,000 followers costs their POST one event row, never 10,000 inserts. Each event is handled
// once (subscriber.ts); the (recipient, event) unique key makes a repeat harmless anyway.
// Mail for the kinds set to "immediate" will be enqueued here as jobs in the same transaction.

const CHUNK = 500;

/** When one comment concerns a reader in several ways, they hear of it once, as the most personal. */
const PRIORITY: NotificationKind[] = ['reply', 'followed_reader_comment', 'followed_article_comment'];

async function notify(tx: Tx, event: StoredEvent, rows: { recipientId: number; kind: NotificationKind; actorId: number | null; articleId?: number | null; commentId?: number | null }[]) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx.db
      .insertInto('notifications')
      .values(
        rows.slice(i, i + CHUNK).map((r) => ({
          recipient_id: r.recipientId,
          kind: r.kind,
          actor_id: r.actorId,
          article_id: r.articleId ?? null,
          comment_id: r.commentId ?? null,
          event_id: event.id,
          created_at: event.createdAt,
        })),
      )
      .onConflict((oc) => oc.columns(['recipient_id', 'event_id']).doNothing())
      .execute();
  }
}

/** Everyone who muted this reader: they get nothing caused by them. */
async function mutersOf(tx: Tx, userId: number): Promise<Set<number>> {
  const rows = await tx.db.selectFrom('reader_mutes').select('muter_id').where('muted_id', '=', userId).execute();
  return new Set(rows.map((r) => Number(r.muter_id)));
}

async function onCommentCreated(event: StoredEvent, tx: Tx): Promise<void> {
  const commentId = Number(event.payload.commentId);
  const comment = await tx.db.selectFrom('comments').select(['id', 'author_id', 'parent_id', 'article_id', 'deleted_at']).where('id', '=', commentId).executeTakeFirst();
  if (!comment || comment.deleted_at) return;
  const authorId = Number(comment.author_id);
  const articleId = Number(comment.article_id);
  const found = new Map<number, NotificationKind>();
  const offer = (ids: number[], kind: NotificationKind) => {
    for (const id of ids) {
      const had = found.get(id);
      if (!had || PRIORITY.indexOf(kind) < PRIORITY.indexOf(had)) found.set(id, kind);
    }
  };
  if (comment.parent_id !== null) {
    const parent = await tx.db.selectFrom('comments').select('author_id').where('id', '=', Number(comment.parent_id)).executeTakeFirst();
    if (parent) offer([Number(parent.author_id)], 'reply');
  }
  offer((await tx.db.selectFrom('reader_follows').select('follower_id').where('followee_id', '=', authorId).execute()).map((r) => Number(r.follower_id)), 'followed_reader_comment');
  offer((await tx.db.selectFrom('article_follows').select('user_id').where('article_id', '=', articleId).execute()).map((r) => Number(r.user_id)), 'followed_article_comment');
  found.delete(authorId);
  const muters = await mutersOf(tx, authorId);
  const rows = [...found]
    .filter(([recipientId]) => !muters.has(recipientId))
    .sort(([a], [b]) => a - b)
    .map(([recipientId, kind]) => ({ recipientId, kind, actorId: authorId, articleId, commentId }));
  await notify(tx, event, rows);
}

async function onReaderFollowed(event: StoredEvent, tx: Tx): Promise<void> {
  const followerId = Number(event.payload.followerId);
  const followeeId = Number(event.payload.followeeId);
  if ((await mutersOf(tx, followerId)).has(followeeId)) return;
  await notify(tx, event, [{ recipientId: followeeId, kind: 'new_follower', actorId: followerId }]);
}

export function notificationsFanout(): SubscriberOptions {
  return {
    name: 'community.notifications',
    types: ['comment.created', 'reader.followed'],
    // A new install (or this stage's first deploy) does not notify about the past.
    startFrom: 'now',
    async handle(event, tx) {
      if (event.type === 'comment.created') await onCommentCreated(event, tx);
      else if (event.type === 'reader.followed') await onReaderFollowed(event, tx);
    },
  };
}
