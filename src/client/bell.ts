// The bell island: keeps the header's unread count live. The server renders the count (a plain link
// to /notifications without JavaScript); this listens to GET /api/v1/notifications/live, which says
// the current count on connecting and again whenever it changes, and swaps the number in. A sign-in
// or sign-out in another tab (site.ts fires `parley:viewer`) reconnects or stops it.

let source: EventSource | null = null;

function show(count: number): void {
  for (const badge of document.querySelectorAll<HTMLElement>('[data-bell] [data-unread]')) {
    badge.dataset.unread = String(count);
    const n = badge.querySelector('[data-bell-n]');
    if (n) n.textContent = String(count);
  }
}

/** On /activity, a change may be new activity: fetch the page again and swap its list in. */
async function refreshActivity(): Promise<void> {
  const list = document.querySelector('[data-activity] .feed-list');
  if (!list) return;
  const res = await fetch('/activity', { credentials: 'same-origin' });
  if (!res.ok) return;
  const fresh = new DOMParser().parseFromString(await res.text(), 'text/html').querySelector('[data-activity] .feed-list');
  if (fresh) list.replaceWith(document.importNode(fresh, true));
}

function connect(): void {
  source?.close();
  source = null;
  if (!document.querySelector('[data-bell]') || !('EventSource' in window)) return;
  source = new EventSource('/api/v1/notifications/live');
  source.addEventListener('unread', (e) => {
    const count = (JSON.parse((e as MessageEvent<string>).data) as { unreadCount?: unknown }).unreadCount;
    if (typeof count === 'number') show(count);
    if (typeof count === 'number' && count > 0) void refreshActivity();
  });
}

window.addEventListener('parley:viewer', connect);
connect();
