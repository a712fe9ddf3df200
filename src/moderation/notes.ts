import type { Kysely } from 'kysely';
import type { Actor } from '../accounts/model.ts';
import type { Database } from '../db/schema.ts';
import { runCommand, type CommandContext } from '../events/command.ts';
import { audit } from './audit.ts';
import { ModerationRefused } from './commands.ts';

// Moderator notes on a reader: what one moderator wants the others to know ("warned by phone, second
// time"). Only moderators and admins read them — on the reader's moderation page and next to the
// reader's comments in the queues; no reader-facing page, API answer or data export includes them.
// Notes are added, never edited; each one is audited.

export const NOTE_MAX_LENGTH = 2000;

export interface ModeratorNote {
  id: number;
  body: string;
  createdAt: string;
  /** Who wrote it; null once that account is gone. */
  author: { handle: string; displayName: string } | null;
}

export async function addModeratorNote(ctx: CommandContext, moderator: Actor, userId: number, body: string, now = new Date()): Promise<ModeratorNote> {
  const text = body.trim();
  if (!text) throw ModerationRefused.keyed(400, 'note_required', 'moderation.refused.noteRequired');
  if (text.length > NOTE_MAX_LENGTH) throw ModerationRefused.keyed(400, 'note_too_long', 'moderation.refused.noteTooLong', { max: NOTE_MAX_LENGTH });
  return runCommand(ctx, async (tx) => {
    const row = await tx.db
      .insertInto('moderator_notes')
      .values({ user_id: userId, author_id: moderator.userId, body: text, created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The text stays out of the log, which outlives an erased account; the note itself goes with it.
    await audit(tx, { actorId: moderator.userId, action: 'reader.note', targetType: 'reader', targetId: userId, detail: { note: Number(row.id) } }, now);
    return { id: Number(row.id), body: text, createdAt: now.toISOString(), author: { handle: moderator.handle, displayName: moderator.displayName } };
  });
}

/** The notes on each of these readers, newest first (at most `perReader` each). */
export async function notesOf(db: Kysely<Database>, userIds: readonly number[], perReader = 20): Promise<Map<number, ModeratorNote[]>> {
  const notes = new Map<number, ModeratorNote[]>();
  if (userIds.length === 0) return notes;
  const rows = await db
    .selectFrom('moderator_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.user_id', 'n.body', 'n.created_at', 'u.handle', 'u.display_name'])
    .where('n.user_id', 'in', [...new Set(userIds)])
    .orderBy('n.id', 'desc')
    .execute();
  for (const r of rows) {
    const list = notes.get(Number(r.user_id)) ?? [];
    if (list.length >= perReader) continue;
    list.push({ id: Number(r.id), body: r.body, createdAt: r.created_at, author: r.handle ? { handle: r.handle, displayName: r.display_name ?? r.handle } : null });
    notes.set(Number(r.user_id), list);
  }
  return notes;
}
