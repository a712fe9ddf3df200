// How the islands find a comment's parts in the server's markup (comments/views.tsx CommentView):
// `<article class="comment" id="c-ID">`, with its header, its text (a div) and its footer as direct
// children. The header starts with the author's name (the avatar is drawn before it by CSS) and holds the permalink
// as the link around the `<time>`; the footer holds the respects as its one `<data value="N">`. These
// places are read here, so that no attribute or class in every comment of a page has to repeat them.

/** A comment's own header and footer (its direct children), for queries from outside the comment. */
export const COMMENT_HEADER = '.comment > header';
export const COMMENT_FOOTER = '.comment > footer';
/** The author's name: a link to their page, or a span for a deleted comment or an account without one. */
export const COMMENT_AUTHOR = `${COMMENT_HEADER} > :first-child`;
/** The comment's own page: the link around its time. */
export const COMMENT_PERMALINK = `${COMMENT_HEADER} > a:has(> time)`;
/** The comment's text: its one <div>, or the one in the fold of a muted author's comment. */
export const COMMENT_BODY = '.comment > div, .comment__muted > div';
/** "2 respects", the number in its value. */
export const COMMENT_RESPECTS = `${COMMENT_FOOTER} > data`;

/** A comment's id, from its article's `id="c-ID"`; NaN for anything that is not a comment. */
export function commentId(comment: Element | null | undefined): number {
  const digits = /^c-(\d+)$/.exec(comment?.id ?? '')?.[1];
  return digits === undefined ? Number.NaN : Number(digits);
}
