#!/usr/bin/env node
// `npm test`: type-check, unit and integration tests (vitest), then browser tests (Playwright in
// Debian's Chromium). It finds Chromium or installs it with apt-get when running as root, and ends
// with one summary line "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const results = path.resolve('test-results');
fs.mkdirSync(results, { recursive: true });

function run(label, command, args, env = {}) {
  console.log(`\n[test] ${label}: ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) {
    console.log(`[test] Chromium found at ${CHROMIUM}`);
    return true;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`[test] Chromium is not installed at ${CHROMIUM} and this user cannot install it.\n` +
      `[test] Install it with: sudo apt-get install -y chromium   (or set CHROMIUM_PATH to a Chromium binary)`);
    return false;
  }
  console.log('[test] Chromium is not installed: installing Debian\'s chromium package with apt-get (about 30 s)…');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get update', 'apt-get', ['update', '-qq'], env) !== 0) console.warn('[test] apt-get update failed; trying the install anyway');
  if (run('apt-get install chromium', 'apt-get', ['install', '-y', '-qq', 'chromium'], env) !== 0 || !fs.existsSync(CHROMIUM)) {
    console.error('[test] Installing Chromium failed; browser tests cannot run.');
    return false;
  }
  return true;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

let failedSteps = 0;
const only = process.argv[2]; // "unit" or "e2e" to run one half

// The islands are built first: integration tests serve the embed's loader scripts, browser tests all of them.
let clientBuilt = false;
function buildClient() {
  if (clientBuilt || !fs.existsSync('vite.config.ts')) return 0;
  clientBuilt = true;
  return run('client build', 'npm', ['run', 'build:client', '--silent']) === 0 ? 0 : 1;
}

// The command-line tests start `parley` dozens of times, and the browser tests' server once: from an
// up-to-date build/ each start takes a fraction of a second, from the TypeScript sources seconds (a
// stale build after an edit made those test files 2-3 times slower). npm install builds it too; this
// keeps it current after edits.
let serverBuilt = false;
function buildServer() {
  if (serverBuilt) return 0;
  serverBuilt = true;
  return run('server build', 'npm', ['run', 'build:server', '--silent']) === 0 ? 0 : 1;
}

if (!only || only === 'unit') {
  failedSteps += run('type-check', 'npx', ['tsc', '--noEmit']) === 0 ? 0 : 1;
  failedSteps += run('message catalogs', 'npm', ['run', 'i18n:check', '--silent']) === 0 ? 0 : 1;
  failedSteps += buildClient();
  failedSteps += buildServer();
  failedSteps += run('unit and integration tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(results, 'vitest.json')}`]) === 0 ? 0 : 1;
}
if (!only || only === 'e2e') {
  if (ensureChromium()) {
    failedSteps += buildClient();
    failedSteps += buildServer();
    failedSteps += run('browser tests', 'npx', ['playwright', 'test'], { CHROMIUM_PATH: CHROMIUM }) === 0 ? 0 : 1;
  } else {
    failedSteps += 1;
  }
}

let passed = 0, failed = 0, skipped = 0;
const vitest = readJson(path.join(results, 'vitest.json'));
if (vitest && (!only || only === 'unit')) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
}
const pw = readJson(path.join(results, 'playwright.json'));
if (pw?.stats && (!only || only === 'e2e')) {
  passed += (pw.stats.expected ?? 0) + (pw.stats.flaky ?? 0);
  failed += pw.stats.unexpected ?? 0;
  skipped += pw.stats.skipped ?? 0;
}
if (failedSteps > 0 && failed === 0) failed = failedSteps;
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps > 0 ? 1 : 0);
