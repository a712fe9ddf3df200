import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The site's icons (drawn in icons/icon.svg, the others made from it by scripts/make-icons.ts), served
// from our own origin. Each has its content's hash in its address, so it is cached for a year and a
// new drawing reaches browsers at once; /favicon.ico and the manifest keep fixed names, as browsers
// and launchers ask for them by name.

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icons');

export interface IconFile {
  path: string;
  type: string;
  body: Buffer;
}

function load(name: string, type: string): IconFile {
  const body = fs.readFileSync(path.join(dir, name));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const dot = name.lastIndexOf('.');
  return { path: `/assets/icons/${name.slice(0, dot)}-${hash}${name.slice(dot)}`, type, body };
}

export const ICONS = {
  svg: load('icon.svg', 'image/svg+xml'),
  png192: load('icon-192.png', 'image/png'),
  png512: load('icon-512.png', 'image/png'),
  maskable: load('icon-maskable-512.png', 'image/png'),
  appleTouch: load('apple-touch-icon.png', 'image/png'),
};

export const FAVICON: IconFile = { path: '/favicon.ico', type: 'image/x-icon', body: fs.readFileSync(path.join(dir, 'favicon.ico')) };
export const MANIFEST_PATH = '/manifest.webmanifest';
/** The accent colour of parley.css, for the browser's own chrome. */
export const THEME_COLOR = '#b3001b';

/** The Web App Manifest (W3C): the name and icons a phone shows when the site is added to its home screen. */
export function webManifest(siteName: string): string {
  return JSON.stringify({
    name: siteName,
    short_name: siteName,
    start_url: '/',
    display: 'browser',
    background_color: '#ffffff',
    theme_color: THEME_COLOR,
    icons: [
      { src: ICONS.svg.path, type: ICONS.svg.type, sizes: 'any' },
      { src: ICONS.png192.path, type: 'image/png', sizes: '192x192' },
      { src: ICONS.png512.path, type: 'image/png', sizes: '512x512' },
      { src: ICONS.maskable.path, type: 'image/png', sizes: '512x512', purpose: 'maskable' },
    ],
  });
}
