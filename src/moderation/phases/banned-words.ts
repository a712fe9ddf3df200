import type { Phase } from '../model.ts';
import { wordMatcher } from '../word-list.ts';

/** A banned word rejects the comment: the publisher has said it never appears on the site. */
export const bannedWords: Phase = {
  name: 'banned-words',
  run({ body, settings }) {
    const match = wordMatcher(settings.bannedWords).find(body);
    if (!match) return undefined;
    return { status: 'rejected', reason: { code: 'banned_word', detail: `Contains the banned term "${match.term}" (as "${match.found}").` } };
  },
};
