import dns from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { fileTypeFromBuffer } from 'file-type';
import ipaddr from 'ipaddr.js';
import type { ReadableStream } from 'node:stream/web';
import { Agent, fetch } from 'undici';

// Imported articles name their picture by the publisher's address. Showing it from there would tell
// the publisher's servers (and their trackers) about every reader, so Parley copies the picture once
// and serves it itself. The address comes from a page someone imported, so it is treated as hostile:
// only http(s), only public addresses (checked when connecting, after DNS, so a name that resolves to
// 127.0.0.1 or a redirect to the metadata service is refused too), a size cap, a time limit, and
// only picture formats a browser shows without running anything (no SVG).

export const IMAGE_TYPES: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
};

export interface FetchImageOptions {
  /** Let addresses on private, loopback and link-local networks through (an intranet publisher; tests). */
  allowPrivate: boolean;
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  signal?: AbortSignal;
}

export interface FetchedImage {
  bytes: Buffer;
  contentType: string;
  extension: string;
  /** Where the bytes came from after redirects. */
  url: string;
}

/** Why a picture could not be copied; `permanent` when trying again cannot help. */
export class ImageFetchError extends Error {
  override readonly name = 'ImageFetchError';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

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
      const refusal = Object.assign(new Error(`${hostname} resolves to ${blocked.address}, which is not a public address`), { code: 'EADDRNOTPUBLIC' });
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
    agent = new Agent({ connect: allowPrivate ? {} : { lookup: publicOnlyLookup }, connections: 4 });
    agents.set(allowPrivate, agent);
  }
  return agent;
}

function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ImageFetchError(`"${raw}" is not an address`, true);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ImageFetchError(`${url.protocol} addresses are not fetched`, true);
  if (url.username || url.password) throw new ImageFetchError('addresses with a user name or password are not fetched', true);
  // Connecting to a literal IP asks no DNS, so the lookup above never sees it.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && net.isIP(host) && !isPublicAddress(host)) throw new ImageFetchError(`${host} is not a public address`, true);
  return url;
}

export async function fetchImage(address: string, options: FetchImageOptions): Promise<FetchedImage> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  const maxRedirects = options.maxRedirects ?? 3;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 20_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let url = checkUrl(address, options.allowPrivate);
  for (let hop = 0; ; hop++) {
    let response;
    try {
      response = await fetch(url, {
        dispatcher: agentFor(options.allowPrivate),
        redirect: 'manual',
        signal,
        headers: { accept: Object.keys(IMAGE_TYPES).join(', '), 'user-agent': 'Parley (article image copy)' },
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      if (cause?.code === 'EADDRNOTPUBLIC') throw new ImageFetchError(cause.message ?? 'not a public address', true);
      if (timeout.aborted) throw new ImageFetchError(`${url.host} did not answer in time`, false);
      throw new ImageFetchError(`${url.host} could not be reached: ${cause?.message ?? (error as Error).message}`, false);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel();
      if (hop >= maxRedirects) throw new ImageFetchError(`more than ${maxRedirects} redirects`, true);
      url = checkUrl(new URL(response.headers.get('location')!, url).toString(), options.allowPrivate);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      // A server in trouble or asking us to slow down may answer later; anything else will not change.
      const retry = response.status >= 500 || response.status === 429 || response.status === 408;
      throw new ImageFetchError(`${url.host} answered ${response.status}`, !retry);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw new ImageFetchError(`the picture is ${declared} bytes, more than the ${maxBytes} allowed`, true);
    }
    const bytes = await readAtMost(response.body, maxBytes, url.host);
    // The bytes decide what the file is, not the server's Content-Type.
    const type = await fileTypeFromBuffer(bytes);
    const extension = type ? IMAGE_TYPES[type.mime] : undefined;
    if (!type || !extension) throw new ImageFetchError(`${url.host} sent ${type ? type.mime : 'something that is not a picture'}, not a JPEG, PNG, GIF, WebP or AVIF picture`, true);
    return { bytes, contentType: type.mime, extension, url: url.toString() };
  }
}

async function readAtMost(body: ReadableStream<Uint8Array> | null, maxBytes: number, host: string): Promise<Buffer> {
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
        throw new ImageFetchError(`the picture is more than the ${maxBytes} bytes allowed`, true);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ImageFetchError) throw error;
    throw new ImageFetchError(`${host} stopped sending the picture: ${(error as Error).message}`, false);
  }
}
