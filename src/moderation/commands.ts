import type { Actor } from '../accounts/model.ts';
import { commentStream, MODERATION_STREAM } from '../comments/commands.ts';
import { lockThreads, recountForStatus } from '../comments/thread-places.ts';
import { CommandRefused, runCommand, type CommandContext, type Tx } from '../events/command.ts';
import type { Settings } from '../settings/model.ts';
import { audit } from './audit.ts';
import { keyedReason, storedDetail, type ArticleMode } from './model.ts';

// Moderators' changes, one function each, each in one transaction with its audit row and its events.
// Counts follow statuses through recountForStatus (src/comments/store.ts), in the same transaction.

export class ModerationRefused extends CommandRefused {
  override readonly name = 'ModerationRefused';
}

export const DECISIONS = ['approve', 'reject', 'feature', 'unfeature'] as const;
export type DecisionKind = (typeof DECISIONS)[number];

/**
 * The comment a change starts from. The counts move by the difference between its status before and
 * after, so on PostgreSQL its row is locked until the change commits: two moderators deciding the same
 * comment at once (read committed) both read "approved" and took it off the article's count twice.
 * SQLite's write transactions never overlap.
 */
async function loadForChange(tx: Tx, commentId: number) {
  // Its thread first, as every change that moves a thread's counts (comments/store.ts lockThreads).
  await lockThreads(tx, [commentId]);
  const row = await tx.db
    .selectFrom('comments')
    .select(['id', 'article_id', 'author_id', 'parent_id', 'root_id', 'path', 'descendant_count', 'deleted_at', 'status', 'featured'])
    .where('id', '=', commentId)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
  if (!row) throw ModerationRefused.keyed(404, 'not_found', 'moderation.refused.noSuchComment');
  const counted = {
    id: Number(row.id),
    articleId: Number(row.article_id),
    authorId: Number(row.author_id),
    rootId: row.root_id === null ? null : Number(row.root_id),
    path: row.path,
    descendantCount: Number(row.descendant_count),
    deletedAt: row.deleted_at ? new Date(row.deleted_at) : null,
  };
  return { row, counted };
}

type Loaded = Awaited<ReturnType<typeof loadForChange>>;

/** Moves a comment to a status and tells the open pages: a newly visible comment arrives like a new one. */
async function moveTo(tx: Tx, { row, counted }: Loaded, to: 'approved' | 'held' | 'rejected', actorId: number | null): Promise<void> {
  const from = row.status;
  await recountForStatus(tx, counted, from, to);
  const payload = { commentId: counted.id, articleId: counted.articleId, parentId: row.parent_id === null ? null : Number(row.parent_id), rootId: counted.rootId };
  if (from !== 'approved' && to === 'approved') tx.emit({ type: 'comment.created', stream: commentStream(counted.articleId), actorId, payload });
  // Open pages refresh the comment: it becomes a placeholder (or, for readers' islands, stays until reload).
  if (from === 'approved' && to !== 'approved') tx.emit({ type: 'comment.deleted', stream: commentStream(counted.articleId), actorId, payload });
}

export async function decideComment(ctx: CommandContext, moderator: Actor, commentId: number, decision: DecisionKind, reason: string | null, now = new Date()): Promise<void> {
  await runCommand(ctx, async (tx) => {
    const loaded = await loadForChange(tx, commentId);
    if (loaded.row.deleted_at) throw ModerationRefused.keyed(409, 'comment_deleted', 'moderation.refused.commentDeleted');
    await decideLoaded(tx, moderator, loaded, decision, reason, now);
  });
}

/** The most comments one bulk decision may take: a queue page's worth. */
export const BULK_LIMIT = 50;

/**
 * One decision on several comments, in one transaction: all of them or none. Each comment gets its own
 * audit row and events, as if decided alone; comments deleted in the meantime are skipped and counted.
 * The caller has checked that the moderator may act on every one of them.
 */
export async function decideComments(ctx: CommandContext, moderator: Actor, commentIds: readonly number[], decision: 'approve' | 'reject', reason: string | null, now = new Date()): Promise<{ decided: number; skipped: number }> {
  // In id order, so that two bulk decisions over the same comments lock them in the same order.
  const ids = [...new Set(commentIds)].sort((a, b) => a - b);
  if (ids.length === 0) throw ModerationRefused.keyed(400, 'nothing_selected', 'moderation.refused.nothingSelected');
  if (ids.length > BULK_LIMIT) throw ModerationRefused.keyed(400, 'too_many', 'moderation.refused.tooMany', { limit: BULK_LIMIT });
  if (decision === 'reject' && !reason?.trim()) throw ModerationRefused.keyed(400, 'reason_required', 'moderation.refused.reasonRequiredMany');
  return runCommand(ctx, async (tx) => {
    let decided = 0;
    let skipped = 0;
    for (const id of ids) {
      const loaded = await loadForChange(tx, id);
      if (loaded.row.deleted_at) {
        skipped++;
        continue;
      }
      await decideLoaded(tx, moderator, loaded, decision, reason, now, { bulk: ids.length });
      decided++;
    }
    return { decided, skipped };
  });
}

async function decideLoaded(tx: Tx, moderator: Actor, loaded: Loaded, decision: DecisionKind, reason: string | null, now: Date, extra: Record<string, unknown> = {}): Promise<void> {
  const { row } = loaded;
  const commentId = Number(row.id);
  const base = { seen: 1, open_reports: 0, moderated_at: now.toISOString(), moderated_by: moderator.userId };
  let to: 'approved' | 'rejected';
  if (decision === 'reject') {
    if (!reason?.trim()) throw ModerationRefused.keyed(400, 'reason_required', 'moderation.refused.reasonRequired');
    to = 'rejected';
    await tx.db.updateTable('comments').set({ ...base, status: to, featured: 0, rejection_reason: reason.trim() }).where('id', '=', commentId).execute();
  } else {
    to = 'approved';
    const featured = decision === 'feature' ? 1 : decision === 'unfeature' ? 0 : Number(row.featured);
    await tx.db.updateTable('comments').set({ ...base, status: to, featured, rejection_reason: null }).where('id', '=', commentId).execute();
    if (row.status === 'approved' && featured !== Number(row.featured)) {
      tx.emit({ type: 'comment.edited', stream: commentStream(Number(row.article_id)), actorId: moderator.userId, payload: { commentId, articleId: Number(row.article_id), parentId: row.parent_id, rootId: row.root_id } });
    }
  }
  await moveTo(tx, loaded, to, moderator.userId);
  await audit(tx, { actorId: moderator.userId, action: `comment.${decision}`, targetType: 'comment', targetId: commentId, reason, detail: { from: row.status, to, ...extra } }, now);
  // The author hears of it through this event (the notifications feature can subscribe to it).
  tx.emit({
    type: 'comment.moderated',
    stream: MODERATION_STREAM,
    actorId: moderator.userId,
    payload: { commentId, articleId: Number(row.article_id), authorId: Number(row.author_id), decision, from: row.status, status: to, reason },
  });
}

export const REPORT_REASONS = ['spam', 'abuse', 'off_topic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** One report per reader per comment; enough of them hold the comment until a moderator looks. */
export async function reportComment(ctx: CommandContext, reporterId: number, commentId: number, reason: ReportReason, text: string | null, settings: Pick<Settings, 'reportHoldThreshold'>, now = new Date()): Promise<{ held: boolean }> {
  return runCommand(ctx, async (tx) => {
    const loaded = await loadForChange(tx, commentId);
    const { row } = loaded;
    if (Number(row.author_id) === reporterId) throw ModerationRefused.keyed(403, 'own_comment', 'moderation.refused.ownComment');
    if (row.deleted_at || row.status !== 'approved') throw ModerationRefused.keyed(404, 'not_found', 'moderation.refused.nothingToReport');
    const inserted = await tx.db
      .insertInto('comment_reports')
      .values({ comment_id: commentId, reporter_id: reporterId, reason, text, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['comment_id', 'reporter_id']).doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) throw ModerationRefused.keyed(409, 'already_reported', 'moderation.refused.alreadyReported');
    await tx.db
      .updateTable('comments')
      .set((eb) => ({ report_count: eb('report_count', '+', 1), open_reports: eb('open_reports', '+', 1) }))
      .where('id', '=', commentId)
      .execute();
    const count = Number((await tx.db.selectFrom('comments').select('report_count').where('id', '=', commentId).executeTakeFirstOrThrow()).report_count);
    const threshold = settings.reportHoldThreshold;
    const held = threshold > 0 && count >= threshold;
    if (held) {
      const reported = keyedReason('reported', 'moderation.detail.reported', { count });
      await tx.db
        .updateTable('comments')
        .set({ status: 'held', moderation_code: 'reported', moderation_detail: reported.detail, moderation_detail_values: storedDetail(reported), moderation_phase: 'reports' })
        .where('id', '=', commentId)
        .execute();
      await moveTo(tx, loaded, 'held', null);
    }
    tx.emit({ type: 'comment.reported', stream: MODERATION_STREAM, actorId: reporterId, payload: { commentId, articleId: Number(row.article_id), reason, held } });
    return { held };
  });
}

export interface SanctionInput {
  kind: 'warn' | 'suspend' | 'ban' | 'lift';
  until: Date | null;
  reason: string;
  /** With a ban: reject every comment the reader has not deleted. */
  rejectComments?: boolean;
}

export async function sanctionReader(ctx: CommandContext, moderator: Actor, userId: number, input: SanctionInput, now = new Date()): Promise<{ rejected: number }> {
  if (!input.reason.trim()) throw ModerationRefused.keyed(400, 'reason_required', 'moderation.refused.sanctionReason');
  if (input.kind === 'suspend' && (!input.until || input.until.getTime() <= now.getTime())) {
    throw ModerationRefused.keyed(400, 'invalid_until', 'moderation.refused.untilInPast');
  }
  return runCommand(ctx, async (tx) => {
    if (input.kind === 'lift') {
      await tx.db.deleteFrom('reader_sanctions').where('user_id', '=', userId).execute();
    } else {
      const row = {
        user_id: userId,
        kind: input.kind,
        until: input.kind === 'suspend' ? input.until!.toISOString() : null,
        reason: input.reason.trim(),
        acknowledged_at: null,
        created_by: moderator.userId,
        created_at: now.toISOString(),
      };
      await tx.db
        .insertInto('reader_sanctions')
        .values(row)
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ kind: row.kind, until: row.until, reason: row.reason, acknowledged_at: null, created_by: row.created_by, created_at: row.created_at }))
        .execute();
    }
    let rejected = 0;
    if (input.kind === 'ban' && input.rejectComments) {
      const ids = await tx.db.selectFrom('comments').select('id').where('author_id', '=', userId).where('deleted_at', 'is', null).where('status', '!=', 'rejected').orderBy('id').execute();
      for (const { id } of ids) {
        const loaded = await loadForChange(tx, Number(id));
        await tx.db.updateTable('comments').set({ status: 'rejected', featured: 0, rejection_reason: input.reason.trim(), seen: 1, open_reports: 0, moderated_at: now.toISOString(), moderated_by: moderator.userId }).where('id', '=', Number(id)).execute();
        await moveTo(tx, loaded, 'rejected', moderator.userId);
        rejected++;
      }
    }
    await audit(tx, { actorId: moderator.userId, action: `reader.${input.kind}`, targetType: 'reader', targetId: userId, reason: input.reason.trim(), detail: { until: input.until?.toISOString() ?? null, rejected } }, now);
    tx.emit({ type: 'reader.sanctioned', stream: MODERATION_STREAM, actorId: moderator.userId, payload: { userId, kind: input.kind, until: input.until?.toISOString() ?? null, reason: input.reason.trim(), rejected } });
    return { rejected };
  });
}

export async function acknowledgeWarning(ctx: CommandContext, userId: number, now = new Date()): Promise<boolean> {
  return runCommand(ctx, async (tx) => {
    const result = await tx.db.updateTable('reader_sanctions').set({ acknowledged_at: now.toISOString() }).where('user_id', '=', userId).where('kind', '=', 'warn').where('acknowledged_at', 'is', null).executeTakeFirst();
    const changed = Number(result.numUpdatedRows) > 0;
    if (changed) await audit(tx, { actorId: userId, action: 'reader.acknowledge_warning', targetType: 'reader', targetId: userId }, now);
    return changed;
  });
}

/** Post-moderated, pre-moderated or closed; "closed" also closes the conversation for the comments policy. */
export async function setArticleMode(ctx: CommandContext, actor: Actor, articleId: number, mode: ArticleMode, now = new Date()): Promise<void> {
  await runCommand(ctx, async (tx) => {
    const before = await tx.db.selectFrom('articles').select('moderation_mode').where('id', '=', articleId).executeTakeFirstOrThrow();
    await tx.db.updateTable('articles').set({ moderation_mode: mode, comments_open: mode === 'closed' ? 0 : 1, updated_at: now.toISOString() }).where('id', '=', articleId).execute();
    await audit(tx, { actorId: actor.userId, action: 'article.mode', targetType: 'article', targetId: articleId, detail: { from: before.moderation_mode, to: mode } }, now);
    // The event drops the cached article page (its stream is the article's).
    tx.emit({ type: 'article.moderation_mode', stream: commentStream(articleId), actorId: actor.userId, payload: { articleId, mode } });
  });
}
