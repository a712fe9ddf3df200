import type { Actor, Role } from '../accounts/model.ts';
import { applyRoleChange } from '../accounts/profile.ts';
import { CommandRefused, runCommand, type CommandContext } from '../events/command.ts';
import { requeueFailedJob } from '../events/failed-jobs.ts';
import { audit } from '../moderation/audit.ts';
import { settingProblemKeyed, type SettingKey, type Settings } from '../settings/model.ts';
import { forgetSettings, getSettings } from '../settings/store.ts';

// Admins' changes: settings, roles and retries of failed jobs, each audited in its own transaction.

export class AdminRefused extends CommandRefused {
  override readonly name = 'AdminRefused';
}

/** Validates every change first, so a bad value changes nothing; then writes them with one audit row each. */
export async function updateSettings(ctx: CommandContext, admin: Actor, changes: Record<string, unknown>, now = new Date()): Promise<Settings> {
  const problems = Object.entries(changes).flatMap(([key, value]) => settingProblemKeyed(key, value) ?? []);
  if (problems.length === 1) throw AdminRefused.keyed(400, 'invalid_settings', problems[0]!.key, problems[0]!.values);
  // Several at once (an API call, a form): one sentence listing each, every one in the reader's language.
  if (problems.length) throw new AdminRefused(400, 'invalid_settings', { key: 'errors.settings.several', parts: { problems } });
  const before = await getSettings(ctx.db.kysely);
  await runCommand(ctx, async (tx) => {
    for (const [key, value] of Object.entries(changes) as [SettingKey, unknown][]) {
      if (JSON.stringify(before[key]) === JSON.stringify(value)) continue;
      const row = { key, value: JSON.stringify(value), updated_at: now.toISOString() };
      await tx.db.insertInto('settings').values(row).onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at })).execute();
      await audit(tx, { actorId: admin.userId, action: 'settings.change', targetType: 'settings', targetId: key, detail: { from: before[key], to: value } }, now);
    }
  });
  forgetSettings(ctx.db.kysely);
  return getSettings(ctx.db.kysely);
}

export async function changeRole(ctx: CommandContext, admin: Actor, target: { id: number; role: Role }, role: Role, reason: string | null, now = new Date()): Promise<void> {
  // An admin who demoted themselves could lock the site out of its own settings.
  if (target.id === admin.userId) throw AdminRefused.keyed(403, 'own_account', 'errors.admin.ownRole');
  if (target.role === role) return;
  await runCommand(ctx, (tx) => applyRoleChange(tx, target, role, admin.userId, reason, now));
}

/** Runs a failed job again from its first attempt, once its cause is fixed; audited. */
export async function retryFailedJob(ctx: CommandContext, admin: Actor, jobId: number, now = new Date()): Promise<{ kind: string }> {
  return runCommand(ctx, async (tx) => {
    const job = await requeueFailedJob(tx.db, jobId, now);
    if (!job) throw AdminRefused.keyed(404, 'not_found', 'errors.admin.noFailedJob', { id: jobId });
    await audit(tx, { actorId: admin.userId, action: 'job.retry', targetType: 'job', targetId: jobId, detail: { kind: job.kind, lastError: job.lastError } }, now);
    tx.wake();
    return { kind: job.kind };
  });
}
