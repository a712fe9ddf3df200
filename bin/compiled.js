// Whether build/ (src/ compiled to JavaScript by scripts/build-server.mjs) can stand in for src/:
// it was built from exactly the files src/ holds now, none changed since. Checking costs a directory
// walk and a stat per file (a few milliseconds); compiling TypeScript at start costs seconds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const MANIFEST = '.manifest.json';

/** Where the sources and the build of the project at `root` are. */
export function projectDirs(root = ROOT) {
  return { root, src: path.join(root, 'src'), build: path.join(root, 'build') };
}

// Tests and type declarations are not part of the program; browser islands are built by Vite.
const NOT_BUILT = /\.test\.tsx?$|\.d\.ts$|^client\//;

/** The files under src/ that build/ holds (compiled or copied), relative to src/, sorted. */
export function sourceFiles(root = ROOT) {
  const { src } = projectDirs(root);
  return fs
    .readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(src, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
    .filter((relative) => !NOT_BUILT.test(relative))
    .sort();
}

export function listDigest(files) {
  return crypto.createHash('sha256').update(files.join('\n')).digest('hex');
}

/** Why build/ cannot be used, or null when it is up to date with src/. */
export function staleReason(root = ROOT) {
  const { src, build } = projectDirs(root);
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(build, MANIFEST), 'utf8'));
  } catch {
    return 'no build (run `npm run build:server`)';
  }
  const files = sourceFiles(root);
  if (listDigest(files) !== manifest.files) return 'files were added to or removed from src/ since the build';
  for (const relative of files) {
    if (fs.statSync(path.join(src, relative)).mtimeMs > manifest.newestSource) return `src/${relative} changed since the build`;
  }
  return null;
}

/** The file: URL of a compiled module (`main.js`) when build/ is up to date; null otherwise. */
export function compiledModule(name, root = ROOT) {
  if (process.env.PARLEY_RUN_TS === '1') return null;
  try {
    return staleReason(root) === null ? pathToFileURL(path.join(projectDirs(root).build, name)).href : null;
  } catch {
    return null;
  }
}
