#!/usr/bin/env node
// Runs build/ (src/ compiled to JavaScript by `npm run build:server`, which `npm install` and
// `npm start` run) when it is up to date with src/, so that the command starts in a fraction of a
// second; otherwise it runs the TypeScript sources through tsx, so that an edit needs no build step.
// PARLEY_RUN_TS=1 always runs the sources.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { compiledModule } from './compiled.js';

// A comment import streams its file and holds little at a time, but V8 lets its heap grow towards
// gigabytes while the machine has room, so a 200 MB export took 300–400 MB of memory. The command runs
// with a heap ceiling instead (PARLEY_IMPORT_HEAP_MB, in MB), in a process of its own since V8 fixes
// the ceiling when a process starts; unless a ceiling was given (--max-old-space-size in node's
// arguments or NODE_OPTIONS). The ceiling is not what the import needs: it holds about 40 MB.
const HEAP_CEILING_MB = { 'import-comments': Number(process.env.PARLEY_IMPORT_HEAP_MB) || 160 };

const args = process.argv.slice(2);
const ceiling = HEAP_CEILING_MB[args[0]];
const ceilingGiven = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => /^--max[-_]old[-_]space[-_]size/.test(arg));
if (ceiling && !ceilingGiven) {
  process.exitCode = await runWithCeiling(ceiling);
} else {
  const code = await (await loadMain())(args);
  // serve returns -1 and keeps the process alive; everything else ends with its exit code.
  if (code >= 0) process.exitCode = code;
}

async function loadMain() {
  const compiled = compiledModule('main.js');
  if (compiled) return (await import(compiled)).main;
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../src/main.ts')).main;
}

/** Runs this command again in a child process with the heap ceiling, and answers with its exit code. */
function runWithCeiling(megabytes) {
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${megabytes}`, fileURLToPath(import.meta.url), ...args], { stdio: 'inherit' });
  // Ctrl-C reaches the child from the terminal itself; a signal sent to this process alone is passed on.
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', () => {});
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`parley: cannot start the import: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? 128 + (os.constants.signals[signal] ?? 0)));
  });
}
