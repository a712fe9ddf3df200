import type { Kysely } from 'kysely';
import { prepared } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';
import type { ArticleMode } from './model.ts';
import type { Sanction } from './sanctions.ts';

// Queries of the moderation feature: the facts the pipeline needs about an author and an article,
// sanctions, reports and the audit log. The queues are in queues.ts.

type Db = Kysely<Database>;

type SanctionRow = { kind: string; until: string | null; reason: string; acknowledged_at: string | null; created_at: string };

function toSanction(row: SanctionRow | null | undefined): Sanction | null {
  if (!row || (row.kind !== 'warn' && row.kind !== 'suspend' && row.kind !== 'ban')) return null;
  return {
    kind: row.kind,
    until: row.until ? new Date(row.until) : null,
    reason: row.reason,
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at) : null,
    createdAt: new Date(row.created_at),
  };
}

// Every signed-in article page and every write asks: built once (src/db/prepared.ts).
const sanctionOf = prepared((db, a: { userId: number }) =>
  db.selectFrom('reader_sanctions').select(['kind', 'until', 'reason', 'acknowledged_at', 'created_at']).where('user_id', '=', a.userId),
);

export async function findSanction(db: Db, userId: number): Promise<Sanction | null> {
  return toSanction(await sanctionOf.first(db, { userId }));
}

const toMode = (mode: string | null | undefined): ArticleMode => (mode === 'pre' || mode === 'closed' ? mode : 'post');

export async function articleMode(db: Db, articleId: number): Promise<ArticleMode> {
  const row = await db.selectFrom('articles').select('moderation_mode').where('id', '=', articleId).executeTakeFirst();
  return toMode(row?.moderation_mode);
}

export interface AuthorHistory {
  userId: number;
  handle: string;
  displayName: string;
  role: string;
  createdAt: Date;
  approvedCount: number;
  rejectedCount: number;
  heldCount: number;
}

function authorQuery(db: Db, userId: number) {
  return db
    .selectFrom('users')
    .leftJoin('author_comment_counts as counts', 'counts.user_id', 'users.id')
    .select(['users.handle', 'users.display_name', 'users.role', 'users.created_at', 'counts.approved_count', 'counts.rejected_count', 'counts.held_count'])
    .where('users.id', '=', userId);
}

function toHistory(userId: number, row: Awaited<ReturnType<ReturnType<typeof authorQuery>['executeTakeFirstOrThrow']>>): AuthorHistory {
  return {
    userId,
    handle: row.handle,
    displayName: row.display_name,
    role: row.role,
    createdAt: new Date(row.created_at),
    approvedCount: Number(row.approved_count ?? 0),
    rejectedCount: Number(row.rejected_count ?? 0),
    heldCount: Number(row.held_count ?? 0),
  };
}

export async function authorHistory(db: Db, userId: number): Promise<AuthorHistory | null> {
  const row = await authorQuery(db, userId).executeTakeFirst();
  return row ? toHistory(userId, row) : null;
}

/**
 * Everything the pipeline needs to know about a comment's author and article, in one query: it runs
 * on every post and edit.
 */
const gateFactsQuery = prepared((db, a: { userId: number; articleId: number }) =>
  authorQuery(db, a.userId)
    .leftJoin('reader_sanctions as s', 's.user_id', 'users.id')
    .select([
      's.kind as sanction_kind',
      's.until as sanction_until',
      's.reason as sanction_reason',
      's.acknowledged_at as sanction_acknowledged_at',
      's.created_at as sanction_created_at',
      (eb) => eb.selectFrom('articles').select('moderation_mode').where('id', '=', a.articleId).as('mode'),
    ]),
);

export async function gateFacts(db: Db, userId: number, articleId: number): Promise<{ history: AuthorHistory | null; sanction: Sanction | null; mode: ArticleMode }> {
  const row = await gateFactsQuery.first(db, { userId, articleId });
  if (!row) return { history: null, sanction: null, mode: await articleMode(db, articleId) };
  const sanction =
    row.sanction_kind === null
      ? null
      : toSanction({ kind: row.sanction_kind, until: row.sanction_until, reason: row.sanction_reason!, acknowledged_at: row.sanction_acknowledged_at, created_at: row.sanction_created_at! });
  return { history: toHistory(userId, row), sanction, mode: toMode(row.mode) };
}

export async function findUserByHandle(db: Db, handle: string) {
  return db.selectFrom('users').select(['id', 'handle', 'display_name', 'role']).where('handle', '=', handle).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function hasReported(db: Db, commentId: number, reporterId: number): Promise<boolean> {
  const row = await db.selectFrom('comment_reports').select('comment_id').where('comment_id', '=', commentId).where('reporter_id', '=', reporterId).executeTakeFirst();
  return row !== undefined;
}

export interface ReportFact {
  reason: string;
  text: string | null;
  createdAt: string;
  /** Who reported it, for moderators; null once that account is gone. */
  reporter: { handle: string; displayName: string } | null;
}

export async function reportsOf(db: Db, commentId: number): Promise<ReportFact[]> {
  const rows = await db
    .selectFrom('comment_reports as r')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'r.reporter_id').on('u.deleted_at', 'is', null))
    .select(['r.reason', 'r.text', 'r.created_at', 'u.handle', 'u.display_name'])
    .where('r.comment_id', '=', commentId)
    .orderBy('r.created_at')
    .execute();
  return rows.map((r) => ({ reason: r.reason, text: r.text, createdAt: r.created_at, reporter: r.handle ? { handle: r.handle, displayName: r.display_name ?? r.handle } : null }));
}

export interface AuditEntry {
  id: number;
  actorId: number | null;
  actorHandle: string | null;
  /** The actor's display name, for the log in words. */
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string;
  reason: string | null;
  detail: unknown;
  createdAt: string;
}

export async function listAudit(db: Db, options: { before: number | null; limit: number; action?: string; actorHandle?: string; targetType?: string }): Promise<{ entries: AuditEntry[]; next: number | null }> {
  let query = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.actor_id', 'u.handle', 'u.display_name', 'a.action', 'a.target_type', 'a.target_id', 'a.reason', 'a.detail', 'a.created_at']);
  if (options.before !== null) query = query.where('a.id', '<', options.before);
  if (options.action) query = query.where('a.action', '=', options.action);
  if (options.targetType) query = query.where('a.target_type', '=', options.targetType);
  if (options.actorHandle) query = query.where('u.handle', '=', options.actorHandle);
  const rows = await query.orderBy('a.id', 'desc').limit(options.limit + 1).execute();
  const entries = rows.slice(0, options.limit).map((r) => ({
    id: Number(r.id),
    actorId: r.actor_id === null ? null : Number(r.actor_id),
    actorHandle: r.handle ?? null,
    actorName: r.display_name ?? null,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    reason: r.reason,
    detail: JSON.parse(r.detail),
    createdAt: r.created_at,
  }));
  return { entries, next: rows.length > options.limit ? entries[entries.length - 1]!.id : null };
}
