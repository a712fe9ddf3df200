// The loader a publisher pastes where comments belong:
//   <div id="parley-comments"></div>
//   <script src="https://PARLEY/embed.js" data-site="SITE" async></script>
// Optional: data-url (default: the page's canonical link), data-title (default: the page's title),
// data-sso-token (a token signed by the publisher's server), data-container (another element id).
// It decides nothing itself: it opens Parley's conversation in a frame from Parley's origin, which the
// server allows or refuses, sizes the frame to its content, passes the host's theme variables and
// the publisher's sign-in, and touches nothing on the page but its own container.
// It runs as a classic script (no imports), so it must stay self-contained.

export {};

interface ParleyApi {
  /** Signs the reader in with a token signed by the publisher's server (no reload). */
  login(token: string): void;
  /** Signs the reader out of the conversation. */
  logout(): void;
}

declare global {
  interface Window {
    Parley?: ParleyApi;
  }
}

// Everything stays inside this function: the host page's globals are not ours to write.
(() => {
  // The custom properties of the container the frame follows (Parley's own names; see parley.css).
  const THEME_VARS = ['--parley-accent', '--parley-accent-ink', '--parley-paper', '--parley-ink', '--parley-ink-soft', '--parley-link', '--parley-rule', '--parley-surface', '--parley-font-text', '--parley-font-ui', '--parley-font-headline'];

  const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src$="/embed.js"][data-site]');
  if (script) mount(script);

  function mount(tag: HTMLScriptElement): void {
    const base = new URL(tag.src).origin;
    const site = tag.dataset.site;
    const container = document.getElementById(tag.dataset.container || 'parley-comments');
    if (!site || !container) {
      console.warn('Parley: the embed needs data-site on its script and an element with id="parley-comments".');
      return;
    }
    const canonical = document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href;
    const url = tag.dataset.url || canonical || location.href.split('#')[0]!;
    const query = new URLSearchParams({ url, title: tag.dataset.title || document.title, origin: location.origin });
    const frame = document.createElement('iframe');
    frame.src = `${base}/embed/${encodeURIComponent(site)}?${query.toString()}`;
    frame.title = 'Comments';
    frame.setAttribute('scrolling', 'no');
    frame.style.cssText = 'display:block;width:100%;border:0;height:320px;overflow:hidden';
    container.replaceChildren(frame);

    let ready = false;
    const queue: unknown[] = [];
    const send = (message: unknown) => {
      if (ready && frame.contentWindow) frame.contentWindow.postMessage(message, base);
      else queue.push(message);
    };
    const theme = () => {
      const style = getComputedStyle(container);
      const vars: Record<string, string> = {};
      for (const name of THEME_VARS) {
        const value = style.getPropertyValue(name).trim();
        if (value) vars[name] = value;
      }
      return vars;
    };

    window.addEventListener('message', (event) => {
      if (event.source !== frame.contentWindow || event.origin !== base) return;
      const data = event.data as { type?: unknown; height?: unknown } | null;
      if (!data || typeof data !== 'object') return;
      if (data.type === 'parley:ready') {
        ready = true;
        frame.contentWindow!.postMessage({ type: 'parley:theme', vars: theme() }, base);
        for (const message of queue.splice(0)) frame.contentWindow!.postMessage(message, base);
      } else if (data.type === 'parley:height' && typeof data.height === 'number' && Number.isFinite(data.height)) {
        frame.style.height = `${Math.ceil(Math.min(Math.max(data.height, 80), 100_000))}px`;
      }
    });

    window.Parley = {
      login(token: string) {
        if (typeof token === 'string' && token) send({ type: 'parley:login', token });
      },
      logout() {
        send({ type: 'parley:logout' });
      },
    };
    if (tag.dataset.ssoToken) window.Parley.login(tag.dataset.ssoToken);
  }
})();
