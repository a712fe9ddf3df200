import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeVariants, PictureError } from './picture.ts';

const solid = (width: number, height: number, background = '#246') => sharp({ create: { width, height, channels: 3, background } });

describe('makeVariants', () => {
  it('makes WebP copies at the srcset widths, none wider than the original, without its metadata', async () => {
    const photo = await solid(2000, 1000)
      .jpeg()
      .withExif({ IFD0: { Copyright: 'Jo Bloggs', Make: 'SecretCam' } })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const picture = await makeVariants(photo);
    expect(picture).toMatchObject({ width: 2000, height: 1000 });
    expect(picture.variants.map((v) => [v.width, v.height])).toEqual([
      [480, 240],
      [960, 480],
      [1440, 720],
    ]);
    for (const variant of picture.variants) {
      const meta = await sharp(variant.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', variant.width, variant.height]);
      expect(meta.exif).toBeUndefined();
      expect(variant.contentType).toBe('image/webp');
    }
  });

  it('keeps a small picture at its own size', async () => {
    const picture = await makeVariants(await solid(300, 200).png().toBuffer());
    expect(picture.variants.map((v) => [v.width, v.height])).toEqual([[300, 200]]);
  });

  it('turns a picture stored sideways upright (EXIF orientation)', async () => {
    const sideways = await solid(400, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const picture = await makeVariants(sideways);
    expect(picture).toMatchObject({ width: 200, height: 400 });
    const meta = await sharp(picture.variants[0]!.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([200, 400]);
  });

  it('keeps the frames of an animation, and measures one frame', async () => {
    const frames = await sharp([await solid(600, 300).png().toBuffer(), await solid(600, 300, '#642').png().toBuffer()], { join: { animated: true } })
      .gif()
      .toBuffer();
    const picture = await makeVariants(frames);
    expect(picture).toMatchObject({ width: 600, height: 300 });
    const meta = await sharp(picture.variants[0]!.bytes, { animated: true }).metadata();
    expect(meta.pages).toBe(2);
    expect(meta.pageHeight).toBe(picture.variants[0]!.height);
  });

  it('refuses a truncated file and a picture with too many pixels', async () => {
    const photo = await solid(800, 600).jpeg().toBuffer();
    await expect(makeVariants(photo.subarray(0, photo.length / 2))).rejects.toBeInstanceOf(PictureError);
    const huge = await solid(7100, 7100).png({ compressionLevel: 1 }).toBuffer();
    await expect(makeVariants(huge)).rejects.toThrow(/pixel limit|cannot be read/);
  });
});
