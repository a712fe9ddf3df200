import { fetchPublic, FetchRefused } from '../http/outbound.ts';

// An imported article's picture, fetched to be copied (src/media/picture.ts): through the guarded
// outbound fetch (src/http/outbound.ts), and only picture formats a browser shows without running
// anything (no SVG), as told by the bytes, not by the server's Content-Type.

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

// file-type (with its tokenizers, about 1.5 MB of heap) loads with the first picture, not with the server.
let fileType: Promise<typeof import('file-type')> | null = null;

export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export async function fetchImage(address: string, options: FetchImageOptions): Promise<FetchedImage> {
  const { bytes, url } = await fetchPublic(address, {
    ...options,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES,
    accept: Object.keys(IMAGE_TYPES).join(', '),
    what: 'the picture',
  });
  const type = await (await (fileType ??= import('file-type'))).fileTypeFromBuffer(bytes);
  const extension = type ? IMAGE_TYPES[type.mime] : undefined;
  if (!type || !extension) throw new FetchRefused(`${new URL(url).host} sent ${type ? type.mime : 'something that is not a picture'}, not a JPEG, PNG, GIF, WebP or AVIF picture`, true);
  return { bytes, contentType: type.mime, extension, url };
}
