// The conversation island on Parley's own pages (the core is _conversation.ts, shared with the embed).
import { enhance } from './_conversation.ts';
import { applyViewerState, noteScripted } from './_viewer-state.ts';

const section = document.querySelector<HTMLElement>('#comments[data-slug]');
noteScripted();
if (section) {
  applyViewerState(section);
  const csrf = () => section.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
  enhance(section, { headers: () => ({ 'x-csrf-token': csrf() }) });

  // Signed in or out in another tab: the composer (or the invitation to join) follows.
  window.addEventListener('parley:viewer', async () => {
    const join = section.querySelector('#comments-join');
    const res = await fetch(`/fragments/articles/${encodeURIComponent(section.dataset.slug!)}/join`, { headers: { accept: 'text/html' } });
    if (!res.ok) return;
    const tpl = document.createElement('template');
    tpl.innerHTML = await res.text();
    const fresh = tpl.content.firstElementChild;
    if (join && fresh) join.replaceWith(fresh);
  });
}
