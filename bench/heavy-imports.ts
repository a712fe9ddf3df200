// Loads what `parley serve` loads (the app, the HTTP server and the community runtime, with everything
// they import) and fails if one of the libraries that only imports, pictures, outside requests,
// provider sign-ins, feeds, PostgreSQL, a first comment, a first password, a webhook delivery or a CSV
// export need was loaded at start (issue 19): each
// must be loaded on first use (src/lazy-module.ts or a dynamic import()).
// Run: node bin/run-ts.js bench/heavy-imports.ts
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const HEAVY = [
  'jsdom',
  '@mozilla/readability',
  'sharp',
  'compromise',
  'chrono-node',
  'saxes',
  'undici',
  'file-type',
  'markdown-it',
  'openid-client',
  'jose',
  'feed',
  'pg',
  '@node-rs/argon2',
  'standardwebhooks',
  'csv-stringify',
];

// Every module the loader resolves from here on, CommonJS (require) and ES modules alike, is reported.
const { port1, port2 } = new MessageChannel();
const resolved = new Set<string>();
port1.on('message', (url: string) => resolved.add(url));
port1.unref();
const hooks = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });

const before = process.memoryUsage().rss;
await import('../src/main.ts');
await import('../src/app.ts');
await import('../src/server.ts');
await import('../src/community/runtime.ts');
// Let the last messages from the loader thread arrive.
await new Promise((resolve) => setTimeout(resolve, 200));
const packageOf = (url: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
const loadedPackages = new Set([...resolved].map(packageOf).filter((name): name is string => name !== undefined));
const loaded = HEAVY.filter((name) => loadedPackages.has(name));
console.log(`RSS after loading the server's modules: ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB (${((process.memoryUsage().rss - before) / 1048576).toFixed(0)} MB for them)`);
if (loaded.length) {
  console.error(`loaded at start, should load on first use: ${loaded.join(', ')}`);
  process.exit(1);
}
console.log(`none of ${HEAVY.join(', ')} is loaded at start (${loadedPackages.size} packages are)`);
process.exit(0);
