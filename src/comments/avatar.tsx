import { avatarTone, initials } from '../accounts/avatar.tsx';
import type { CommentAuthor } from './model.ts';

/**
 * A reader's small picture in a thread: the same initials and colour as their avatar picture
 * (accounts/avatar.tsx), as a few bytes of text with a colour class (parley.css `.avatar--tN`), so a
 * page of comments costs no request per reader and little HTML. Its size is that of every `span.avatar`
 * (the pictures are <img>s with a size class). Decoration only: the name is beside it.
 */
export function Avatar({ author }: { author: Pick<CommentAuthor, 'handle' | 'displayName'> }) {
  return (
    <span class={`avatar avatar--t${avatarTone(author.handle)}`} aria-hidden="true">
      {initials(author.displayName)}
    </span>
  );
}
