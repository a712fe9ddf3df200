import { avatarTone, initials } from '../accounts/avatar.tsx';
import type { CommentAuthor } from './model.ts';

/**
 * A reader's small picture beside their name in threads: the same initials and colour as their avatar
 * picture (accounts/avatar.tsx), as two attributes on the name itself, which parley.css draws before it
 * (`[data-i]::before`, the colour by `[data-t]`, hidden from assistive technology by its empty
 * alternative text). Eighty comments a page: no element, class or request per reader.
 */
export function avatarData(author: Pick<CommentAuthor, 'handle' | 'displayName'>): { 'data-i': string; 'data-t': number } {
  return { 'data-i': initials(author.displayName), 'data-t': avatarTone(author.handle) };
}
