// One article address can be written many ways: http or https, with or without `www.`, a trailing
// slash, a fragment, tracking parameters. Embeds, counts and comment imports all find an article by
// its address, so they share this one key.

const TRACKING_PARAMS = /^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid|ref_src)$/i;

/** A publisher address parsed and checked: http(s) only, no credentials. Null when it is not one. */
export function parseArticleAddress(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url;
}

/**
 * The key under which an address is matched: host without `www.` (and its port when not the
 * default), the path without a trailing slash, and the query without tracking parameters, sorted.
 * The scheme and fragment do not count.
 */
export function addressKey(url: URL): string {
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const port = url.port ? `:${url.port}` : '';
  const path = url.pathname.replace(/\/+$/, '') || '';
  const params = [...url.searchParams.entries()].filter(([name]) => !TRACKING_PARAMS.test(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  return `${host}${port}${path}${query}`;
}

/** The address as stored and linked to: the fragment and tracking parameters removed. */
export function cleanAddress(url: URL): string {
  const clean = new URL(url.href);
  clean.hash = '';
  for (const name of [...clean.searchParams.keys()]) if (TRACKING_PARAMS.test(name)) clean.searchParams.delete(name);
  return clean.href;
}

/** An origin as a site lists it: scheme, host and port, lower-cased, no path. Null when it is not one. */
export function normaliseOrigin(raw: string): string | null {
  const url = parseArticleAddress(raw);
  if (!url) return null;
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return null;
  return url.origin;
}

/** Whether an address lies under one of the allowed origins (exactly: scheme, host and port). */
export function isUnderOrigins(url: URL, origins: readonly string[]): boolean {
  return origins.includes(url.origin);
}
