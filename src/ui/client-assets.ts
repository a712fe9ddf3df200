import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Client islands are built by Vite into dist/client with hashed names; the manifest maps an entry
// (e.g. "src/client/account.ts") to the file a page links.

const here = path.dirname(fileURLToPath(import.meta.url));
export const CLIENT_DIST_DIR = path.join(here, '..', '..', 'dist', 'client');

interface ManifestEntry {
  file: string;
  isEntry?: boolean;
}

let manifest: Record<string, ManifestEntry> | null = null;

function loadManifest(): Record<string, ManifestEntry> {
  if (manifest) return manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(CLIENT_DIST_DIR, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestEntry>;
  } catch {
    // Without a client build the pages still work: every island enhances markup that works alone.
    manifest = {};
  }
  return manifest;
}

/** The URL of a built client entry such as "account", or null when the client was not built. */
export function clientScript(entry: string): string | null {
  const found = loadManifest()[`src/client/${entry}.ts`];
  return found ? `/assets/client/${found.file}` : null;
}

/** The built file (relative to CLIENT_DIST_DIR) of an entry, for scripts served at a fixed address. */
export function clientFile(entry: string): string | null {
  return loadManifest()[`src/client/${entry}.ts`]?.file ?? null;
}
