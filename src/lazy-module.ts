import { createRequire } from 'node:module';

// Large libraries that only an import, a picture job or a comment migration needs (jsdom, sharp,
// compromise, chrono-node, turndown, saxes) are loaded the first time they are used, not when the
// server starts: together they held about 150 MB of a server that never imports anything.
// `bench/import-chains.ts` checks that starting the server loads none of them.
const require = createRequire(import.meta.url);

/** The package, loaded (synchronously, through its CommonJS entry) on the first call. */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
