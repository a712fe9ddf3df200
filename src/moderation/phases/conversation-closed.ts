import type { Phase } from '../model.ts';

/** A closed conversation takes no new comments and no edits, from anyone. */
export const conversationClosed: Phase = {
  name: 'conversation-closed',
  run({ article }) {
    if (article.mode === 'closed' || !article.commentsOpen) {
      return { status: 'rejected', reason: { code: 'conversation_closed', detail: 'The conversation on this article is closed.' } };
    }
    return undefined;
  },
};
