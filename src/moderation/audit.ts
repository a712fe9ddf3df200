import type { Tx } from '../events/command.ts';

// The audit log: every moderation and admin action, written in the action's own transaction so that
// the log and the change cannot disagree. Rows are only ever inserted.

export interface AuditRecord {
  actorId: number | null;
  action: string;
  targetType: 'comment' | 'reader' | 'article' | 'settings' | 'job' | 'site';
  targetId: string | number;
  reason?: string | null;
  detail?: Record<string, unknown>;
}

export async function audit(tx: Tx, record: AuditRecord, now = new Date()): Promise<void> {
  await tx.db
    .insertInto('audit_log')
    .values({
      actor_id: record.actorId,
      action: record.action,
      target_type: record.targetType,
      target_id: String(record.targetId),
      reason: record.reason ?? null,
      detail: JSON.stringify(record.detail ?? {}),
      created_at: now.toISOString(),
    })
    .execute();
}
