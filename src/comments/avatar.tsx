import { avatarColour, initials } from '../accounts/avatar.tsx';
import type { CommentAuthor } from './model.ts';

/**
 * A reader's small picture in a thread: the same initials and colour as their avatar image
 * (accounts/avatar.tsx), drawn inline so that a page of comments costs no request per reader. Its
 * colour is an SVG attribute, which the Content-Security-Policy allows (inline styles it does not).
 * Decoration only: the name is beside it.
 */
export function Avatar({ author }: { author: Pick<CommentAuthor, 'handle' | 'displayName'> }) {
  return (
    <svg class="avatar avatar--thread" width="28" height="28" viewBox="0 0 96 96" aria-hidden="true" focusable="false">
      <rect width="96" height="96" rx="48" fill={avatarColour(author.handle)} />
      <text x="48" y="50" text-anchor="middle" dominant-baseline="central" fill="#ffffff" font-size="40" font-weight="600">
        {initials(author.displayName)}
      </text>
    </svg>
  );
}
