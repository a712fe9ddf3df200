#!/usr/bin/env node
// `npm run build:server`: compiles src/ to plain JavaScript in build/ so that `parley` starts without
// compiling TypeScript at run time (bin/parley.js uses build/ while it is up to date with src/, and
// runs src/ through tsx otherwise). Each file is transpiled on its own (no bundling, no type check:
// `npm run typecheck` does that), so build/ mirrors src/ file for file, and the files that read their
// neighbours by path (../examples, ui/assets, ui/icons, ../../dist/client) find them at the same
// place: build/ stands where src/ stands, one level under the project.
//
// Written in plain JavaScript on purpose: it must run before anything can run TypeScript.
import fs from 'node:fs';
import path from 'node:path';
import { transform } from 'esbuild';
import { MANIFEST, ROOT, listDigest, projectDirs, sourceFiles } from '../bin/compiled.js';

// Import specifiers of the project's own modules name their .ts/.tsx file (allowImportingTsExtensions);
// the compiled files are .js.
const RELATIVE_TS_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"\n]+?)\.tsx?\2/g;

const TS_OPTIONS = {
  compilerOptions: {
    target: 'ES2022',
    useDefineForClassFields: true,
    verbatimModuleSyntax: true,
    jsx: 'react-jsx',
    jsxImportSource: 'preact',
  },
};

export async function buildServer({ quiet = false, root = ROOT } = {}) {
  const started = Date.now();
  const { src: SRC_DIR, build: BUILD_DIR } = projectDirs(root);
  const files = sourceFiles(root);
  // Built beside build/ and swapped in at the end, so that a process starting meanwhile sees either the
  // old build or the new one (or, between the two renames, none, and falls back to tsx).
  const staging = path.join(root, `.build-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  let newest = 0;
  await Promise.all(
    files.map(async (relative) => {
      const from = path.join(SRC_DIR, relative);
      newest = Math.max(newest, fs.statSync(from).mtimeMs);
      const compiled = /\.tsx?$/.test(relative);
      const to = path.join(staging, compiled ? relative.replace(/\.tsx?$/, '.js') : relative);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      if (!compiled) {
        fs.copyFileSync(from, to);
        return;
      }
      const source = fs.readFileSync(from, 'utf8');
      const { code } = await transform(source, {
        loader: relative.endsWith('.tsx') ? 'tsx' : 'ts',
        format: 'esm',
        target: 'node20.19',
        charset: 'utf8',
        sourcefile: from,
        tsconfigRaw: TS_OPTIONS,
      });
      fs.writeFileSync(to, code.replace(RELATIVE_TS_IMPORT, '$1$2$3.js$2'));
    }),
  );
  // The manifest says which sources the build was made from: bin/compiled.js compares it with src/.
  fs.writeFileSync(path.join(staging, MANIFEST), JSON.stringify({ files: listDigest(files), newestSource: newest, builtAt: started }));
  const old = path.join(root, `.build-old-${process.pid}`);
  if (fs.existsSync(BUILD_DIR)) fs.renameSync(BUILD_DIR, old);
  fs.renameSync(staging, BUILD_DIR);
  fs.rmSync(old, { recursive: true, force: true });
  if (!quiet) console.log(`build:server: ${files.length} files from src/ to build/ in ${Date.now() - started} ms`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await buildServer({ quiet: process.argv.includes('--quiet') });
}
