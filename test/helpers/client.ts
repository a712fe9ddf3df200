// An HTTP client for integration tests that behaves like a browser with cookies: it keeps the
// cookies the server sets and sends the CSRF header on state-changing calls, as our pages do.

export class TestClient {
  readonly cookies = new Map<string, string>();
  private csrf: string | null = null;

  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line);
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async raw(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const res = await fetch(`${this.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
    this.remember(res);
    return res;
  }

  /** The HTML page at `path`, as a browser asks for it. */
  async page(path: string, headers: Record<string, string> = {}): Promise<string> {
    return (await this.raw(path, { headers: { accept: 'text/html', ...headers } })).text();
  }

  async csrfToken(): Promise<string> {
    if (!this.csrf) {
      const res = await this.raw('/api/v1/auth/csrf');
      this.csrf = ((await res.json()) as { token: string }).token;
    }
    return this.csrf;
  }

  /** A JSON call; unsafe methods carry X-CSRF-Token unless `csrf: false`. */
  async json(method: string, path: string, body?: unknown, options: { csrf?: boolean; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any; res: Response }> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (!['GET', 'HEAD'].includes(method) && options.csrf !== false) headers['x-csrf-token'] = await this.csrfToken();
    const res = await this.raw(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: the test sees the text.
    }
    return { status: res.status, body: parsed, res };
  }

  /** A form post as a browser without JavaScript sends it, with the page's CSRF field. */
  async form(path: string, fields: Record<string, string>, options: { csrf?: boolean } = {}): Promise<Response> {
    const data = new URLSearchParams(fields);
    if (options.csrf !== false) data.set('_csrf', await this.csrfToken());
    return this.raw(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: data.toString() });
  }

  get = (path: string) => this.json('GET', path);
  post = (path: string, body?: unknown) => this.json('POST', path, body ?? {});
  put = (path: string, body?: unknown) => this.json('PUT', path, body);
  patch = (path: string, body?: unknown) => this.json('PATCH', path, body);
  delete = (path: string) => this.json('DELETE', path);

  /** Forget the cached CSRF token (after sign-in, which may change it). */
  resetCsrf(): void {
    this.csrf = null;
  }
}
