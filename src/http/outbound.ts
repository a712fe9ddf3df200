import dns from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import type { ReadableStream } from 'node:stream/web';
import ipaddr from 'ipaddr.js';
import type { Agent } from 'undici';
import { KeyedError, type KeyedMessage } from '../i18n/keyed-error.ts';
import { lazyModule } from '../lazy-module.ts';

// Requests Parley makes to addresses it was given: an imported page's picture, a page an editor asks
// to import. The address is treated as hostile. Only http(s); only public addresses, checked when
// connecting (after DNS, so a name that resolves to 127.0.0.1 or to the cloud metadata service is
// refused too) and again on every redirect; a size cap and a time limit.

// undici (about 5 MB of heap) loads with the first outside request, not with the server.
const undici = lazyModule<typeof import('undici')>('undici');

export interface FetchPublicOptions {
  /** Let addresses on private, loopback and link-local networks through (an intranet publisher; tests). */
  allowPrivate: boolean;
  maxBytes: number;
  /** The Accept header. */
  accept: string;
  /** What is being fetched, as error messages name it. */
  what: FetchedThing;
  timeoutMs?: number;
  maxRedirects?: number;
  signal?: AbortSignal;
}

export interface FetchedBytes {
  bytes: Buffer;
  /** The Content-Type the server declared (lower case, without parameters), or ''. */
  declaredType: string;
  /** Where the bytes came from after redirects. */
  url: string;
}

/** What a refusal names (`articles.fetchRefused.*` select on it). */
export type FetchedThing = 'the page' | 'the picture' | 'the answer';
const THING = { 'the page': 'page', 'the picture': 'picture', 'the answer': 'answer' } as const;

/**
 * Why an address could not be fetched; `permanent` when trying again cannot help. `message` is
 * English (logs, job errors); the import page shows `messageIn(request.i18n)`.
 */
export class FetchRefused extends KeyedError {
  override readonly name = 'FetchRefused';
  constructor(
    message: string | KeyedMessage,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** The lookup's refusal of a name that resolves to an address that is not public. */
type NotPublicCause = { code?: string; message?: string; hostname?: string; address?: string };
const notPublic = (cause: NotPublicCause) =>
  new FetchRefused(
    cause.hostname && cause.address
      ? { key: 'articles.fetchRefused.resolvesPrivate', values: { host: cause.hostname, address: cause.address } }
      : { key: 'articles.fetchRefused.notPublicAddress' },
    true,
  );

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process() turns ::ffff:127.0.0.1 into 127.0.0.1, so a mapped address is judged as what it is.
  return ipaddr.process(address).range() === 'unicast';
}

/** dns.lookup, refusing names that resolve to an address that is not public. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked) {
      const refusal = Object.assign(new Error(`${hostname} resolves to ${blocked.address}, which is not a public address`), { code: 'EADDRNOTPUBLIC', hostname, address: blocked.address });
      return callback(refusal, '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  });
};

const agents = new Map<boolean, Agent>();
function agentFor(allowPrivate: boolean): Agent {
  let agent = agents.get(allowPrivate);
  if (!agent) {
    agent = new (undici().Agent)({ connect: allowPrivate ? {} : { lookup: publicOnlyLookup }, connections: 4 });
    agents.set(allowPrivate, agent);
  }
  return agent;
}

function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefused({ key: 'articles.fetchRefused.notAddress', values: { raw } }, true);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefused({ key: 'articles.fetchRefused.protocol', values: { protocol: url.protocol } }, true);
  if (url.username || url.password) throw new FetchRefused({ key: 'articles.fetchRefused.credentials' }, true);
  // Connecting to a literal IP asks no DNS, so the lookup above never sees it.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && net.isIP(host) && !isPublicAddress(host)) throw new FetchRefused({ key: 'articles.fetchRefused.notPublic', values: { host } }, true);
  return url;
}

export async function fetchPublic(address: string, options: FetchPublicOptions): Promise<FetchedBytes> {
  const { maxBytes, what } = options;
  const maxRedirects = options.maxRedirects ?? 3;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 20_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let url = checkUrl(address, options.allowPrivate);
  for (let hop = 0; ; hop++) {
    let response;
    try {
      response = await undici().fetch(url, {
        dispatcher: agentFor(options.allowPrivate),
        redirect: 'manual',
        signal,
        headers: { accept: options.accept, 'user-agent': 'Parley' },
      });
    } catch (error) {
      const cause = (error as { cause?: NotPublicCause }).cause;
      if (cause?.code === 'EADDRNOTPUBLIC') throw notPublic(cause);
      if (timeout.aborted) throw new FetchRefused({ key: 'articles.fetchRefused.timeout', values: { host: url.host } }, false);
      throw new FetchRefused({ key: 'articles.fetchRefused.unreachable', values: { host: url.host, problem: cause?.message ?? (error as Error).message } }, false);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel();
      if (hop >= maxRedirects) throw new FetchRefused({ key: 'articles.fetchRefused.redirects', values: { max: maxRedirects } }, true);
      url = checkUrl(new URL(response.headers.get('location')!, url).toString(), options.allowPrivate);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      // A server in trouble or asking us to slow down may answer later; anything else will not change.
      const retry = response.status >= 500 || response.status === 429 || response.status === 408;
      throw new FetchRefused({ key: 'articles.fetchRefused.status', values: { host: url.host, status: String(response.status) } }, !retry);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw new FetchRefused({ key: 'articles.fetchRefused.tooBig', values: { what: THING[what], size: declared, max: maxBytes } }, true);
    }
    const bytes = await readAtMost(response.body as ReadableStream<Uint8Array> | null, maxBytes, url.host, what);
    const declaredType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    return { bytes, declaredType, url: url.toString() };
  }
}

async function readAtMost(body: ReadableStream<Uint8Array> | null, maxBytes: number, host: string, what: FetchedThing): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks);
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new FetchRefused({ key: 'articles.fetchRefused.tooBigRead', values: { what: THING[what], max: maxBytes } }, true);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof FetchRefused) throw error;
    throw new FetchRefused({ key: 'articles.fetchRefused.stopped', values: { host, what: THING[what], problem: (error as Error).message } }, false);
  }
}

export interface PostPublicOptions {
  allowPrivate: boolean;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** How much of the answer is read (and then dropped): enough to let the connection be reused. */
  maxResponseBytes?: number;
}

/**
 * POSTs to a hostile address (a webhook receiver) with the same guards as fetchPublic: http(s) only,
 * public addresses only (checked after DNS), a time limit. Redirects are not followed: a receiver
 * that moved must be registered again, or a 3xx could send signed data elsewhere. Any answer is
 * returned with its status; only a refusal to connect or a timeout throws FetchRefused.
 */
export async function postPublic(address: string, options: PostPublicOptions): Promise<{ status: number }> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const url = checkUrl(address, options.allowPrivate);
  let response;
  try {
    response = await undici().fetch(url, {
      method: 'POST',
      dispatcher: agentFor(options.allowPrivate),
      redirect: 'manual',
      signal,
      body: options.body,
      headers: { 'user-agent': 'Parley', ...options.headers },
    });
    // The time limit covers the answer too: a receiver that trickles its body is cut off.
    await readAtMost(response.body as ReadableStream<Uint8Array> | null, options.maxResponseBytes ?? 64 * 1024, url.host, 'the answer').catch(() => undefined);
  } catch (error) {
    const cause = (error as { cause?: NotPublicCause }).cause;
    if (cause?.code === 'EADDRNOTPUBLIC') throw notPublic(cause);
    if (timeout.aborted) throw new FetchRefused({ key: 'articles.fetchRefused.timeoutMs', values: { host: url.host, ms: options.timeoutMs } }, false);
    throw new FetchRefused({ key: 'articles.fetchRefused.unreachable', values: { host: url.host, problem: cause?.message ?? (error as Error).message } }, false);
  }
  return { status: response.status };
}
