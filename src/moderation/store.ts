import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ArticleMode } from './model.ts';
import type { Sanction } from './sanctions.ts';

// Queries of the moderation feature: the facts the pipeline needs about an author and an article,
// sanctions, reports and the audit log. The queues are in queues.ts.

type Db = Kysely<Database>;

export async function findSanction(db: Db, userId: number): Promise<Sanction | null> {
  const row = await db.selectFrom('reader_sanctions').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row || (row.kind !== 'warn' && row.kind !== 'suspend' && row.kind !== 'ban')) return null;
  return {
    kind: row.kind,
    until: row.until ? new Date(row.until) : null,
    reason: row.reason,
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at) : null,
    createdAt: new Date(row.created_at),
  };
}

export async function articleMode(db: Db, articleId: number): Promise<ArticleMode> {
  const row = await db.selectFrom('articles').select('moderation_mode').where('id', '=', articleId).executeTakeFirst();
  const mode = row?.moderation_mode;
  return mode === 'pre' || mode === 'closed' ? mode : 'post';
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

export async function authorHistory(db: Db, userId: number): Promise<AuthorHistory | null> {
  const user = await db.selectFrom('users').select(['id', 'handle', 'display_name', 'role', 'created_at']).where('id', '=', userId).executeTakeFirst();
  if (!user) return null;
  const counts = await db
    .selectFrom('comments')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('author_id', '=', userId)
    .groupBy('status')
    .execute();
  const count = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  return {
    userId,
    handle: user.handle,
    displayName: user.display_name,
    role: user.role,
    createdAt: new Date(user.created_at),
    approvedCount: count('approved'),
    rejectedCount: count('rejected'),
    heldCount: count('held'),
  };
}

export async function findUserByHandle(db: Db, handle: string) {
  return db.selectFrom('users').select(['id', 'handle', 'display_name', 'role']).where('handle', '=', handle).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function reportsOf(db: Db, commentId: number): Promise<{ reason: string; text: string | null; createdAt: string }[]> {
  const rows = await db.selectFrom('comment_reports').select(['reason', 'text', 'created_at']).where('comment_id', '=', commentId).orderBy('created_at').execute();
  return rows.map((r) => ({ reason: r.reason, text: r.text, createdAt: r.created_at }));
}

export interface AuditEntry {
  id: number;
  actorId: number | null;
  actorHandle: string | null;
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
    .select(['a.id', 'a.actor_id', 'u.handle', 'a.action', 'a.target_type', 'a.target_id', 'a.reason', 'a.detail', 'a.created_at']);
  if (options.before !== null) query = query.where('a.id', '<', options.before);
  if (options.action) query = query.where('a.action', '=', options.action);
  if (options.targetType) query = query.where('a.target_type', '=', options.targetType);
  if (options.actorHandle) query = query.where('u.handle', '=', options.actorHandle);
  const rows = await query.orderBy('a.id', 'desc').limit(options.limit + 1).execute();
  const entries = rows.slice(0, options.limit).map((r) => ({
    id: Number(r.id),
    actorId: r.actor_id === null ? null : Number(r.actor_id),
    actorHandle: r.handle ?? null,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    reason: r.reason,
    detail: JSON.parse(r.detail),
    createdAt: r.created_at,
  }));
  return { entries, next: rows.length > options.limit ? entries[entries.length - 1]!.id : null };
}
