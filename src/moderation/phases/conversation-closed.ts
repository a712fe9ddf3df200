import { keyedReason, type Phase } from '../model.ts';

/** A closed conversation takes no new comments and no edits, from anyone. */
export const conversationClosed: Phase = {
  name: 'conversation-closed',
  run({ article }) {
    if (article.mode === 'closed' || !article.commentsOpen) {
      return { status: 'rejected', reason: keyedReason('conversation_closed', 'moderation.detail.closed') };
    }
    return undefined;
  },
};
