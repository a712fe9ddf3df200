import type { PersonalDataHandler } from '../context.ts';

// What moderation holds about a reader: the reports they filed and their current sanction. The audit
// log is the publisher's record of its own actions and stays (it names the reader by id only).
export const moderationPersonalData: PersonalDataHandler = {
  name: 'moderation',
  async export(db, userId) {
    const reports = await db.selectFrom('comment_reports').select(['comment_id', 'reason', 'text', 'created_at']).where('reporter_id', '=', userId).orderBy('created_at').execute();
    const sanction = await db.selectFrom('reader_sanctions').select(['kind', 'until', 'reason', 'acknowledged_at', 'created_at']).where('user_id', '=', userId).executeTakeFirst();
    return {
      reportsFiled: reports.map((r) => ({ commentId: Number(r.comment_id), reason: r.reason, text: r.text, createdAt: r.created_at })),
      sanction: sanction ?? null,
    };
  },
  async erase(tx, userId) {
    await tx.db.deleteFrom('comment_reports').where('reporter_id', '=', userId).execute();
    await tx.db.deleteFrom('reader_sanctions').where('user_id', '=', userId).execute();
    // Moderators' notes about the reader go with the account; they are not part of the export (private to moderators).
    await tx.db.deleteFrom('moderator_notes').where('user_id', '=', userId).execute();
  },
};
