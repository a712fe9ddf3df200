// The conversation island, shared by Parley's pages (comments.ts) and the embedded frame (embed-frame.ts). The page works without it; with it, posting, replying, reacting, deleting
// and paging happen in place, and the live stream brings other readers' comments in. Markup always
// comes from the server (the /fragments/ routes render the same components as the page), so the
// island stays small and never builds a comment of its own.

import { quoteAsMarkdown } from '../comments/quote.ts';
import { keepTimesFresh } from './_relative-time.ts';
import { COMMENT_AUTHOR, COMMENT_BODY, COMMENT_PERMALINK, COMMENT_RESPECTS, commentId } from './_comment.ts';
import { respectCountText, respectLabel, showRepliesText } from '../comments/counts.ts';
import { countText, type IslandWords } from '../comments/words.ts';

/** The island's words in the page's language: the server ships them in the section's `data-messages` (comments/stream-words.ts). */
export const islandWords = (root: HTMLElement): IslandWords => JSON.parse(root.dataset.messages ?? '{}') as IslandWords;

export interface ConversationOptions {
  /** Headers for every request: the CSRF token on Parley's own pages, the bearer token in a frame. */
  headers(): Record<string, string>;
}

/** Takes over one conversation section; returns what stops it (its live stream), for a frame that swaps it. */
export function enhance(root: HTMLElement, options: ConversationOptions): () => void {
  const slug = root.dataset.slug!;
  const w = islandWords(root);
  const count = (forms: IslandWords['newComments'], n: number) => countText(forms, n, w.lang);
  const api = `/api/v1/articles/${encodeURIComponent(slug)}`;
  const threads = root.querySelector<HTMLOListElement>('.comment-threads');
  const banner = root.querySelector<HTMLElement>('.comments__new');
  const pending = new Set<number>();
  // The reader's own new comments: their live echo may arrive before they are on the page.
  const mine = new Set<number>();
  let replyForms = 0;

  const byId = (id: number) => document.getElementById(`c-${id}`);

  async function call(method: string, url: string, body?: unknown): Promise<any> {
    const res = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...options.headers(), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data?.error?.message ?? w.failed);
    return data;
  }

  async function fragment(url: string): Promise<DocumentFragment> {
    const res = await fetch(url, { headers: { accept: 'text/html', ...options.headers() } });
    if (!res.ok) throw new Error(w.loadFailed);
    return parse(await res.text());
  }

  function parse(html: string): DocumentFragment {
    const tpl = document.createElement('template');
    tpl.innerHTML = html;
    return tpl.content;
  }

  /** Puts a reply where depth-first order wants it: after the last reply below its parent. */
  function placeReply(li: HTMLElement, parentId: number): boolean {
    const parent = byId(parentId);
    if (!parent) return false;
    // A reply's <li> says its depth (views.tsx ReplyItem); a thread's first comment is the parent of a list.
    const parentLi = parent.closest<HTMLElement>('li[data-depth]');
    if (!parentLi) {
      const list = parent.parentElement?.querySelector<HTMLElement>('.comment-replies');
      list?.append(li);
      return list != null;
    }
    const depth = Number(parentLi.dataset.depth);
    let after: Element = parentLi;
    while (after.nextElementSibling && Number((after.nextElementSibling as HTMLElement).dataset.depth) > depth) after = after.nextElementSibling;
    after.after(li);
    return true;
  }

  async function showComment(id: number, parentId: number | null): Promise<void> {
    if (byId(id)) return;
    const li = (await fragment(`/fragments/comments/${id}`)).firstElementChild as HTMLElement | null;
    if (!li || byId(id)) return;
    root.querySelector('.comments__empty')?.remove();
    if (parentId === null) threads?.prepend(li);
    else placeReply(li, parentId);
  }

  async function refresh(id: number): Promise<void> {
    const old = byId(id);
    if (!old) return;
    const res = await fetch(`/fragments/comments/${id}`, { headers: { accept: 'text/html', ...options.headers() } });
    // A moderator took it down and nothing below it keeps its place: it goes from this page too.
    if (res.status === 404) return void old.closest('li')?.remove();
    if (!res.ok) return;
    const fresh = parse(await res.text()).querySelector(`#c-${id}`);
    if (fresh) old.replaceWith(fresh);
  }

  function updateBanner(): void {
    if (!banner) return;
    const n = pending.size;
    banner.hidden = n === 0;
    banner.querySelector('button')!.textContent = count(w.newComments, n);
  }

  /** A comment's respect count, as the server writes it: "2 respects" beside the button, and in its name. */
  function showRespects(comment: Element | null, n: number): void {
    const respects = comment?.querySelector<HTMLDataElement>(COMMENT_RESPECTS);
    if (!respects) return;
    respects.value = String(n);
    respects.textContent = respectCountText(n, w);
    comment!.querySelector('a.comment__react')?.setAttribute('aria-label', respectLabel(n, w));
  }

  // --- Counts and the Featured section that follow what happens under the article -------------------

  // Replies already counted in their thread's "Show N replies": one's own reply and its live echo count once.
  const counted = new Set<number>();
  /** A reply new to this page raises its thread's count, folded or not. */
  function countReply(comment: { id: number; rootId: number | null }): void {
    if (comment.rootId === null || counted.has(comment.id)) return;
    counted.add(comment.id);
    const fold = root.querySelector<HTMLElement>(`li[data-thread="${comment.rootId}"] > details`);
    if (!fold) return;
    const n = Number(fold.dataset.replies ?? 0) + 1;
    fold.dataset.replies = String(n);
    // The summary's second text, "Show N replies" (views.tsx RepliesFold).
    const show = fold.querySelector(':scope > summary > :last-child');
    if (show) show.textContent = showRepliesText(n, w);
  }

  /**
   * The Featured section as the server has it now, when a comment was featured or unfeatured (or one
   * it shows changed): on the conversation's first page, where the page shows it.
   */
  async function refreshFeatured(): Promise<void> {
    if (!threads || root.querySelector('.comments__paged')) return;
    const res = await fetch(`/fragments/articles/${encodeURIComponent(slug)}/featured`, { headers: { accept: 'text/html', ...options.headers() } });
    if (!res.ok) return;
    const fresh = parse(await res.text()).querySelector('.comments__featured');
    // In a publisher's frame its links open a tab of their own, as the frame's first render has them.
    if (fresh && window.self !== window.top) for (const link of fresh.querySelectorAll<HTMLAnchorElement>('a[href]')) Object.assign(link, { target: '_blank', rel: 'noopener' });
    const old = root.querySelector('.comments__featured');
    if (fresh && old) old.replaceWith(fresh);
    else if (fresh) root.querySelector('.comments__sort')?.before(fresh);
    else old?.remove();
  }
  const touchesFeatured = (comment: { id: number; featured?: boolean }) => comment.featured === true || root.querySelector(`.featured[data-featured="${comment.id}"]`) !== null;

  function setCount(total: unknown): void {
    const el = root.querySelector('.comments__count');
    if (el && typeof total === 'number') el.textContent = `(${total})`;
  }

  // --- Times: "5 minutes ago", kept fresh for the whole conversation (_relative-time.ts) -------------
  const stopTimes = keepTimesFresh(root);

  // --- Composer: counter near the limit, preview, quoting -------------------------------------------

  root.addEventListener('input', (event) => {
    const text = event.target as HTMLTextAreaElement;
    const form = text.closest<HTMLFormElement>('form.composer');
    const counter = form?.querySelector<HTMLElement>('.composer__count');
    if (text.tagName !== 'TEXTAREA' || !form?.dataset.max || !counter) return;
    const max = Number(form.dataset.max);
    const used = [...text.value.trim()].length;
    const near = used >= max * Number(form.dataset.counterFrom ?? 0.8);
    const said = !near ? '' : used > max ? count(w.charactersOver, used - max) : count(w.charactersLeft, max - used);
    if (counter.textContent !== said) counter.textContent = said;
    counter.classList.toggle('composer__count--over', used > max);
  });

  async function preview(form: HTMLFormElement): Promise<void> {
    const res = await fetch('/fragments/comments/preview', {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/json', ...options.headers() },
      body: JSON.stringify({ body: form.querySelector('textarea')!.value }),
    });
    if (!res.ok) throw new Error((await res.json().catch(() => null))?.error?.message ?? w.previewFailed);
    const box = form.querySelector<HTMLElement>('.composer__preview')!;
    box.querySelector('.comment__body')!.innerHTML = await res.text();
    box.hidden = false;
  }

  // Pressing "Quote" may take the selection away: remember it as the press begins.
  let selected: { text: string; node: Node | null } = { text: '', node: null };
  root.addEventListener(
    'pointerdown',
    () => {
      const s = getSelection();
      selected = { text: s?.toString() ?? '', node: s?.anchorNode ?? null };
    },
    true,
  );

  /** The reader's selection inside the comment's text, else the whole text. */
  function quotedText(article: HTMLElement): string {
    const body = article.querySelector<HTMLElement>(COMMENT_BODY);
    if (!body) return '';
    const s = getSelection();
    if (s && !s.isCollapsed && body.contains(s.anchorNode)) return s.toString();
    if (selected.text.trim() && body.contains(selected.node)) return selected.text;
    return body.innerText;
  }

  // --- Forms ------------------------------------------------------------------------------------------

  root.addEventListener('submit', async (event) => {
    const form = event.target as HTMLFormElement;
    const error = form.querySelector<HTMLElement>('.composer__error');
    try {
      if (form.classList.contains('composer') && (event as SubmitEvent).submitter?.getAttribute('name') === 'preview') {
        event.preventDefault();
        await preview(form);
        if (error) error.textContent = '';
      } else if (form.classList.contains('composer') && form.action.endsWith('/comments')) {
        event.preventDefault();
        const text = form.querySelector('textarea')!;
        const parentId = (form.querySelector<HTMLInputElement>('input[name="parentId"]')?.value ?? '') || null;
        const button = form.querySelector('button')!;
        button.disabled = true;
        try {
          const { comment } = await call('POST', `${api}/comments`, { body: text.value, parentId: parentId ? Number(parentId) : null });
          mine.add(comment.id);
          countReply(comment);
          text.value = '';
          if (error) error.textContent = '';
          form.querySelector<HTMLElement>('.composer__preview')!.hidden = true;
          form.querySelector('.composer__count')!.textContent = '';
          pending.delete(comment.id);
          updateBanner();
          await showComment(comment.id, comment.parentId);
          // One's own reply shows even in a thread one had folded.
          byId(comment.id)?.closest('li[data-thread] > details')?.setAttribute('open', '');
          if (form.dataset.inline) form.remove();
          byId(comment.id)?.scrollIntoView({ block: 'nearest' });
        } finally {
          button.disabled = false;
        }
      }
    } catch (e) {
      const message = (e as Error).message;
      if (error) {
        error.textContent = message;
        form.querySelector('textarea')?.focus();
      } else alert(message);
    }
  });

  // --- Actions under a comment: links to small form pages without JavaScript, done in place here -----

  root.addEventListener('click', async (event) => {
    const link = (event.target as Element).closest<HTMLAnchorElement>('a.comment__react, a.comment__follow, a.comment__delete');
    if (!link || !root.contains(link)) return;
    event.preventDefault();
    const id = commentId(link.closest('.comment'));
    try {
      if (link.classList.contains('comment__react')) {
        const result = await call(link.getAttribute('aria-pressed') === 'true' ? 'DELETE' : 'PUT', `/api/v1/comments/${id}/reaction`);
        link.setAttribute('aria-pressed', String(result.reacted));
        showRespects(byId(id), result.reactionCount);
      } else if (link.classList.contains('comment__follow')) {
        const handle = link.dataset.handle!;
        const result = await call(link.dataset.follow === 'on' ? 'DELETE' : 'PUT', `/api/v1/readers/${handle}/follow`);
        // Every comment by the same reader on the page says the same.
        for (const other of root.querySelectorAll<HTMLAnchorElement>(`a.comment__follow[data-handle="${CSS.escape(handle)}"]`)) {
          other.dataset.follow = result.following ? 'on' : 'off';
          other.textContent = result.following ? w.unfollow : w.follow;
        }
      } else {
        if (!confirm(w.confirmDelete)) return;
        await call('DELETE', `/api/v1/comments/${id}`);
        await refresh(id);
      }
    } catch (e) {
      alert((e as Error).message);
    }
  });

  // --- Links: reply in place, more replies, more comments, new comments ---------------------------------

  root.addEventListener('click', async (event) => {
    const target = (event.target as Element).closest<HTMLElement>('a.comment__reply, a.comment__quote, .composer__cancel, a[data-more-replies], a[data-more-threads], .comments__show-new');
    if (!target) return;
    const template = root.querySelector<HTMLFormElement>('#comments-join form.composer');
    const quoting = target.classList.contains('comment__quote');
    const replyTo = quoting || target.classList.contains('comment__reply') ? commentId(target.closest('.comment')) : null;
    const inline = target.closest<HTMLFormElement>('form[data-inline]');
    if (target.classList.contains('composer__cancel') && inline) {
      event.preventDefault();
      const article = inline.previousElementSibling as HTMLElement;
      inline.remove();
      article.querySelector<HTMLElement>('.comment__reply')?.focus();
    } else if (replyTo && template) {
      event.preventDefault();
      const article = byId(replyTo)!;
      const quote = quoting ? quoteAsMarkdown(quotedText(article)) : '';
      const open = article.nextElementSibling as HTMLFormElement | null;
      if (open?.dataset.inline) {
        const text = open.querySelector('textarea')!;
        if (quote) text.value = text.value.trim() ? `${text.value.replace(/\s*$/, '')}\n\n${quote}` : quote;
        return text.focus();
      }
      const form = template.cloneNode(true) as HTMLFormElement;
      const n = ++replyForms;
      form.dataset.inline = '1';
      const parentId = document.createElement('input');
      Object.assign(parentId, { type: 'hidden', name: 'parentId', value: String(replyTo) });
      form.prepend(parentId);
      for (const el of form.querySelectorAll<HTMLElement>('[id]')) el.id = `${el.id}-r${n}`;
      const text = form.querySelector('textarea')!;
      text.value = quote;
      form.querySelector<HTMLElement>('.composer__preview')!.hidden = true;
      form.querySelector('.composer__count')!.textContent = '';
      const cancel = document.createElement('button');
      Object.assign(cancel, { type: 'button', className: 'button button--quiet composer__cancel', textContent: w.cancel });
      form.querySelector('.composer__buttons')!.append(cancel);
      text.setAttribute('aria-describedby', (text.getAttribute('aria-describedby') ?? '').replace(/(\S+)/g, `$1-r${n}`));
      const label = form.querySelector('label')!;
      label.htmlFor = text.id;
      const name = article.querySelector(COMMENT_AUTHOR)?.textContent;
      label.textContent = name ? w.replyTo.replace('{name}', () => name) : w.replyToComment;
      form.querySelector('.composer__error')!.textContent = '';
      form.querySelector('button[type="submit"]')!.textContent = w.postReply;
      for (const el of form.querySelectorAll('[aria-controls]')) el.setAttribute('aria-controls', `${el.getAttribute('aria-controls')}-r${n}`);
      article.after(form);
      text.focus();
      text.setSelectionRange(text.value.length, text.value.length);
    } else if (target.hasAttribute('data-more-replies')) {
      event.preventDefault();
      const list = target.previousElementSibling as HTMLElement;
      const link = new URL((target as HTMLAnchorElement).href); // the parent's short address, /comments/ID, and the cursor
      const content = await fragment(`/fragments/comments/${Number(link.pathname.slice(link.pathname.lastIndexOf('/') + 1))}/replies${link.search}`);
      for (const li of [...content.children] as HTMLElement[]) if (li.tagName === 'LI' && !byId(commentId(li.querySelector('.comment')))) list.append(li);
      const next = content.querySelector('a[data-more-replies]');
      if (next) target.replaceWith(next);
      else target.remove();
    } else if (target.dataset.moreThreads && threads) {
      event.preventDefault();
      const holder = target.closest('.comments__more')!;
      const content = await fragment(target.dataset.moreThreads);
      for (const li of [...content.children] as HTMLElement[]) if (li.tagName === 'LI' && !byId(Number(li.dataset.thread))) threads.append(li);
      const next = content.querySelector('.comments__more');
      if (next) holder.replaceWith(next);
      else holder.remove();
    } else if (target.classList.contains('comments__show-new')) {
      const ids = [...pending].sort((a, b) => a - b);
      pending.clear();
      updateBanner();
      for (const id of ids) await showComment(id, null);
      if (ids.length) byId(ids[ids.length - 1]!)?.querySelector<HTMLElement>(COMMENT_PERMALINK)?.focus();
    }
  });

  // --- Live ----------------------------------------------------------------------------------------

  let stream: EventSource | null = null;
  if (typeof EventSource === 'function') {
    const live = new EventSource(`${api}/live?after=${encodeURIComponent(root.dataset.after ?? '')}`);
    stream = live;
    const on = (name: string, handle: (data: any) => unknown) =>
      live.addEventListener(name, (e) => {
        Promise.resolve(handle(JSON.parse((e as MessageEvent).data))).catch(() => undefined);
      });
    on('comment.created', ({ comment, commentCount }) => {
      setCount(commentCount);
      // Approved and featured at once by a moderator: it joins the Featured section too.
      if (touchesFeatured(comment)) void refreshFeatured();
      if (byId(comment.id) || mine.has(comment.id)) return;
      countReply(comment);
      // New threads wait for the reader to ask, so the page never moves under them; replies go in place.
      if (comment.parentId === null) {
        if (threads) pending.add(comment.id);
        return updateBanner();
      }
      return showComment(comment.id, comment.parentId);
    });
    // Featuring and unfeaturing an approved comment arrive as edits of it.
    on('comment.edited', ({ comment }) => Promise.all([refresh(comment.id), touchesFeatured(comment) ? refreshFeatured() : null]));
    on('comment.deleted', ({ comment, commentCount }) => {
      setCount(commentCount);
      if (touchesFeatured(comment)) void refreshFeatured();
      pending.delete(comment.id);
      updateBanner();
      return refresh(comment.id);
    });
    on('comment.reaction_changed', ({ id, reactionCount }) => showRespects(byId(id), reactionCount));
    on('reset', () => {
      stream?.close();
      if (banner) {
        banner.hidden = false;
        banner.querySelector('button')!.textContent = w.outOfDate;
        banner.querySelector('button')!.onclick = () => location.reload();
      }
    });
  }

  return () => {
    stream?.close();
    stopTimes();
  };
}
