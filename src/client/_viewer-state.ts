// Applies the viewer's compact state (comments/viewer-json.ts) to the shared threads of an article
// page: each comment's footer gets the links the server would have written for this reader
// (comments/action-links.ts, the same function). Runs once, before the conversation island takes over.
import { actionLinksHtml } from '../comments/action-links.ts';
import { SCRIPTED_COOKIE, VIEWER_STATE_ID, type ViewerState } from '../comments/viewer-json.ts';
import { islandWords } from './_conversation.ts';
import { COMMENT_AUTHOR, COMMENT_PERMALINK, COMMENT_RESPECTS, commentId } from './_comment.ts';

/** Tells the server that this browser runs the island: its next pages carry the compact state. */
export function noteScripted(): void {
  // A year, renewed on every page: a browser that stops running scripts gets a notice with a way back (routes.tsx).
  document.cookie = `${SCRIPTED_COOKIE}=1; path=/; max-age=31536000; samesite=lax`;
}

export function applyViewerState(root: HTMLElement): void {
  const holder = root.querySelector<HTMLScriptElement>(`script#${VIEWER_STATE_ID}`);
  if (!holder) return;
  const state = JSON.parse(holder.textContent ?? '{}') as ViewerState;
  holder.remove();
  const words = islandWords(root);
  for (const comment of root.querySelectorAll<HTMLElement>('article.comment')) {
    const footer = comment.querySelector(':scope > footer');
    const id = commentId(comment);
    if (!footer || !Number.isSafeInteger(id)) continue;
    const flags = state.c[id] ?? state.d;
    if (!flags) continue;
    const author = comment.querySelector<HTMLAnchorElement>(COMMENT_AUTHOR)?.getAttribute('href') ?? '';
    const handle = decodeURIComponent(author.slice(author.lastIndexOf('/') + 1));
    const permalink = comment.querySelector<HTMLAnchorElement>(COMMENT_PERMALINK)?.getAttribute('href') ?? '';
    const reactionCount = Number(comment.querySelector<HTMLDataElement>(COMMENT_RESPECTS)?.value ?? 0);
    footer.innerHTML = actionLinksHtml({ id, reactionCount, handle, permalink }, flags, words);
  }
}
