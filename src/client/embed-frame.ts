// The embedded conversation's island, inside the frame on a publisher's page. It sizes the frame to
// its content, signs the reader in without any reload (a first-party sign-in window that hands back a
// one-time code, or the publisher's signed token from Parley.login), and runs the conversation.
// It never relies on cookies: browsers block them in third-party frames. The frame holds a bearer
// token (in storage partitioned to the publisher's site where the browser allows it, else in memory).

import { enhance } from './_conversation.ts';
import { commentId } from './_comment.ts';

const body = document.body;
const site = body.dataset.site ?? '';
const hostOrigin = body.dataset.hostOrigin ?? '';
const KEY = `parley:embed:${site}`;

function readToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}
let token = readToken();
function keepToken(value: string | null): void {
  token = value;
  try {
    if (value) localStorage.setItem(KEY, value);
    else localStorage.removeItem(KEY);
  } catch {
    // Storage refused: the token lives as long as the frame.
  }
}
const auth = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

function toHost(message: unknown): void {
  if (hostOrigin && window.parent !== window) window.parent.postMessage(message, hostOrigin);
}

// --- Size: the host makes the frame as tall as its content, so there is no inner scrollbar ----------
let lastHeight = 0;
function measure(): void {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height !== lastHeight) {
    lastHeight = height;
    toHost({ type: 'parley:height', height });
  }
}
if (typeof ResizeObserver === 'function') new ResizeObserver(measure).observe(document.body);
window.addEventListener('load', measure);

// --- Messages to the reader --------------------------------------------------------------------------
function say(message: string): void {
  let status = document.querySelector<HTMLElement>('.embed-status');
  if (!status) {
    status = document.createElement('p');
    status.className = 'embed-status';
    status.setAttribute('role', 'status');
    document.querySelector('.embed__main')?.prepend(status);
  }
  status.textContent = message;
}

// --- The conversation ---------------------------------------------------------------------------------
const sectionNow = () => document.querySelector<HTMLElement>('#comments[data-slug]');
let stop = () => {};
function take(section: HTMLElement): void {
  stop();
  stop = enhance(section, { headers: auth });
  measure();
}
const first = sectionNow();
if (first) take(first);

/** The conversation as the reader now signed in (or out) sees it, swapped in place. */
async function reloadSection(search = location.search): Promise<void> {
  const section = sectionNow();
  if (!section) return;
  const query = new URLSearchParams(search);
  const res = await fetch(`/embed/${encodeURIComponent(site)}/section?${query.toString()}`, { headers: { accept: 'text/html', ...auth() } });
  if (!res.ok) return say('The conversation could not be refreshed. Please reload the page.');
  const template = document.createElement('template');
  template.innerHTML = await res.text();
  const fresh = template.content.querySelector<HTMLElement>('#comments');
  if (!fresh) return;
  section.replaceWith(fresh);
  take(fresh);
  void followUnread();
}

async function post(url: string, payload: unknown): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data?.error?.message ?? 'Signing in did not work. Please try again.');
  return data;
}

async function signedIn(newToken: string): Promise<void> {
  keepToken(newToken);
  say('');
  await reloadSection();
}

async function signOut(): Promise<void> {
  if (token) await fetch('/api/v1/auth/logout', { method: 'POST', headers: auth() }).catch(() => undefined);
  keepToken(null);
  bell?.abort();
  await reloadSection();
}

// A token kept from an earlier visit may have expired or been revoked.
async function resume(): Promise<void> {
  if (!token) return;
  const res = await fetch('/api/v1/me', { headers: { accept: 'application/json', ...auth() } }).catch(() => null);
  if (res?.status === 401) keepToken(null);
  else if (res?.ok) await reloadSection();
}

// --- Signing in through a first-party window ---------------------------------------------------------
let popup: Window | null = null;
let popupState = '';

function randomState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

document.addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLElement>('[data-embed-signin], [data-embed-signout]');
  if (!button) return;
  event.preventDefault();
  if (button.dataset.embedSignout !== undefined) return void signOut();
  popupState = randomState();
  const mode = button.dataset.embedSignin === 'register' || button.dataset.embedSignin === 'oidc' ? button.dataset.embedSignin : 'signin';
  popup = window.open(`/embed/signin?${new URLSearchParams({ site, state: popupState, mode }).toString()}`, 'parley-signin', 'popup,width=500,height=720');
  if (!popup) say('Your browser blocked the sign-in window. Allow pop-ups for this page and try again.');
});

const THEME_NAME = /^--parley-[a-z-]{1,40}$/;
const THEME_VALUE = /^[^;{}<>\\]{1,200}$/;

window.addEventListener('message', (event) => {
  const data = event.data as Record<string, unknown> | null;
  if (!data || typeof data !== 'object' || typeof data.type !== 'string') return;
  if (popup && event.source === popup && event.origin === location.origin) {
    if (data.type !== 'parley:signed-in' || typeof data.code !== 'string' || data.state !== popupState || !popupState) return;
    const state = popupState;
    popupState = '';
    popup = null;
    post('/api/v1/embed/token', { code: data.code, state })
      .then((answer: { token: string }) => signedIn(answer.token))
      .catch((error: Error) => say(error.message));
    return;
  }
  if (event.source !== window.parent || event.origin !== hostOrigin) return;
  if (data.type === 'parley:login' && typeof data.token === 'string' && data.token.length <= 8192) {
    post('/api/v1/embed/sso', { site, token: data.token })
      .then((answer: { token: string }) => signedIn(answer.token))
      .catch((error: Error) => say(error.message));
  } else if (data.type === 'parley:logout') {
    void signOut();
  } else if (data.type === 'parley:theme' && data.vars && typeof data.vars === 'object') {
    for (const [name, value] of Object.entries(data.vars as Record<string, unknown>)) {
      if (THEME_NAME.test(name) && typeof value === 'string' && THEME_VALUE.test(value)) document.documentElement.style.setProperty(name, value);
    }
  }
});

// Signed in or out in another frame of this publisher's site (another tab).
window.addEventListener('storage', (event) => {
  if (event.key !== KEY || event.newValue === token) return;
  token = event.newValue;
  void reloadSection();
});

// --- The frame's own forms: what Parley's pages do by posting to other pages goes through the API ----
async function api(method: string, url: string, payload?: unknown): Promise<any> {
  const res = await fetch(url, { method, headers: { accept: 'application/json', ...auth(), ...(payload ? { 'content-type': 'application/json' } : {}) }, body: payload ? JSON.stringify(payload) : undefined });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data?.error?.message ?? 'That did not work. Please try again.');
  return data;
}

document.addEventListener('submit', (event) => {
  const form = event.target as HTMLFormElement;
  if (!form.matches('.comment__follow, .comments__follow')) return;
  event.preventDefault();
  const on = (form.querySelector<HTMLInputElement>('input[name="action"]')?.value ?? 'follow') === 'follow';
  api(on ? 'PUT' : 'DELETE', `/api/v1${form.getAttribute('action')}`)
    .then(() => reloadSection())
    .catch((error: Error) => say(error.message));
});

// Sorting and going back to the first page swap the conversation in place: navigating the frame would
// lose a token that only lives in memory (browsers that block third-party storage).
document.addEventListener('click', (event) => {
  const link = (event.target as Element).closest<HTMLAnchorElement>('#comments .comments__sort a, #comments .comments__paged a');
  if (!link || link.origin !== location.origin) return;
  event.preventDefault();
  const target = new URL(link.href);
  void reloadSection(target.search).then(() => {
    history.replaceState(null, '', `${target.pathname}${target.search}`);
    sectionNow()?.querySelector<HTMLElement>('.comments__sort [aria-current="true"]')?.focus();
  });
});

document.addEventListener('click', (event) => {
  const link = (event.target as Element).closest<HTMLAnchorElement>('#comments a.comment__edit, #comments a.comment__report');
  if (!link) return;
  event.preventDefault();
  const comment = link.closest<HTMLElement>('.comment')!;
  const id = commentId(comment);
  if (comment.querySelector('.embed-inline')) return comment.querySelector<HTMLElement>('.embed-inline textarea, .embed-inline select')?.focus();
  if (link.classList.contains('comment__edit')) void openEdit(comment, id);
  else openReport(comment, id);
});

function inlineForm(comment: HTMLElement, html: string, submit: (form: HTMLFormElement) => Promise<void>): HTMLFormElement {
  const form = document.createElement('form');
  form.className = 'embed-inline composer';
  form.innerHTML = html;
  comment.append(form);
  form.querySelector<HTMLButtonElement>('[data-cancel]')?.addEventListener('click', () => form.remove());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const error = form.querySelector<HTMLElement>('.composer__error')!;
    submit(form).catch((e: Error) => (error.textContent = e.message));
  });
  form.querySelector<HTMLElement>('textarea, select')?.focus();
  return form;
}

async function openEdit(comment: HTMLElement, id: number): Promise<void> {
  const { comment: current } = await api('GET', `/api/v1/comments/${id}`);
  const form = inlineForm(
    comment,
    `<label for="edit-${id}">Edit your comment</label><textarea id="edit-${id}" rows="4" required></textarea>` +
      `<p class="composer__error" role="alert"></p><button type="submit">Save</button> <button type="button" class="button button--quiet" data-cancel>Cancel</button>`,
    async (f) => {
      await api('PATCH', `/api/v1/comments/${id}`, { body: f.querySelector('textarea')!.value });
      await reloadSection();
    },
  );
  form.querySelector('textarea')!.value = current.body ?? '';
}

function openReport(comment: HTMLElement, id: number): void {
  inlineForm(
    comment,
    `<label for="report-${id}">Why should a moderator look at this comment?</label>` +
      `<select id="report-${id}" name="reason"><option value="spam">Spam</option><option value="abuse">Abuse or harassment</option><option value="off_topic">Off topic</option><option value="other">Something else</option></select>` +
      `<label for="report-text-${id}">Anything to add? (needed for “Something else”)</label><textarea id="report-text-${id}" rows="2" maxlength="1000"></textarea>` +
      `<p class="composer__error" role="alert"></p><button type="submit">Report</button> <button type="button" class="button button--quiet" data-cancel>Cancel</button>`,
    async (f) => {
      const reason = f.querySelector('select')!.value;
      const text = f.querySelector('textarea')!.value.trim();
      await api('POST', `/api/v1/comments/${id}/report`, { reason, ...(text ? { text } : {}) });
      f.replaceWith(Object.assign(document.createElement('p'), { className: 'embed-inline__done', textContent: 'Thank you: a moderator will look at it.' }));
    },
  );
}

// --- The notifications bell: its live count, read with the bearer token (EventSource cannot send one) -
let bell: AbortController | null = null;
function setUnread(count: number): void {
  const el = document.querySelector<HTMLElement>('.embed-account__unread');
  if (!el) return;
  el.dataset.unread = String(count);
  // The words come with the frame, in its language (comments/views.tsx EmbedAccountBar).
  el.textContent = count > 0 ? (el.dataset.words ?? '({n})').replace('{n}', String(count)) : '';
}
async function followUnread(): Promise<void> {
  bell?.abort();
  bell = null;
  if (!token || !document.querySelector('.embed-account__unread')) return;
  const controller = new AbortController();
  bell = controller;
  try {
    const res = await fetch('/api/v1/notifications/live', { headers: { accept: 'text/event-stream', ...auth() }, signal: controller.signal });
    if (res.ok && res.body) {
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (/^event: unread$/m.test(block) && data) setUnread(Number(JSON.parse(data).unreadCount) || 0);
        }
      }
    }
  } catch {
    // Aborted, or the connection dropped: tried again below while the reader stays signed in.
  }
  if (bell === controller && token) setTimeout(() => bell === controller && void followUnread(), 5000);
}

void resume().then(followUnread);
toHost({ type: 'parley:ready' });
measure();
