#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so there is no build step between a clone and a server.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
const code = await main(process.argv.slice(2));
// serve returns -1 and keeps the process alive; everything else ends with its exit code.
if (code >= 0) process.exitCode = code;
