// Loads what `parley serve` loads (src/main.ts and everything it imports) and fails if one of the
// large libraries that only imports, pictures and migrations need was loaded at start (issue 19):
// each must be loaded on first use (src/lazy-module.ts). Run: node bin/run-ts.js bench/heavy-imports.ts
import { createRequire } from 'node:module';

const HEAVY = ['jsdom', '@mozilla/readability', 'sharp', 'compromise', 'chrono-node', 'saxes'];
const require = createRequire(import.meta.url);
const before = process.memoryUsage().rss;
await import('../src/main.ts');
const loaded = HEAVY.filter((name) => {
  const entry = require.resolve(name);
  return require.cache[entry] !== undefined;
});
console.log(`RSS after loading the server's modules: ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB (${((process.memoryUsage().rss - before) / 1048576).toFixed(0)} MB for them)`);
if (loaded.length) {
  console.error(`loaded at start, should load on first use: ${loaded.join(', ')}`);
  process.exit(1);
}
console.log(`none of ${HEAVY.join(', ')} is loaded at start`);
