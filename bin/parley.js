#!/usr/bin/env node
// Runs build/ (src/ compiled to JavaScript by `npm run build:server`, which `npm install` and
// `npm start` run) when it is up to date with src/, so that the command starts in a fraction of a
// second; otherwise it runs the TypeScript sources through tsx, so that an edit needs no build step.
// PARLEY_RUN_TS=1 always runs the sources.
import { compiledModule } from './compiled.js';

const compiled = compiledModule('main.js');
let main;
if (compiled) {
  ({ main } = await import(compiled));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
const code = await main(process.argv.slice(2));
// serve returns -1 and keeps the process alive; everything else ends with its exit code.
if (code >= 0) process.exitCode = code;
