import { keyedReason, type Phase } from '../model.ts';

/**
 * Suspended and banned readers cannot post or edit. The comments policy should already have refused
 * them; this phase makes sure a path that forgot to ask still cannot let them through.
 */
export const authorStatus: Phase = {
  name: 'author-status',
  run({ author }) {
    if (author.status === 'banned') return { status: 'rejected', reason: keyedReason('author_banned', 'moderation.detail.authorBanned') };
    if (author.status === 'suspended') return { status: 'rejected', reason: keyedReason('author_suspended', 'moderation.detail.authorSuspended') };
    if (author.status === 'warned') return { tags: ['warned_author'] };
    return undefined;
  },
};
