import { describe, expect, it } from 'vitest';
import { moderationInput } from '../../../test/moderation/input.ts';
import type { ModerationDeps } from '../model.ts';

const deps: ModerationDeps = { spamScore: () => 0 };
import { conversationClosed } from './conversation-closed.ts';

describe('conversation-closed phase', () => {
  it('rejects comments on a closed article, whether closed by mode or by the open flag', () => {
    for (const article of [{ mode: 'closed' as const }, { commentsOpen: false }]) {
      expect(conversationClosed.run(moderationInput({ article }), deps)).toMatchObject({ status: 'rejected', reason: { code: 'conversation_closed' } });
    }
  });

  it('lets comments through on an open article in either moderation mode', () => {
    expect(conversationClosed.run(moderationInput({ article: { mode: 'post' } }), deps)).toBeUndefined();
    expect(conversationClosed.run(moderationInput({ article: { mode: 'pre' } }), deps)).toBeUndefined();
  });
});
