// A worker thread starts without the TypeScript loader its parent runs under (tsx, or vitest's): it
// registers tsx for itself, then loads the module it was started for.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
