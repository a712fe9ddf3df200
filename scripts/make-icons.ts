// Makes the site's icons from the one drawing, src/ui/icons/icon.svg:
//   favicon.ico (16, 32 and 48 pixels), icon-192.png, icon-512.png, apple-touch-icon.png (180) and
//   icon-maskable-512.png (full bleed, for launchers that cut their own shape).
// Run after changing the drawing: node bin/run-ts.js scripts/make-icons.ts
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const dir = path.join(import.meta.dirname, '..', 'src', 'ui', 'icons');
const svg = fs.readFileSync(path.join(dir, 'icon.svg'));
// A launcher's mask keeps the middle 80 %: the square background, without its rounded corners.
const maskable = Buffer.from(svg.toString('utf8').replace('rx="96" ', ''));

const png = (source: Buffer, size: number) => sharp(source, { density: 300 }).resize(size, size).png({ compressionLevel: 9 }).toBuffer();

/**
 * An ICO file that holds PNG images (Windows Vista and every browser since read them): a 6-byte
 * header, a 16-byte entry per image (size, colour depth, length, offset), then the PNGs themselves.
 */
function ico(images: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt8(0, at + 2); // no palette
    header.writeUInt8(0, at + 3);
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(data.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}

const sizes = [16, 32, 48];
fs.writeFileSync(path.join(dir, 'favicon.ico'), ico(await Promise.all(sizes.map(async (size) => ({ size, data: await png(svg, size) })))));
fs.writeFileSync(path.join(dir, 'icon-192.png'), await png(svg, 192));
fs.writeFileSync(path.join(dir, 'icon-512.png'), await png(svg, 512));
fs.writeFileSync(path.join(dir, 'apple-touch-icon.png'), await png(maskable, 180));
fs.writeFileSync(path.join(dir, 'icon-maskable-512.png'), await png(maskable, 512));
console.log(`icons written to ${path.relative(process.cwd(), dir)}`);
