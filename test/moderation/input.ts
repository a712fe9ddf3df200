// A typical comment by an established reader on an open, post-moderated article, for tests to vary.
import { moderationSettings, type ModerationInput, type ModerationSettings } from '../../src/moderation/model.ts';

export interface InputChanges extends Partial<Omit<ModerationInput, 'article' | 'author' | 'settings'>> {
  article?: Partial<ModerationInput['article']>;
  author?: Partial<ModerationInput['author']>;
  settings?: Partial<ModerationSettings>;
}

export function moderationInput(changes: InputChanges = {}): ModerationInput {
  const { article, author, settings, ...rest } = changes;
  return {
    body: 'The council should publish the full report before the vote.',
    isEdit: false,
    reportCount: 0,
    ...rest,
    article: { commentsOpen: true, mode: 'post', ...article },
    author: { userId: 7, role: 'reader', status: 'active', approvedCount: 12, rejectedCount: 0, accountAgeDays: 400, previousBodies: [], ...author },
    settings: moderationSettings(settings),
  };
}
