// The links under a comment, written from a few letters that say which actions a viewer has and in
// what state. One function for the server (no-JavaScript pages, fragments) and the island (which
// applies a page's compact viewer state, viewer-json.ts): both write the same markup by construction.
// The island imports this module, so it stays free of server code.
import { respectCountText, respectLabel } from './counts.ts';
import type { StreamWords } from './words.ts';

/**
 * One letter per action, in the order they are drawn; upper case is the "on" state:
 * `r`/`R` respect (not given / given), `p` reply and quote, `e` edit, `t`/`T` report (open /
 * already reported), `f`/`F` follow the author (not followed / followed), `d` delete.
 */
export type ActionFlags = string;

/** What the links need to know about the comment besides the viewer's letters. */
export interface ActionTarget {
  id: number;
  reactionCount: number;
  /** The author's handle, for the follow link (the island reads it from the author link). */
  handle: string;
  /** The comment's page (its short address, the time link's href), where "Reply" goes without JavaScript. */
  permalink: string;
}

/**
 * What the anonymous reader (and anyone who may not react) sees: the count alone, "2 respects", with
 * the number for the islands in its `value` (the footer's only <data>: client/_comment.ts).
 */
export function reactionCountHtml(count: number, w: StreamWords, hiddenFromAssistiveTechnology = false): string {
  return `<data value="${count}"${hiddenFromAssistiveTechnology ? ' aria-hidden="true"' : ''}>${respectCountText(count, w)}</data>`;
}

/**
 * The actions under one comment, in the words of the page's language. Everything interpolated is a
 * number, a catalog's word (no markup: see the test of stream-words) or URL-encoded.
 */
export function actionLinksHtml(c: ActionTarget, flags: ActionFlags, w: StreamWords): string {
  const id = c.id;
  let html = '';
  // "Respect" on the button, "2 respects" beside it; the button's name says both, so assistive
  // technology hears the count once, with the button.
  const react = flags.includes('R') ? 'true' : flags.includes('r') ? 'false' : null;
  if (react) html += `<a class="comment__react" role="button" href="/comments/${id}/react" aria-pressed="${react}" aria-label="${respectLabel(c.reactionCount, w)}">${w.respect}</a>${reactionCountHtml(c.reactionCount, w, true)}`;
  else html += reactionCountHtml(c.reactionCount, w);
  if (flags.includes('p')) {
    html += `<a class="comment__reply" href="${c.permalink}#reply">${w.reply}</a>`;
    // With JavaScript the island quotes the reader's selection (or the whole comment) in place.
    html += `<a class="comment__quote" href="/comments/${id}/quote">${w.quote}</a>`;
  }
  if (flags.includes('e')) html += `<a class="comment__edit" href="/comments/${id}/edit">${w.edit}</a>`;
  if (flags.includes('T')) html += `<span class="comment__reported">${w.reported}</span>`;
  else if (flags.includes('t')) html += `<a class="comment__report" href="/comments/${id}/report">${w.report}</a>`;
  const follow = flags.includes('F') ? 'on' : flags.includes('f') ? 'off' : null;
  if (follow) html += `<a class="comment__follow" role="button" href="/comments/${id}/follow" data-handle="${encodeURIComponent(c.handle)}" data-follow="${follow}">${follow === 'on' ? w.unfollow : w.follow}</a>`;
  if (flags.includes('d')) html += `<a class="comment__delete" role="button" href="/comments/${id}/delete">${w.delete}</a>`;
  return html;
}
