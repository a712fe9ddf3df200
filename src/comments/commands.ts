import { CommandRefused, runCommand, type CommandContext, type Tx } from '../events/command.ts';
import { prepared, preparedInsert, preparedVariants } from '../db/prepared.ts';
import { groupCommitter } from '../events/group-commit.ts';
import type { Decision } from '../moderation/model.ts';
import type { Settings } from '../settings/model.ts';
import { renderCommentHtml } from './markdown.ts';
import { ancestorIds, childPath, MAX_DEPTH, normaliseBody, secondsUntilNextPost, type Comment, type CommentAuthor } from './model.ts';
import { findComment, latestCommentsBy } from './store.ts';
import { countAuthorStatus, lockThreads, movePlaces, placeRows, recountForStatus } from './thread-places.ts';
import { recordCommentActivity } from '../conversations/store.ts';
import type { Passage } from '../passages/model.ts';
import { countPassageChange, savePassage } from '../passages/store.ts';
import { accountOpen } from '../accounts/open-account.ts';

// One function per change; each runs in one transaction and records its event there (the outbox).

/** A change the rules refuse; routes turn it into an HTTP answer with the same status and words. */
export class CommentRefused extends CommandRefused {
  override readonly name = 'CommentRefused';
}

export const commentStream = (articleId: number) => `article:${articleId}`;

/** Moderators' queue stream: every new, edited, reported or decided comment. */
export const MODERATION_STREAM = 'moderation';

/** The columns a pipeline decision fills in. */
export function moderationColumns(d: Decision | undefined) {
  if (!d) return { status: 'approved', moderation_code: null, moderation_detail: null, moderation_detail_values: null, moderation_phase: null, moderation_tags: '[]', spam_score: null };
  // The detail's catalog key and values (moderation/model.ts storedDetail), so each moderator reads it in their language.
  const values = d.reason.detailKey ? JSON.stringify({ key: d.reason.detailKey, values: d.reason.values ?? {} }) : null;
  return { status: d.status, moderation_code: d.reason.code, moderation_detail: d.reason.detail, moderation_detail_values: values, moderation_phase: d.phase, moderation_tags: JSON.stringify(d.tags), spam_score: d.spamScore };
}

type NewCommentRow = { article_id: number; author_id: number; parent_id: number | null; root_id: number | null; depth: number; body: string; body_html: string; created_at: string } & ReturnType<typeof moderationColumns>;

// The hottest write of the site, built once (src/db/prepared.ts).
const insertComment = preparedInsert((db, a: NewCommentRow) =>
  db
    .insertInto('comments')
    .values({
      article_id: a.article_id,
      author_id: a.author_id,
      parent_id: a.parent_id,
      root_id: a.root_id,
      depth: a.depth,
      path: '',
      body: a.body,
      body_html: a.body_html,
      created_at: a.created_at,
      status: a.status,
      moderation_code: a.moderation_code,
      moderation_detail: a.moderation_detail,
      moderation_detail_values: a.moderation_detail_values,
      moderation_phase: a.moderation_phase,
      moderation_tags: a.moderation_tags,
      spam_score: a.spam_score,
    }),
);

const parentForReply = prepared((db, a: { id: number; articleId: number }) =>
  db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select(['c.id', 'c.root_id', 'c.depth', 'c.path', 'c.deleted_at', 'c.status', 'u.handle', 'u.display_name'])
    .where('c.id', '=', a.id)
    .where('c.article_id', '=', a.articleId),
);

/**
 * On PostgreSQL, the parent as it is once the reply holds its thread: its ancestors and itself locked
 * in id order, then its state read again. Without it a reply read its parent undeleted while the
 * parent's deletion was in flight, and both moved the thread's counts by what they had read (the
 * deletion took the parent's place away, the reply gave one under it): the thread's first comment
 * ended one reply short. In id order, as every reply takes them, two replies in one thread wait for
 * each other instead of deadlocking.
 */
async function lockedParent<P extends { id: number; root_id: number | null; path: string; deleted_at: string | null; status: string }>(tx: Tx, parent: P | undefined): Promise<P | undefined> {
  if (!parent || tx.dialect !== 'postgres') return parent;
  const id = Number(parent.id);
  const thread = [...ancestorIds({ rootId: parent.root_id === null ? null : Number(parent.root_id), path: parent.path }), id];
  const now = (await placeRows(tx, thread)).find((row) => Number(row.id) === id);
  return now ? { ...parent, deleted_at: now.deleted_at, status: now.status } : undefined;
}

// A reply's writes after its insert: its path (which needs the new id), and one more place under each
// of its ancestors, one prepared statement per depth for the depths most threads have.
const setPath = prepared((db, a: { id: number; path: string }) => db.updateTable('comments').set({ path: a.path }).where('id', '=', a.id));

const PREPARED_ANCESTOR_DEPTHS = 16;
const addPlaceUnder = preparedVariants((db, a: Record<string, number>, ancestors: number) =>
  db
    .updateTable('comments')
    .set((eb) => ({ descendant_count: eb('descendant_count', '+', 1) }))
    .where('id', 'in', Array.from({ length: ancestors }, (_, i) => a[`a${i}`]!)),
);

async function addPlaceUnderAncestors(db: Tx['db'], ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  if (ids.length > PREPARED_ANCESTOR_DEPTHS) {
    await db.updateTable('comments').set((eb) => ({ descendant_count: eb('descendant_count', '+', 1) })).where('id', 'in', ids).execute();
    return;
  }
  await addPlaceUnder(ids.length).run(db, Object.fromEntries(ids.map((id, i) => [`a${i}`, id])));
}

const addToArticleCount = prepared((db, a: { articleId: number; delta: number }) =>
  db
    .updateTable('articles')
    .set((eb) => ({ comment_count: eb('comment_count', '+', a.delta) }))
    .where('id', '=', a.articleId),
);

export const COMMENT_EVENTS = ['comment.created', 'comment.edited', 'comment.deleted', 'comment.reaction_changed'] as const;

function eventPayload(comment: Pick<Comment, 'id' | 'articleId' | 'parentId' | 'rootId'>) {
  return { commentId: comment.id, articleId: comment.articleId, parentId: comment.parentId, rootId: comment.rootId };
}

export interface NewComment {
  articleId: number;
  /** The author as the session knows them: the stored comment is answered without reading it back. */
  author: CommentAuthor;
  body: string;
  parentId: number | null;
  /**
   * The moderation pipeline (src/moderation/gate.ts), given the author's recent texts; it runs inside
   * the write, so the facts it decides on cannot change before the comment is stored. It may refuse
   * by throwing. Approved when absent.
   */
  moderate?: (db: Tx['db'], previousBodies: string[]) => Promise<Decision>;
  /** The passage of the article a new thread discusses (src/passages), checked against the article. */
  passage?: Passage | null;
}

export async function postComment(ctx: CommandContext, input: NewComment, settings: Settings, now = new Date()): Promise<Comment> {
  const body = normaliseBody(input.body);
  const authorId = input.author.id;
  // The hottest write of the site: concurrent posts share one durable commit (see group-commit.ts).
  return groupCommitter(ctx).run(async (tx) => {
    // Locked for update on PostgreSQL: two processes must not both pass the rate check for one author.
    if (!(await accountOpen(tx, authorId, 'update'))) throw CommentRefused.keyed(403, 'signed_out', 'comments.refused.signInFirst');
    // One read serves the pipeline's repeated-text rule and the rate and duplicate rules below.
    const latest = await latestCommentsBy(tx.db, authorId);
    const moderation = input.moderate ? await input.moderate(tx.db, latest.filter((c) => !c.deleted).map((c) => c.body)) : undefined;
    const last = latest[0];
    const wait = secondsUntilNextPost(last?.createdAt ?? null, settings, now);
    if (wait > 0) {
      throw CommentRefused.keyed(429, 'rate_limited', 'comments.refused.rateLimited', { seconds: wait }, wait);
    }
    if (last && last.body === body) {
      throw CommentRefused.keyed(409, 'duplicate_comment', 'comments.refused.duplicate');
    }

    const parent = input.parentId === null ? undefined : await lockedParent(tx, await parentForReply.first(tx.db, { id: input.parentId, articleId: input.articleId }));
    if (input.parentId !== null) {
      if (!parent) throw CommentRefused.keyed(404, 'parent_not_found', 'comments.refused.parentNotFound');
      if (parent.deleted_at) throw CommentRefused.keyed(403, 'comment_deleted', 'comments.refused.parentDeleted');
      if (parent.status !== 'approved') throw CommentRefused.keyed(403, 'parent_not_approved', 'comments.refused.parentNotApproved');
      if (parent.depth + 1 > MAX_DEPTH) {
        throw CommentRefused.keyed(400, 'thread_too_deep', 'comments.refused.tooDeep', { depth: String(MAX_DEPTH) });
      }
    }

    const rootId = parent ? Number(parent.root_id ?? parent.id) : null;
    const depth = parent ? Number(parent.depth) + 1 : 0;
    const bodyHtml = renderCommentHtml(body);
    const columns = moderationColumns(moderation);
    const id = await insertComment.id(tx.db, {
      article_id: input.articleId,
      author_id: authorId,
      parent_id: parent ? Number(parent.id) : null,
      root_id: rootId,
      depth,
      body,
      body_html: bodyHtml,
      created_at: now.toISOString(),
      ...columns,
    });
    const status = columns.status as Comment['status'];
    await countAuthorStatus(tx.db, authorId, null, status);
    // Held and rejected comments take no place in the counts until a moderator approves them.
    const visible = status === 'approved';
    const path = parent ? childPath(parent.path, id) : '';
    if (parent) {
      // The path needs the new id, so a reply is written in two steps inside the one transaction.
      await setPath.run(tx.db, { id, path });
      if (visible) await addPlaceUnderAncestors(tx.db, ancestorIds({ rootId, path }));
    }
    if (input.passage) await savePassage(tx.db, { commentId: id, articleId: input.articleId, passage: input.passage, createdAt: now.toISOString(), counted: visible });
    if (visible) {
      await addToArticleCount.run(tx.db, { articleId: input.articleId, delta: 1 });
      await recordCommentActivity(tx.db, { articleId: input.articleId, commentId: id, createdAt: now, delta: 1 });
    }
    // Everything a read would return is known here (rowToComment's shape for a new comment).
    const comment: Comment = {
      id,
      articleId: input.articleId,
      author: input.author,
      parentId: parent ? Number(parent.id) : null,
      rootId,
      depth,
      path,
      body,
      bodyHtml,
      descendantCount: 0,
      reactionCount: 0,
      createdAt: now,
      editedAt: null,
      deletedAt: null,
      deletedReason: null,
      status,
      featured: false,
      rejectionReason: null,
      reacted: false,
      parentAuthor: parent ? { handle: parent.handle, displayName: parent.display_name } : null,
      passage: input.passage ?? null,
    };
    if (visible) tx.emit({ type: 'comment.created', stream: commentStream(input.articleId), actorId: authorId, payload: eventPayload(comment) });
    tx.emit({ type: 'moderation.comment', stream: MODERATION_STREAM, actorId: authorId, payload: { ...eventPayload(comment), status: comment.status } });
    return comment;
  });
}

export async function editComment(ctx: CommandContext, comment: Comment, newBody: string, editorId: number, now = new Date(), moderation?: Decision): Promise<Comment> {
  const body = normaliseBody(newBody);
  return runCommand(ctx, async (tx) => {
    // Locked on PostgreSQL, its thread first: the counts follow the status this read saw (moderation/commands.ts loadForChange).
    await lockThreads(tx, [comment.id]);
    const current = await tx.db
      .selectFrom('comments')
      .select(['body', 'created_at', 'edited_at', 'deleted_at', 'status', 'descendant_count'])
      .where('id', '=', comment.id)
      .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    if (!current || current.deleted_at) throw CommentRefused.keyed(403, 'comment_deleted', 'comments.refused.deleted');
    if (current.body === body) return (await findComment(tx.db, comment.id))!;
    await tx.db
      .insertInto('comment_revisions')
      .values({ comment_id: comment.id, body: current.body, written_at: current.edited_at ?? current.created_at, replaced_at: now.toISOString() })
      .execute();
    await tx.db
      .updateTable('comments')
      .set({ body, body_html: renderCommentHtml(body), edited_at: now.toISOString(), ...(moderation ? moderationColumns(moderation) : {}) })
      .where('id', '=', comment.id)
      .execute();
    // A rejected comment stays rejected whatever its new text says: only a moderator brings it back.
    if (moderation && current.status === 'rejected') await tx.db.updateTable('comments').set({ status: 'rejected' }).where('id', '=', comment.id).execute();
    const edited = (await findComment(tx.db, comment.id))!;
    await recountForStatus(tx, { ...edited, authorId: edited.author.id, descendantCount: Number(current.descendant_count) }, current.status, edited.status);
    tx.emit({ type: 'comment.edited', stream: commentStream(comment.articleId), actorId: editorId, payload: eventPayload(edited) });
    tx.emit({ type: 'moderation.comment', stream: MODERATION_STREAM, actorId: editorId, payload: { ...eventPayload(edited), status: edited.status } });
    return edited;
  });
}

/**
 * The text goes (and its earlier versions). The place in the thread stays only while replies below it
 * have places, so they keep their context; a comment with none disappears for everyone but moderators,
 * and so may its deleted ancestors (store.ts movePlaces). The article's count is of comments one can
 * read, so it drops by one; the thread's reply counts count the places that remain.
 */
async function blankComments(tx: Tx, where: { commentId?: number; authorId?: number }, actorId: number, now: Date): Promise<number> {
  // Locked on PostgreSQL, with their threads, in id order: the counts below move by what this read saw,
  // and a second delete of the same comment (a double click) read it undeleted too and took it off them
  // again. Once the first commits, the second's locked read finds it deleted and changes nothing.
  const undeleted = () => {
    let q = tx.db.selectFrom('comments').where('deleted_at', 'is', null);
    if (where.commentId !== undefined) q = q.where('id', '=', where.commentId);
    if (where.authorId !== undefined) q = q.where('author_id', '=', where.authorId);
    return q;
  };
  if (tx.dialect === 'postgres') await lockThreads(tx, (await undeleted().select('id').execute()).map((row) => Number(row.id)));
  const query = undeleted()
    .select(['id', 'article_id', 'parent_id', 'root_id', 'path', 'status', 'descendant_count', 'created_at'])
    .orderBy('id')
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate());
  const doomed = await query.execute();
  if (doomed.length === 0) return 0;
  const ids = doomed.map((d) => Number(d.id));
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await tx.db
      .updateTable('comments')
      .set({ body: '', body_html: '', deleted_at: now.toISOString(), deleted_reason: 'author' })
      .where('id', 'in', chunk)
      .execute();
    await tx.db.deleteFrom('comment_revisions').where('comment_id', 'in', chunk).execute();
  }
  // An approved comment with no replies in their places had its place only for its own text.
  const placesLost = doomed.filter((d) => d.status === 'approved' && Number(d.descendant_count) === 0);
  await movePlaces(tx, placesLost.map((d) => ({ rootId: d.root_id === null ? null : Number(d.root_id), path: d.path, delta: -1 })));
  const perArticle = new Map<number, number>();
  // Only approved comments were in the article's count.
  for (const d of doomed) if (d.status === 'approved') perArticle.set(Number(d.article_id), (perArticle.get(Number(d.article_id)) ?? 0) + 1);
  for (const [articleId, n] of perArticle) {
    await tx.db
      .updateTable('articles')
      .set((eb) => ({ comment_count: eb('comment_count', '-', n) }))
      .where('id', '=', articleId)
      .execute();
  }
  for (const d of doomed) if (d.status === 'approved') await recordCommentActivity(tx.db, { articleId: Number(d.article_id), commentId: Number(d.id), createdAt: d.created_at, delta: -1 });
  await countPassageChange(tx.db, doomed.filter((d) => d.status === 'approved').map((d) => Number(d.id)), -1);
  for (const d of doomed) {
    const articleId = Number(d.article_id);
    tx.emit({
      type: 'comment.deleted',
      stream: commentStream(articleId),
      actorId,
      payload: eventPayload({ id: Number(d.id), articleId, parentId: d.parent_id === null ? null : Number(d.parent_id), rootId: d.root_id === null ? null : Number(d.root_id) }),
    });
  }
  return doomed.length;
}

export async function deleteOwnComment(ctx: CommandContext, comment: Comment, actorId: number, now = new Date()): Promise<Comment> {
  return runCommand(ctx, async (tx) => {
    await blankComments(tx, { commentId: comment.id }, actorId, now);
    return (await findComment(tx.db, comment.id))!;
  });
}

/** Account deletion: every comment of the reader goes the way of a self-deleted one, and their reactions go. */
export async function eraseAuthorComments(tx: Tx, userId: number, now = new Date()): Promise<void> {
  await blankComments(tx, { authorId: userId }, userId, now);
  await tx.db
    .updateTable('comments')
    .set((eb) => ({ reaction_count: eb('reaction_count', '-', 1) }))
    .where('id', 'in', tx.db.selectFrom('comment_reactions').select('comment_id').where('user_id', '=', userId))
    .execute();
  await tx.db.deleteFrom('comment_reactions').where('user_id', '=', userId).execute();
}

/** One reaction per reader per comment: switching it on twice (or off twice) changes nothing. */
export async function setReaction(ctx: CommandContext, comment: Comment, userId: number, on: boolean, now = new Date()): Promise<{ reactionCount: number; reacted: boolean }> {
  return runCommand(ctx, async (tx) => {
    let changed: bigint;
    if (on) {
      if (!(await accountOpen(tx, userId))) throw CommentRefused.keyed(403, 'signed_out', 'comments.refused.signInFirst');
      const result = await tx.db
        .insertInto('comment_reactions')
        .values({ comment_id: comment.id, user_id: userId, created_at: now.toISOString() })
        .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
        .executeTakeFirst();
      changed = result.numInsertedOrUpdatedRows ?? 0n;
    } else {
      const result = await tx.db.deleteFrom('comment_reactions').where('comment_id', '=', comment.id).where('user_id', '=', userId).executeTakeFirst();
      changed = result.numDeletedRows;
    }
    if (changed > 0n) {
      await tx.db
        .updateTable('comments')
        .set((eb) => ({ reaction_count: eb('reaction_count', '+', on ? 1 : -1) }))
        .where('id', '=', comment.id)
        .execute();
    }
    const row = await tx.db.selectFrom('comments').select('reaction_count').where('id', '=', comment.id).executeTakeFirstOrThrow();
    const reactionCount = Number(row.reaction_count);
    if (changed > 0n) {
      tx.emit({
        type: 'comment.reaction_changed',
        stream: commentStream(comment.articleId),
        actorId: userId,
        payload: { ...eventPayload(comment), reactionCount },
      });
    }
    return { reactionCount, reacted: on };
  });
}

