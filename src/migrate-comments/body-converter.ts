import { Worker } from 'node:worker_threads';
import { importedBody } from './bodies.ts';

// Turning a body into Markdown and back into HTML needs nothing of the database, so it can run on
// worker threads, a batch at a time, while the main thread reads the file and writes the rows before
// and after it. The importer converts in place unless asked (importer.ts: conversionThreads): with
// plain bodies rendered directly (comments/plain-comment-html.ts), a thread's start and the copying of every
// body to it and back cost about what it saves on two cores, and it holds ~50 MB.

export interface BodySource {
  html?: string;
  markdown?: string;
}

export interface ConvertedBody {
  body: string;
  bodyHtml: string;
}

export interface BodyRequest {
  id: number;
  sources: BodySource[];
}

export type BodyResponse = { id: number; bodies: ConvertedBody[] } | { id: number; error: string };

export interface BodyConverter {
  /** The bodies in the order given. */
  convert(sources: BodySource[]): Promise<ConvertedBody[]>;
  close(): Promise<void>;
}

export const inPlaceConverter = (): BodyConverter => ({
  convert: async (sources) => sources.map(importedBody),
  close: async () => {},
});

/** Each thread's heap (a batch of bodies and the converters' code fit): kept small, as the import's memory is bounded. */
const WORKER_HEAP = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 };

interface Thread {
  worker: Worker;
  waiting: Map<number, { resolve(bodies: ConvertedBody[]): void; reject(error: Error): void }>;
}

export function workerConverter(threads: number): BodyConverter {
  let nextId = 0;
  let failure: Error | null = null;
  const pool: Thread[] = [];
  const start = (): Thread => {
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      // Compiled to build/ (bin/parley.js runs it when up to date), this module and its worker are .js.
      workerData: { module: new URL(import.meta.url.endsWith('.js') ? './body-worker.js' : './body-worker.ts', import.meta.url).href },
      resourceLimits: WORKER_HEAP,
    });
    const thread: Thread = { worker, waiting: new Map() };
    const failAll = (error: Error) => {
      failure ??= error;
      for (const { reject } of thread.waiting.values()) reject(error);
      thread.waiting.clear();
    };
    worker.on('message', (response: BodyResponse) => {
      const request = thread.waiting.get(response.id);
      if (!request) return;
      thread.waiting.delete(response.id);
      if ('error' in response) request.reject(new Error(`converting comment bodies failed: ${response.error}`));
      else request.resolve(response.bodies);
    });
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      if (thread.waiting.size > 0) failAll(new Error(`a body conversion thread stopped (exit code ${code})`));
    });
    return thread;
  };
  return {
    convert(sources) {
      if (failure) return Promise.reject(failure);
      if (pool.length < threads) pool.push(start());
      // The thread with the least work waiting gets the batch.
      const thread = pool.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
      const id = nextId++;
      return new Promise<ConvertedBody[]>((resolve, reject) => {
        thread.waiting.set(id, { resolve, reject });
        thread.worker.postMessage({ id, sources } satisfies BodyRequest);
      });
    },
    async close() {
      await Promise.all(pool.map((t) => t.worker.terminate()));
      pool.length = 0;
    },
  };
}
