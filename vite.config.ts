import { defineConfig } from 'vite';
import fs from 'node:fs';
import path from 'node:path';

// Each file in src/client/ is one island entry; pages link the ones they need through the manifest.
const entries = Object.fromEntries(
  fs
    .readdirSync('src/client')
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('_'))
    .map((f) => [path.basename(f, '.ts'), path.resolve('src/client', f)]),
);

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  publicDir: false,
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    manifest: true,
    target: 'es2020',
    sourcemap: false,
    rollupOptions: {
      input: entries,
      output: { entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' },
    },
  },
});
