import { keyedReason, type Phase } from '../model.ts';
import { wordMatcher } from '../word-list.ts';

/** A banned word rejects the comment: the publisher has said it never appears on the site. */
export const bannedWords: Phase = {
  name: 'banned-words',
  run({ body, settings }) {
    const match = wordMatcher(settings.bannedWords).find(body);
    if (!match) return undefined;
    return { status: 'rejected', reason: keyedReason('banned_word', 'moderation.detail.bannedWord', { term: match.term, found: match.found }) };
  },
};
