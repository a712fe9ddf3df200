// How the islands find a comment's parts in the server's markup (comments/views.tsx CommentView):
// `<article class="comment" id="c-ID">`, with its header (avatar, author, time) and its footer (the
// actions) as direct children. The id and those two places are read here, so that no attribute or
// class in every comment of a page has to repeat them.

/** A comment's own header and footer (its direct children), for queries from outside the comment. */
export const COMMENT_HEADER = '.comment > header';
export const COMMENT_FOOTER = '.comment > footer';

/** A comment's id, from its article's `id="c-ID"`; NaN for anything that is not a comment. */
export function commentId(comment: Element | null | undefined): number {
  const digits = /^c-(\d+)$/.exec(comment?.id ?? '')?.[1];
  return digits === undefined ? Number.NaN : Number(digits);
}
