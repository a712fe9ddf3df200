import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { emailHash } from './profiles.ts';

/**
 * A reader has just verified `email`: the imported profiles that gave the same address become theirs
 * (their comments, reactions and counts move to the reader's account; the placeholder account is
 * closed). Called in the transaction that verifies the address: the verification link
 * (accounts/registration.ts verifyEmail) or a password reset, whose link proves the same mailbox
 * (accounts/credentials.ts resetPassword). An unverified address claims nothing.
 */
export async function claimImportedProfiles(db: Transaction<Database>, userId: number, email: string, now = new Date().toISOString()): Promise<number> {
  const profiles = await db
    .selectFrom('imported_profiles')
    .select(['id', 'user_id'])
    .where('email_hash', '=', emailHash(email))
    .where('claimed_by', 'is', null)
    .execute();
  for (const profile of profiles) {
    const from = Number(profile.user_id);
    if (from !== userId) {
      await db.updateTable('comments').set({ author_id: userId }).where('author_id', '=', from).execute();
      // A reaction both accounts gave to one comment stays one reaction.
      const mine = db.selectFrom('comment_reactions').select('comment_id').where('user_id', '=', userId);
      const doubled = await db.selectFrom('comment_reactions').select('comment_id').where('user_id', '=', from).where('comment_id', 'in', mine).execute();
      for (const d of doubled) {
        await db.deleteFrom('comment_reactions').where('user_id', '=', from).where('comment_id', '=', d.comment_id).execute();
        await db.updateTable('comments').set((eb) => ({ reaction_count: eb('reaction_count', '-', 1) })).where('id', '=', d.comment_id).execute();
      }
      await db.updateTable('comment_reactions').set({ user_id: userId }).where('user_id', '=', from).execute();
      const counts = await db.selectFrom('author_comment_counts').selectAll().where('user_id', '=', from).executeTakeFirst();
      if (counts) {
        await db
          .insertInto('author_comment_counts')
          .values({ user_id: userId, approved_count: counts.approved_count, held_count: counts.held_count, rejected_count: counts.rejected_count })
          .onConflict((oc) =>
            oc.column('user_id').doUpdateSet((eb) => ({
              approved_count: eb(eb.ref('author_comment_counts.approved_count'), '+', Number(counts.approved_count)),
              held_count: eb(eb.ref('author_comment_counts.held_count'), '+', Number(counts.held_count)),
              rejected_count: eb(eb.ref('author_comment_counts.rejected_count'), '+', Number(counts.rejected_count)),
            })),
          )
          .execute();
        await db.deleteFrom('author_comment_counts').where('user_id', '=', from).execute();
      }
      await db.updateTable('users').set({ deleted_at: now, updated_at: now }).where('id', '=', from).where('password_hash', 'is', null).where('email', 'is', null).execute();
    }
    await db.updateTable('imported_profiles').set({ claimed_by: userId, claimed_at: now }).where('id', '=', profile.id).execute();
  }
  return profiles.length;
}
