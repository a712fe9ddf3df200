// Comment counts for a publisher's listing pages:
//   <a href="/story" data-parley-count="https://www.example.com/story"></a>
//   <script src="https://PARLEY/count.js" data-site="SITE" async></script>
// Every [data-parley-count] element (its value an article address, or empty for its own href) gets
// "N comments" from one batched request per 50 addresses, which the server lets browsers cache.
// A classic script (no imports).

export {};

// Everything stays inside this function: the host page's globals are not ours to write.
(() => {
  const BATCH = 50;
  const tag = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src$="/count.js"][data-site]');
  if (tag?.dataset.site) void fill(new URL(tag.src).origin, tag.dataset.site);

  async function fill(base: string, site: string): Promise<void> {
    const elements = [...document.querySelectorAll<HTMLElement>('[data-parley-count]')];
    const addressOf = (el: HTMLElement) => el.dataset.parleyCount || (el instanceof HTMLAnchorElement ? el.href : '');
    const addresses = [...new Set(elements.map(addressOf).filter(Boolean))];
    for (let i = 0; i < addresses.length; i += BATCH) {
      const query = new URLSearchParams({ site });
      for (const address of addresses.slice(i, i + BATCH)) query.append('url', address);
      try {
        const res = await fetch(`${base}/api/v1/embed/counts?${query.toString()}`, { credentials: 'omit' });
        if (!res.ok) continue;
        const { counts } = (await res.json()) as { counts: Record<string, number | null> };
        for (const el of elements) {
          const count = counts[addressOf(el)];
          if (typeof count === 'number') el.textContent = count === 1 ? '1 comment' : `${count.toLocaleString()} comments`;
        }
      } catch {
        // Counts are a nicety: a listing page without them still works.
      }
    }
  }
})();
