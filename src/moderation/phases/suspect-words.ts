import { keyedReason, type Phase } from '../model.ts';
import { wordMatcher } from '../word-list.ts';

/** A suspect word holds the comment: it may be fine in context, and a moderator decides. */
export const suspectWords: Phase = {
  name: 'suspect-words',
  run({ body, settings }) {
    const match = wordMatcher(settings.suspectWords).find(body);
    if (!match) return undefined;
    return { status: 'held', reason: keyedReason('suspect_word', 'moderation.detail.suspectWord', { term: match.term, found: match.found }) };
  },
};
