import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Tx } from '../events/command.ts';
import type { StoredEvent } from '../events/outbox.ts';
import type { SubscriberOptions } from '../events/subscriber.ts';
import { deliver } from './delivery.ts';
import { authorKey, mentionedHandles, type NotificationKind } from './model.ts';

// The notifications fan-out: a durable subscriber that turns comment, reaction, follow and article
// events into notification rows AFTER the change committed, in its own transaction — so a comment by
// a reader with 10,000 followers costs their POST one event row, never 10,000 inserts. Each event is
// handled once (subscriber.ts); the (recipient, event) unique key makes a repeat harmless anyway.
// Mail jobs and the live bell's event are written in the same transaction (delivery.ts).

const CHUNK = 500;

/** When one comment concerns a reader in several ways, they hear of it once, as the most personal. */
const PRIORITY: NotificationKind[] = ['reply', 'mention'];

interface Row {
  recipientId: number;
  kind: NotificationKind;
  actorId: number | null;
  articleId?: number | null;
  commentId?: number | null;
  actorCount?: number;
}

async function notify(tx: Tx, event: StoredEvent, rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const inserted = await tx.db
      .insertInto('notifications')
      .values(
        rows.slice(i, i + CHUNK).map((r) => ({
          recipient_id: r.recipientId,
          kind: r.kind,
          actor_id: r.actorId,
          article_id: r.articleId ?? null,
          comment_id: r.commentId ?? null,
          actor_count: r.actorCount ?? 1,
          event_id: event.id,
          created_at: event.createdAt,
        })),
      )
      .onConflict((oc) => oc.columns(['recipient_id', 'event_id']).doNothing())
      .returning(['recipient_id', 'kind'])
      .execute();
    const byKind = new Map<NotificationKind, number[]>();
    for (const r of inserted) {
      const kind = r.kind as NotificationKind;
      byKind.set(kind, [...(byKind.get(kind) ?? []), Number(r.recipient_id)]);
    }
    for (const [kind, recipients] of byKind) await deliver(tx, event, kind, recipients);
  }
}

/**
 * The same for an audience the database already lists (followers): the rows are made by one
 * INSERT … SELECT, so 10,000 followers cost the process a list of ids, not 10,000 rows built in
 * JavaScript (which held the event loop, and every request with it, for a few hundred milliseconds).
 * Kinds are written most personal first, so the unique (recipient, event) key keeps the first one.
 */
async function notifyAudience(
  tx: Tx,
  event: StoredEvent,
  kind: NotificationKind,
  audience: SelectQueryBuilder<Database, any, { id: number }>,
  about: { actorId: number | null; articleId: number | null; commentId: number | null },
): Promise<void> {
  const int = (v: number | null) => sql<number>`cast(${v} as bigint)`;
  const candidates = tx.db.selectFrom(audience.as('a')).select([
    'a.id as recipient_id',
    sql<string>`cast(${kind} as text)`.as('kind'),
    int(about.actorId).as('actor_id'),
    int(about.articleId).as('article_id'),
    int(about.commentId).as('comment_id'),
    int(event.id).as('event_id'),
    sql<string>`cast(${event.createdAt} as text)`.as('created_at'),
  ]);
  // Nobody hears of their own doing, nor of a reader they muted.
  const filtered = candidates.where((eb) =>
    about.actorId === null
      ? eb.lit(true)
      : eb.and([eb('a.id', '!=', about.actorId), eb.not(eb.exists(eb.selectFrom('reader_mutes as m').select('m.muter_id').whereRef('m.muter_id', '=', 'a.id').where('m.muted_id', '=', about.actorId)))]),
  );
  const inserted = await tx.db
    .insertInto('notifications')
    .columns(['recipient_id', 'kind', 'actor_id', 'article_id', 'comment_id', 'event_id', 'created_at'])
    .expression(filtered)
    .onConflict((oc) => oc.columns(['recipient_id', 'event_id']).doNothing())
    .returning('recipient_id')
    .execute();
  const recipients = inserted.map((r) => Number(r.recipient_id));
  for (let i = 0; i < recipients.length; i += CHUNK) await deliver(tx, event, kind, recipients.slice(i, i + CHUNK));
}

/** Everyone who muted this reader: they get nothing caused by them. */
async function mutersOf(tx: Tx, userId: number): Promise<Set<number>> {
  const rows = await tx.db.selectFrom('reader_mutes').select('muter_id').where('muted_id', '=', userId).execute();
  return new Set(rows.map((r) => Number(r.muter_id)));
}

async function onCommentCreated(event: StoredEvent, tx: Tx): Promise<void> {
  const commentId = Number(event.payload.commentId);
  const comment = await tx.db.selectFrom('comments').select(['id', 'author_id', 'parent_id', 'article_id', 'deleted_at', 'body']).where('id', '=', commentId).executeTakeFirst();
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
  const handles = mentionedHandles(comment.body);
  if (handles.length > 0) {
    const mentioned = await tx.db.selectFrom('users').select('id').where('handle', 'in', handles).where('deleted_at', 'is', null).execute();
    offer(mentioned.map((r) => Number(r.id)), 'mention');
  }
  found.delete(authorId);
  const muters = await mutersOf(tx, authorId);
  const told = await alreadyTold(tx, commentId);
  const rows = [...found]
    .filter(([recipientId]) => !muters.has(recipientId) && !told.has(recipientId))
    .sort(([a], [b]) => a - b)
    .map(([recipientId, kind]) => ({ recipientId, kind, actorId: authorId, articleId, commentId }));
  // The personal kinds first (a handful of rows); then the audiences, which the unique key leaves
  // alone where a more personal notification is already there.
  await notify(tx, event, rows);
  const about = { actorId: authorId, articleId, commentId };
  const untold = (eb: ExpressionBuilder<any, any>, column: string) =>
    eb.not(eb.exists(eb.selectFrom('notifications as n').select('n.id').where('n.comment_id', '=', commentId).where('n.kind', 'in', PUBLISHED_KINDS).whereRef('n.recipient_id', '=', column)));
  await notifyAudience(tx, event, 'followed_reader_comment', tx.db.selectFrom('reader_follows').select('follower_id as id').where('followee_id', '=', authorId).where((eb) => untold(eb, 'follower_id')), about);
  await notifyAudience(tx, event, 'followed_article_comment', tx.db.selectFrom('article_follows').select('user_id as id').where('article_id', '=', articleId).where((eb) => untold(eb, 'user_id')), about);
}

/**
 * What a comment's publication tells readers. A comment is published when it is posted, or later when
 * a moderator approves it (a held comment told nobody: nobody could read it). Approved again after
 * being hidden, it is the same comment: whoever was told about it once is not told again.
 */
const PUBLISHED_KINDS: NotificationKind[] = ['reply', 'mention', 'followed_reader_comment', 'followed_article_comment'];

async function alreadyTold(tx: Tx, commentId: number): Promise<Set<number>> {
  const rows = await tx.db.selectFrom('notifications').select('recipient_id').where('comment_id', '=', commentId).where('kind', 'in', PUBLISHED_KINDS).execute();
  return new Set(rows.map((r) => Number(r.recipient_id)));
}

/**
 * Reactions are grouped: a comment's author has one reaction notification per comment, replaced by
 * each new reaction (so it comes back to the top, unread, with the new count) and recounted when one
 * is taken back. Readers the author muted are not counted and cause nothing.
 */
async function onReactionChanged(event: StoredEvent, tx: Tx): Promise<void> {
  const commentId = Number(event.payload.commentId);
  const actorId = event.actorId;
  const comment = await tx.db.selectFrom('comments').select(['author_id', 'article_id', 'deleted_at']).where('id', '=', commentId).executeTakeFirst();
  if (!comment || comment.deleted_at || actorId === null) return;
  const authorId = Number(comment.author_id);
  if (authorId === actorId) return;
  const muted = (await tx.db.selectFrom('reader_mutes').select('muted_id').where('muter_id', '=', authorId).execute()).map((r) => Number(r.muted_id));
  const counted = await tx.db
    .selectFrom('comment_reactions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('comment_id', '=', commentId)
    .where('user_id', '!=', authorId)
    .$if(muted.length > 0, (q) => q.where('user_id', 'not in', muted))
    .executeTakeFirstOrThrow();
  const count = Number(counted.n);
  const added = await tx.db.selectFrom('comment_reactions').select('user_id').where('comment_id', '=', commentId).where('user_id', '=', actorId).executeTakeFirst();
  const group = tx.db.selectFrom('notifications').select('id').where('comment_id', '=', commentId).where('kind', '=', 'reaction').where('recipient_id', '=', authorId);
  if (!added || muted.includes(actorId)) {
    // Taken back (or by a muted reader): the group only recounts, and goes when nobody is left.
    if (count === 0) await tx.db.deleteFrom('notifications').where('id', 'in', group).execute();
    else await tx.db.updateTable('notifications').set({ actor_count: count }).where('id', 'in', group).execute();
    return;
  }
  await tx.db.deleteFrom('notifications').where('id', 'in', group).execute();
  await notify(tx, event, [{ recipientId: authorId, kind: 'reaction', actorId, articleId: Number(comment.article_id), commentId, actorCount: Math.max(1, count) }]);
}

async function onReaderFollowed(event: StoredEvent, tx: Tx): Promise<void> {
  const followerId = Number(event.payload.followerId);
  const followeeId = Number(event.payload.followeeId);
  if ((await mutersOf(tx, followerId)).has(followeeId)) return;
  await notify(tx, event, [{ recipientId: followeeId, kind: 'new_follower', actorId: followerId }]);
}

/** A new article: the readers who follow one of its authors. */
async function onArticlePublished(event: StoredEvent, tx: Tx): Promise<void> {
  const articleId = Number(event.payload.articleId);
  const article = await tx.db.selectFrom('articles').select('authors').where('id', '=', articleId).executeTakeFirst();
  if (!article) return;
  const keys = (JSON.parse(article.authors) as { name: string }[]).map((a) => authorKey(a.name)).filter((k) => k !== '');
  if (keys.length === 0) return;
  const readers = tx.db.selectFrom('author_follows').select('user_id as id').distinct().where('author_key', 'in', keys);
  await notifyAudience(tx, event, 'followed_author_article', readers, { actorId: null, articleId, commentId: null });
}

const DECISION_KINDS: Record<string, NotificationKind> = {
  approve: 'comment_approved',
  reject: 'comment_rejected',
  feature: 'comment_featured',
};

/** A moderator's decision on a comment: its author hears of it (moderators stay unnamed). */
async function onCommentModerated(event: StoredEvent, tx: Tx): Promise<void> {
  const kind = DECISION_KINDS[String(event.payload.decision)];
  const authorId = Number(event.payload.authorId);
  if (!kind || !Number.isInteger(authorId)) return;
  // Approving what was already public (say, dismissing reports) is no news to its author.
  if (kind === 'comment_approved' && event.payload.from === 'approved') return;
  const articleId = Number(event.payload.articleId);
  const commentId = Number(event.payload.commentId);
  await notify(tx, event, [{ recipientId: authorId, kind, actorId: null, articleId, commentId }]);
}

export function notificationsFanout(): SubscriberOptions {
  return {
    name: 'community.notifications',
    types: ['comment.created', 'reader.followed', 'comment.reaction_changed', 'article.published', 'comment.moderated'],
    // A new install (or this stage's first deploy) does not notify about the past.
    startFrom: 'now',
    async handle(event, tx) {
      if (event.type === 'comment.created') await onCommentCreated(event, tx);
      else if (event.type === 'reader.followed') await onReaderFollowed(event, tx);
      else if (event.type === 'comment.reaction_changed') await onReactionChanged(event, tx);
      else if (event.type === 'article.published') await onArticlePublished(event, tx);
      else if (event.type === 'comment.moderated') await onCommentModerated(event, tx);
    },
  };
}
