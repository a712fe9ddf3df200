import { parentPort } from 'node:worker_threads';
import { importedBody } from './bodies.ts';
import type { BodyRequest, BodyResponse } from './body-converter.ts';

// One conversion thread (body-converter.ts): converts each list of bodies it is sent, in order.

parentPort!.on('message', ({ id, sources }: BodyRequest) => {
  let response: BodyResponse;
  try {
    response = { id, bodies: sources.map(importedBody) };
  } catch (error) {
    response = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(response);
});
