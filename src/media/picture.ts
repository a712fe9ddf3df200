import type { Metadata } from 'sharp';
import { lazyModule } from '../lazy-module.ts';

const sharp = lazyModule<typeof import('sharp').default>('sharp');

// A copied picture is never served as the publisher sent it: it is decoded and encoded again as WebP
// in a few widths. Readers download the width their screen needs (a phone gets the 480-pixel one, not
// a 4 MB original); the page can reserve the picture's space before it arrives (width and height);
// and what the file carried besides pixels — camera, place, a payload hidden after the image data —
// does not survive the trip.

/** Widths made for `srcset`: a phone, the article column (42rem) at 1×, and at about 2×. */
export const VARIANT_WIDTHS = [480, 960, 1440] as const;
/** Pictures with more pixels than this are refused before decoding (a small file can expand to gigabytes). */
export const MAX_INPUT_PIXELS = 50_000_000;

export interface PictureVariant {
  bytes: Buffer;
  contentType: 'image/webp';
  width: number;
  height: number;
}

export interface Picture {
  /** The picture's own size, for its aspect ratio. */
  width: number;
  height: number;
  /** Narrowest first; none wider than the original. */
  variants: PictureVariant[];
}

/** Why bytes that passed the type check still are not a picture we can show. */
export class PictureError extends Error {
  override readonly name = 'PictureError';
}

export async function makeVariants(bytes: Buffer): Promise<Picture> {
  // animated: an animated GIF or WebP keeps its frames; failOn 'error': a truncated file is refused,
  // not shown half grey.
  const input = () => sharp()(bytes, { animated: true, failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS });
  let meta: Metadata;
  try {
    meta = await input().metadata();
  } catch (error) {
    throw new PictureError(`the picture cannot be read: ${(error as Error).message}`);
  }
  if (!meta.width || !meta.height) throw new PictureError('the picture has no size');
  // Frames of an animation are stacked in `height`; one frame is `pageHeight` tall.
  let [width, height] = [meta.width, meta.pageHeight ?? meta.height];
  // A photo taken sideways is stored sideways with an EXIF note; rotate() turns it upright.
  if ((meta.orientation ?? 1) >= 5) [width, height] = [height, width];
  const widths = [...new Set([...VARIANT_WIDTHS.filter((w) => w < width), Math.min(width, VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1])])].sort((a, b) => a - b);
  try {
    const variants = await Promise.all(
      widths.map(async (w) => {
        const out = await input().rotate().resize({ width: w, withoutEnlargement: true }).webp({ quality: 78, effort: 4 }).toBuffer();
        return { bytes: out, contentType: 'image/webp' as const, width: w, height: Math.max(1, Math.round((w * height) / width)) };
      }),
    );
    return { width, height, variants };
  } catch (error) {
    throw new PictureError(`the picture cannot be converted: ${(error as Error).message}`);
  }
}
