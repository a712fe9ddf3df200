import { keyedReason, type Phase } from '../model.ts';

/**
 * The newsroom's own people (staff, moderators, admins) are approved without the content checks:
 * a reporter answering readers under a pre-moderated article should not wait in the queue they run,
 * and a word list written for readers should not stop a reporter quoting it. Banned and closed
 * still apply, which is why this comes after those phases.
 */
export const trustedRole: Phase = {
  name: 'trusted-role',
  run({ author }) {
    if (author.role === 'reader') return undefined;
    return { status: 'approved', reason: keyedReason('trusted_role', 'moderation.detail.trustedRole', { role: author.role }), tags: ['staff'] };
  },
};
