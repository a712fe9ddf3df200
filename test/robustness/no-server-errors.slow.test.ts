import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesOf, type RouteEntry } from '../../src/http/route-list.ts';
import { startConversation, type Conversation } from '../comments/setup.ts';
import { dialects } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient, type TestUser } from '../helpers/users.ts';

// "Every bad input gets a clear error; a 500 is a bug." This file walks every route the running app
// registered (src/http/route-list.ts, so a new route is covered without touching this file) and sends
// it malformed input: junk path parameters, junk query strings and cursors, invalid or mistyped JSON
// and form bodies, wrong content types; as an anonymous visitor, a reader, a moderator and an admin
// (each with a valid CSRF token, so the input gets past the CSRF check to the code behind it). Every
// answer must be below 500, and a 4xx must carry a message a person can read: our JSON error shape,
// or an HTML page.
//
// Field names come from each route's own schema (body, querystring), so a new field is tried too.
// The number of cases per route is bounded (see LIMITS) to keep the file fast; the cases are the same
// on every run (no randomness), in the order the app registered its routes.

type Role = 'anonymous' | 'reader' | 'moderator' | 'admin';
const ROLES: Role[] = ['anonymous', 'reader', 'moderator', 'admin'];

/** The reader runs every case; the other roles a deterministic sample of each route's cases. */
const LIMITS = { readerPerRoute: 24, otherPerRoute: 8 };

interface Case {
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Sends no X-CSRF-Token header (the case is about the token itself). */
  noCsrf?: boolean;
}

type Json = Record<string, unknown>;

const LONG = 'x'.repeat(100_000);
const UNICODE = 'Zoë 😀 \u202e \u0000 \uFFFF 日本語';

// --- Path parameters: raw URL segments, already percent-encoded where the point is the encoding. ---
const BAD_SEGMENTS: string[] = [
  'abc',
  '-1',
  '0',
  '1.5',
  '1e30',
  '99999999999999999999',
  '9007199254740993',
  '%00',
  '%ZZ',
  '%E2%82',
  'caf%C3%A9%F0%9F%98%80%E2%80%AE',
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(499),
  'x'.repeat(2_000),
];

// --- Query strings ---
const QUERY_VALUES: string[] = ['junk', '', '-1', '0', '1.5', '1e30', '99999999999999999999', '%ZZ', '%F0%9F%98%80', 'x'.repeat(6_000)];
/** Names tried on every route: pages read some of them without a schema. */
const COMMON_QUERY = ['sort', 'cursor', 'limit', 'after', 'queue', 'token', 'articleSlug'];

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
/** Cursors that are no cursor at all; mutations of real ones are added from the pages themselves. */
const BAD_CURSORS: string[] = ['garbage', '!!!', b64('null'), b64('[]'), b64('{}'), b64('"x"'), b64('1e400'), b64('['.repeat(5_000)), Buffer.from([0xff, 0xfe, 0x00]).toString('base64url')];
const CURSOR_FIELD_VALUES: unknown[] = [1e30, -1, 1.5, 2147483648, Number.MAX_SAFE_INTEGER, 'junk', '', '1', '2026-01-01T00:00:00.000Z\u0000', null, [], {}, 'x'.repeat(2_000), '99999999999999999999'];

// --- Bodies ---
const JUNK_VALUES: unknown[] = [null, true, 0, -1, 1.5, 1e30, 2147483648, Number.MAX_SAFE_INTEGER, '', 'junk', '99999999999999999999', LONG, UNICODE, [], ['a', 1], {}, { nested: { deeper: [1] } }];
const FORM_VALUES: string[] = ['', 'junk', '-1', '0', '1e30', '99999999999999999999', LONG, UNICODE];
/** Field names tried on routes that declare no body schema (pages that read their form themselves). */
const COMMON_FIELDS = ['body', 'parentId', 'on', 'reason', 'kind', 'decision', 'role', 'handle', 'email', 'password', 'token', 'displayName'];

/** JSON Schema helpers over TypeBox schemas (plain JSON Schema objects). */
type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; anyOf?: Schema[]; oneOf?: Schema[]; enum?: unknown[]; const?: unknown; minimum?: number; minLength?: number; maxLength?: number; format?: string; items?: Schema };

function propertiesOf(schema: unknown): Record<string, Schema> {
  const s = schema as Schema | undefined;
  if (!s || typeof s !== 'object') return {};
  const own = s.properties ?? {};
  const alternatives = [...(s.anyOf ?? []), ...(s.oneOf ?? [])].map(propertiesOf);
  return Object.assign({}, ...alternatives, own);
}

/** A value the schema accepts, so that one junk field at a time reaches the code behind validation. */
function plausible(schema: Schema | undefined, name: string): unknown {
  if (!schema) return 'plausible';
  if ('const' in schema) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const alternatives = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  if (alternatives.length) return plausible(alternatives.find((a) => a.type !== 'null') ?? alternatives[0], name);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    case 'string': {
      if (schema.format === 'date-time') return new Date(Date.UTC(2030, 0, 1)).toISOString();
      if (schema.format === 'email' || /email/i.test(name)) return 'robust@example.test';
      const text = /password/i.test(name) ? 'a plausible passphrase 1' : 'plausible text';
      return text.padEnd(schema.minLength ?? 0, 'x').slice(0, schema.maxLength ?? Infinity);
    }
    default:
      return 'plausible';
  }
}

interface Fixtures {
  slug: string;
  handle: string;
  commentId: number;
  cursors: string[];
}

/** A URL with its parameters filled: valid values, except `bad` for the parameter named `only`. */
function fill(url: string, f: Fixtures, commentId: number, only?: string, bad?: string): string {
  const valid: Record<string, string> = { slug: f.slug, id: String(commentId), handle: f.handle, token: 'not-a-token', queue: 'held', '*': 'missing.css' };
  return url.replace(/:(\w+)|\*/g, (match, name: string | undefined) => {
    const key = name ?? '*';
    if (key === only) return bad!;
    return encodeURIComponent(valid[key] ?? 'x');
  });
}

const paramNames = (url: string) => [...url.matchAll(/:(\w+)|\*/g)].map((m) => m[1] ?? '*');

/** Real cursors from the pages, each field replaced by junk; and cursors that are junk throughout. */
function cursorVariants(real: string[]): string[] {
  const out = new Set(BAD_CURSORS);
  // Shapes some lists use (a bare id, `{ b: id }`) whatever the fixtures happen to list.
  for (const junk of CURSOR_FIELD_VALUES) out.add(b64(JSON.stringify(junk))).add(b64(JSON.stringify({ b: junk })));
  for (const cursor of real) {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const key of Object.keys(value)) for (const junk of CURSOR_FIELD_VALUES) out.add(b64(JSON.stringify({ ...value, [key]: junk })));
    const { [Object.keys(value)[0]!]: _dropped, ...rest } = value as Json;
    out.add(b64(JSON.stringify(rest)));
  }
  return [...out];
}

function casesFor(route: RouteEntry, f: Fixtures, commentId: number): Case[] {
  const { method, url } = route;
  const unsafe = method !== 'GET';
  const schema = (route.schema ?? {}) as { body?: unknown; querystring?: unknown };
  const bodyFields = propertiesOf(schema.body);
  const queryFields = propertiesOf(schema.querystring);
  const path = fill(url, f, commentId);
  const validJson: Json = Object.fromEntries(Object.entries(bodyFields).map(([name, s]) => [name, plausible(s, name)]));
  const json = (label: string, body: string, contentType = 'application/json'): Case => ({ label, method, path, headers: { 'content-type': contentType }, body });
  const form = (label: string, fields: URLSearchParams | string): Case => ({ label, method, path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
  const baseBody = unsafe ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(validJson) } : {};
  const cases: Case[] = [];

  // Path parameters, one at a time.
  for (const name of paramNames(url)) for (const bad of BAD_SEGMENTS) cases.push({ label: `param ${name}=${bad.slice(0, 30)}`, method, path: fill(url, f, commentId, name, bad), ...baseBody });

  // Query strings: the route's own names, plus the names pages read by hand.
  const names = [...new Set([...Object.keys(queryFields), ...COMMON_QUERY])];
  for (const name of names) {
    for (const value of QUERY_VALUES) cases.push({ label: `query ${name}=${value.slice(0, 30)}`, method, path: `${path}?${name}=${value}`, ...baseBody });
    cases.push({ label: `query ${name} twice`, method, path: `${path}?${name}=a&${name}=b`, ...baseBody });
    cases.push({ label: `query ${name}[]`, method, path: `${path}?${name}[]=a&${name}[x]=b`, ...baseBody });
  }
  cases.push({ label: 'query %ZZ name', method, path: `${path}?%ZZ=%ZZ&&==&`, ...baseBody });
  if (!unsafe || 'cursor' in queryFields) {
    for (const cursor of cursorVariants(f.cursors)) cases.push({ label: `cursor ${Buffer.from(cursor, 'base64url').toString('utf8').slice(0, 60)}`, method, path: `${path}?cursor=${cursor}`, ...baseBody });
  }

  if (unsafe) {
    // JSON bodies: not JSON, not an object, missing fields, every field of the wrong type in turn.
    for (const [label, text] of [
      ['invalid JSON', '{"body": "unterminated'],
      ['empty JSON body', ''],
      ['JSON array', '[]'],
      ['JSON string', '"text"'],
      ['JSON number', '42'],
      ['JSON null', 'null'],
      ['JSON true', 'true'],
      ['JSON empty object', '{}'],
      ['JSON __proto__', '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}'],
      ['JSON deeply nested', '['.repeat(10_000) + ']'.repeat(10_000)],
      ['JSON over the body limit', JSON.stringify({ body: 'x'.repeat(1_100_000) })],
    ] as const) {
      cases.push(json(label, text));
    }
    const fields = Object.keys(bodyFields).length ? Object.keys(bodyFields) : COMMON_FIELDS;
    for (const name of fields) {
      const { [name]: _missing, ...without } = validJson;
      cases.push(json(`JSON without ${name}`, JSON.stringify(without)));
      for (const junk of JUNK_VALUES) cases.push(json(`JSON ${name}=${JSON.stringify(junk).slice(0, 30)}`, JSON.stringify({ ...validJson, [name]: junk })));
    }
    cases.push(json('JSON unknown field', JSON.stringify({ ...validJson, unexpected: 'field' })));

    // Form bodies as a browser sends them: strings only, but any string, and a name may repeat.
    const validForm = () => new URLSearchParams(Object.entries(validJson).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    cases.push(form('empty form', ''));
    cases.push(form('form of junk', '%ZZ=%ZZ&&==&a[b]=c&=x'));
    cases.push(form('form, valid fields', validForm()));
    for (const name of fields) {
      for (const value of FORM_VALUES) {
        const fields = validForm();
        fields.set(name, value);
        cases.push(form(`form ${name}=${value.slice(0, 30)}`, fields));
      }
      const twice = validForm();
      twice.append(name, 'a');
      twice.append(name, 'b');
      cases.push(form(`form ${name} twice`, twice));
    }
    cases.push({ label: 'form _csrf twice, no header', method, path, noCsrf: true, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=a&_csrf=b' });

    // Content types the app does not read.
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded; charset=latin1', 'nonsense']) {
      cases.push(json(`content-type ${type}`, type.startsWith('multipart') ? '--x\r\nContent-Disposition: form-data; name="body"\r\n\r\nhi\r\n--x--\r\n' : JSON.stringify(validJson), type));
    }
    cases.push({ label: 'no content-type', method, path, body: JSON.stringify(validJson) });
  }
  return cases;
}

/**
 * A deterministic sample: every case when the budget allows, else an even stride through them (the
 * cases are grouped by kind, so every kind is sampled); each role starts the stride elsewhere, so
 * together the roles try more of the cases.
 */
function sample<T>(items: T[], max: number, offset: number): T[] {
  if (items.length <= max) return items;
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step + (offset % step))]!);
}

interface Answer {
  status: number;
  type: string;
  text: string;
}

async function send(client: TestClient, c: Case): Promise<Answer> {
  const headers: Record<string, string> = { accept: c.path.startsWith('/api/') ? 'application/json' : 'text/html', ...c.headers };
  if (c.method !== 'GET' && !c.noCsrf) headers['x-csrf-token'] = await client.csrfToken();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    const res = await client.raw(c.path, { method: c.method, headers, body: c.body, signal: controller.signal });
    const type = res.headers.get('content-type') ?? '';
    // A live stream never ends: read until it has started (so the server has registered it), then hang up.
    if (type.startsWith('text/event-stream')) {
      await res.body?.getReader().read();
      controller.abort();
      return { status: res.status, type, text: '' };
    }
    return { status: res.status, type, text: await res.text() };
  } finally {
    clearTimeout(timer);
  }
}

/** Why a 4xx answer is not one a person can read, or null when it is. */
function unreadable(answer: Answer): string | null {
  if (/application\/json/.test(answer.type)) {
    let body: any;
    try {
      body = JSON.parse(answer.text);
    } catch {
      return 'JSON content type but not JSON';
    }
    const message = typeof body?.error?.message === 'string' ? body.error.message : typeof body?.message === 'string' ? body.message : typeof body?.error === 'string' ? body.error : null;
    if (!message || message.trim().length < 10) return `no message in ${answer.text.slice(0, 200)}`;
    if (/\n\s+at |\[object Object\]|undefined|TypeError|SyntaxError|SQLITE|violates|relation "/.test(message)) return `message leaks internals: ${message}`;
    return null;
  }
  if (/text\/html/.test(answer.type)) {
    if (!/<html/i.test(answer.text)) return `not an HTML page: ${answer.text.slice(0, 200)}`;
    const words = answer.text.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>|<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    if (words.length < 10) return 'an HTML page without words';
    return null;
  }
  return `neither JSON nor HTML (content-type "${answer.type}"): ${answer.text.slice(0, 200)}`;
}

describe.each(dialects)('no server errors on %s', (dialect) => {
  let c: Conversation;
  let routes: RouteEntry[];
  let target: TestUser;
  let author: TestUser;
  let fixtures: Fixtures;
  const staff = new Map<Role, TestUser>();

  beforeAll(async () => {
    c = await startConversation(dialect);
    // Short pages, so every list has a next page and the pages hand out real cursors to mutate.
    await c.set('threadsPerPage', 1);
    await c.set('repliesPerThread', 1);
    await c.set('repliesPerPage', 1);
    await c.set('reportHoldThreshold', 0);
    author = await createTestUser(c.app.ctx, { displayName: 'Robust Author' });
    target = await createTestUser(c.app.ctx, { displayName: 'Robust Target' });
    staff.set('moderator', await createTestUser(c.app.ctx, { role: 'moderator', displayName: 'Robust Moderator' }));
    staff.set('admin', await createTestUser(c.app.ctx, { role: 'admin', displayName: 'Robust Admin' }));
    const client = await signedInClient(c.app.ctx, c.app.baseUrl, author);
    const targetClient = await signedInClient(c.app.ctx, c.app.baseUrl, target);
    let commentId = 0;
    for (let i = 0; i < 3; i++) {
      const root = (await client.post(`/api/v1/articles/${c.article.slug}/comments`, { body: `Root comment ${i} for the robustness walk.` })).body.comment;
      commentId ||= root.id;
      for (let j = 0; j < 3; j++) await targetClient.post(`/api/v1/articles/${c.article.slug}/comments`, { body: `Reply ${i}.${j} for the robustness walk.`, parentId: root.id });
    }
    // Two of everything that is listed, so that a list of one per page has a next page.
    const admin = await signedInClient(c.app.ctx, c.app.baseUrl, staff.get('admin')!);
    const moderator = await signedInClient(c.app.ctx, c.app.baseUrl, staff.get('moderator')!);
    for (const follower of [targetClient, admin]) {
      await follower.json('PUT', `/api/v1/readers/${author.handle}/follow`);
      await follower.post(`/api/v1/comments/${commentId}/report`, { reason: 'spam' });
    }
    for (const followed of [target, staff.get('moderator')!]) await client.json('PUT', `/api/v1/readers/${followed.handle}/follow`);
    for (const kind of ['warn', 'warn']) await moderator.post(`/api/v1/moderation/readers/${target.handle}/sanction`, { kind, reason: 'Robustness fixture' });
    routes = routesOf(c.app.server);
    fixtures = { slug: c.article.slug, handle: target.handle, commentId, cursors: [] };

    // Harvest the cursors every list hands out (JSON nextCursor, links in pages), as an admin who sees every list.
    const found = new Set<string>();
    for (const route of routes.filter((r) => r.method === 'GET' && !/live|assets|openapi/.test(r.url))) {
      for (const [who, handle] of [[admin, author.handle], [client, target.handle]] as const) {
        for (const query of ['', '?limit=1', ...(route.url.includes(':slug') ? ['?sort=oldest', '?sort=replies', '?sort=reactions'] : [])]) {
          const res = await send(who, { label: 'harvest', method: 'GET', path: fill(route.url, { ...fixtures, handle }, commentId) + query });
          for (const m of res.text.matchAll(/"nextCursor":"([\w-]+)"|[?&;]cursor=([\w-]+)/g)) found.add(m[1] ?? m[2]!);
        }
      }
    }
    fixtures.cursors = [...found];
  });

  afterAll(async () => {
    // Live streams were opened and dropped by the dozen; hang up on what the client side left open.
    c.app.server.server.closeAllConnections();
    await c.app.close();
  });

  it('found the routes and real cursors to work with', () => {
    expect(routes.length).toBeGreaterThan(100);
    // Threads, replies, follow lists: if the pages stop handing out cursors, the cursor cases lose their teeth.
    expect(fixtures.cursors.length).toBeGreaterThanOrEqual(5);
  });

  // What the walk found, pinned down: each of these was a 500 on PostgreSQL.
  it('refuses text with a NUL character with a 400 and a message, wherever it comes in', async () => {
    const reader = await signedInClient(c.app.ctx, c.app.baseUrl, await createTestUser(c.app.ctx, { displayName: 'Robust NUL' }));
    const api = `/api/v1/articles/${c.article.slug}`;
    const answers = [
      await send(reader, { label: 'slug', method: 'GET', path: '/api/v1/articles/%00' }),
      await send(reader, { label: 'handle', method: 'GET', path: '/readers/x%00y' }),
      await send(reader, { label: 'query', method: 'GET', path: `${api}/comments?sort=newest%00` }),
      await send(reader, { label: 'JSON', method: 'POST', path: `${api}/comments`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: 'Hello\u0000there' }) }),
      await send(reader, { label: 'JSON key', method: 'PUT', path: '/api/v1/me/followed-authors', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ann', 'x\u0000': 1 }) }),
      await send(reader, { label: 'form', method: 'POST', path: `/articles/${c.article.slug}/comments`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'body=Hello%00there' }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(unreadable(answer)).toBeNull();
      expect(answer.text).toContain('NUL character');
    }
    expect(answers.map((a) => a.type.split(';')[0])).toEqual(['application/json', 'text/html', 'application/json', 'application/json', 'application/json', 'text/html']);
    // Text without one still goes through.
    expect((await send(reader, { label: 'ok', method: 'POST', path: `${api}/comments`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: 'Hello there, no NUL.' }) })).status).toBe(201);
  });

  it('refuses cursors PostgreSQL cannot compare: a count past the 32-bit columns, a follow time with junk after it', async () => {
    const path = (n: number, sort = 'replies') => `/api/v1/articles/${c.article.slug}/comments?cursor=${b64(JSON.stringify({ s: sort, id: fixtures.commentId, n }))}`;
    const client = new TestClient(c.app.baseUrl);
    for (const sort of ['replies', 'reactions']) {
      for (const n of [2 ** 31, Number.MAX_SAFE_INTEGER]) {
        const answer = await send(client, { label: 'cursor', method: 'GET', path: path(n, sort) });
        expect(answer.status, `${sort} n=${n}`).toBe(400);
        expect(JSON.parse(answer.text).error.code).toBe('invalid_cursor');
      }
      expect((await send(client, { label: 'cursor', method: 'GET', path: path(2 ** 31 - 1, sort) })).status).toBe(200);
    }
    const page = await send(client, { label: 'page', method: 'GET', path: `/articles/${c.article.slug}?cursor=${b64(JSON.stringify({ s: 'reactions', id: 1, n: 2 ** 31 }))}` });
    expect(page.status).toBe(400);
    expect(unreadable(page)).toBeNull();
    const follows = `/api/v1/readers/${author.handle}/followers?limit=1&cursor=`;
    const junkTime = await send(client, { label: 'follow', method: 'GET', path: follows + b64(JSON.stringify({ t: '2026-01-01T00:00:00.000Z\u0000', id: 4 })) });
    expect(junkTime.status).toBe(400);
    expect(JSON.parse(junkTime.text).error.code).toBe('invalid_cursor');
    expect((await send(client, { label: 'follow', method: 'GET', path: follows + b64(JSON.stringify({ t: '2026-01-01T00:00:00.000Z', id: 4 })) })).status).toBe(200);
  });

  it.each(ROLES)('answers every route below 500, with a readable message for a 4xx, as %s', async (role) => {
    const failures = new Map<string, string>();
    let sent = 0;
    const routesTried = new Set<string>();
    for (const route of routes) {
      // A comment of its own per route: a moderator's decision or an admin's delete must not take
      // the comment away from the routes that come after.
      const commentId = route.url.includes(':id') && role !== 'anonymous' && role !== 'reader'
        ? (await (await signedInClient(c.app.ctx, c.app.baseUrl, author)).post(`/api/v1/articles/${c.article.slug}/comments`, { body: `For ${route.method} ${route.url} as ${role}.` })).body.comment.id as number
        : fixtures.commentId;
      // A fresh reader per route: signing out, deleting the account or a sanction stays with this route.
      const user = role === 'anonymous' ? null : role === 'reader' ? await createTestUser(c.app.ctx, { displayName: 'Robust Reader' }) : staff.get(role)!;
      const client = user ? await signedInClient(c.app.ctx, c.app.baseUrl, user) : new TestClient(c.app.baseUrl);
      const cases = sample(casesFor(route, fixtures, commentId), role === 'reader' ? LIMITS.readerPerRoute : LIMITS.otherPerRoute, ROLES.indexOf(role));
      for (const k of cases) {
        let answer: Answer;
        try {
          answer = await send(client, k);
        } catch (error) {
          failures.set(`${route.method} ${route.url} [${k.label}]`, `no answer: ${(error as Error).message}`);
          continue;
        }
        sent++;
        routesTried.add(`${route.method} ${route.url}`);
        const key = `${route.method} ${route.url} [${k.label}] ${k.method} ${k.path.slice(0, 120)}`;
        if (answer.status >= 500) failures.set(key, `${answer.status} ${answer.text.slice(0, 200)}`);
        else if (answer.status >= 400) {
          const why = unreadable(answer);
          if (why) failures.set(key, `${answer.status}: ${why}`);
        }
      }
    }
    expect([...failures].map(([k, v]) => `${k} → ${v}`)).toEqual([]);
    // Every route was tried, with a fair number of cases each.
    expect(routesTried.size).toBe(new Set(routes.map((r) => `${r.method} ${r.url}`)).size);
    expect(sent).toBeGreaterThan(routes.length * 5);
  }, 120_000);
});
