// The site-wide island: keeps every open tab's header in step with who is signed in.
//
// Each page says who it was rendered for in <meta name="parley-viewer"> (a handle, or empty), and its
// header whether that reader's address is confirmed (data-email-verified): confirming the address
// in one tab changes the state as signing in or out does, so the other tabs' composers follow.
// On load, a page that disagrees with the last known state (localStorage "parley:viewer") records
// its own and tells the other tabs (the `storage` event, and a BroadcastChannel where localStorage
// is unavailable). A tab that hears of a different viewer fetches its new header from
// GET /account/nav, swaps it in, and announces the change on `window`:
//
//   window.addEventListener('parley:viewer', (e) => e.detail.user)
//     detail.user: { handle, displayName, role, emailVerified } when signed in, null when signed out.
//
// Islands that change the sign-in state without loading a page (e.g. signing in from the comment
// composer through the API) dispatch `new Event('parley:viewer-changed')` on `window`; this island
// then fetches the header, updates this tab and tells the others.
// Without JavaScript, the next page load shows the right header.

const KEY = 'parley:viewer';
const meta = document.querySelector<HTMLMetaElement>('meta[name="parley-viewer"]');
const channel = 'BroadcastChannel' in window ? new BroadcastChannel('parley') : null;

/** The state the tabs share: the handle, marked while the address is not confirmed. */
const viewerState = (handle: string, emailVerified: boolean) => (handle && !emailVerified ? `${handle} unverified` : handle);
const pageViewer = () => viewerState(meta?.content ?? '', document.querySelector('.account-nav')?.getAttribute('data-email-verified') !== 'false');

function stored(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function announce(viewer: string): void {
  try {
    localStorage.setItem(KEY, viewer);
  } catch {
    // Private modes may refuse storage; the channel still reaches the other tabs.
  }
  channel?.postMessage({ viewer });
}

let refreshing: Promise<void> | null = null;

/** Fetches the header for whoever is signed in now, swaps it in and tells this page's islands. */
function refresh(): Promise<void> {
  refreshing ??= (async () => {
    const before = pageViewer();
    try {
      const path = location.pathname + location.search;
      const res = await fetch(`/account/nav?path=${encodeURIComponent(path)}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!res.ok) return;
      const { user, html } = (await res.json()) as { user: { handle: string; emailVerified: boolean } | null; html: string };
      const viewer = user ? viewerState(user.handle, user.emailVerified) : '';
      const area = document.querySelector('.site-account');
      if (area) area.innerHTML = html;
      const changed = viewer !== before;
      if (meta) meta.content = user?.handle ?? '';
      if (stored() !== viewer) announce(viewer);
      if (changed) window.dispatchEvent(new CustomEvent('parley:viewer', { detail: { user } }));
    } catch {
      // Offline or the server is restarting: the next page load shows the right header.
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function heard(viewer: string | null): void {
  if (viewer !== null && viewer !== pageViewer()) void refresh();
}

if (stored() !== pageViewer()) announce(pageViewer());

window.addEventListener('storage', (event) => {
  if (event.key === KEY) heard(event.newValue ?? '');
});
channel?.addEventListener('message', (event: MessageEvent<{ viewer?: string }>) => heard(event.data?.viewer ?? null));
// A tab in the background may have missed a message (or been frozen); check when it is shown again.
// A reader waiting to confirm their address may have opened the link in another browser (a mail app's):
// such a tab asks the server whenever it is shown.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible') return;
  if (pageViewer().endsWith(' unverified')) void refresh();
  else heard(stored());
});
// A page restored from the back/forward cache shows the header it had when it was left.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) heard(stored());
});
window.addEventListener('parley:viewer-changed', () => void refresh());
