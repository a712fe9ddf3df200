// `parley import-comments` runs in a process of its own with a V8 heap ceiling (bin/parley.js, issue 15),
// so that a large export's import stays within its memory bound: the ceiling, its knob, and the exit
// code passed back.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDisqusExport } from '../migrate-comments/disqus-generator.ts';

const PARLEY = path.resolve(import.meta.dirname, '../../bin/parley.js');

/** Node processes whose parent is `pid`, with their arguments (Linux /proc). */
function children(pid: number): string[][] {
  const found: string[][] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const parent = Number(fs.readFileSync(`/proc/${name}/stat`, 'utf8').split(')').pop()!.trim().split(' ')[1]);
      if (parent === pid) found.push(fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean));
    } catch {
      // The process ended while it was being read.
    }
  }
  return found;
}

/** Runs the command, watching which processes it starts; resolves with its exit code and their arguments. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; started: string[][]; stderr: string }> {
  const child = spawn(process.execPath, [PARLEY, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const started: string[][] = [];
  const watch = setInterval(() => {
    for (const argv of children(child.pid!)) if (!started.some((seen) => seen.join(' ') === argv.join(' '))) started.push(argv);
  }, 10);
  return new Promise((resolve) => child.on('exit', (code) => {
    clearInterval(watch);
    resolve({ code, started, stderr });
  }));
}

describe('the heap ceiling of parley import-comments', () => {
  let dir: string;
  let file: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-ceiling-'));
    file = path.join(dir, 'export.xml');
    // Large enough that the import runs for a while after its process has started.
    await writeDisqusExport(file, { threads: 10, posts: 600, bytesPerPost: 500 });
    env = { DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent', PARLEY_SEED_EXAMPLE: '0', DATABASE_URL: '', NODE_OPTIONS: '' };
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const ceilingsOf = (started: string[][]) => started.flatMap((argv) => argv.filter((arg) => arg.startsWith('--max-old-space-size=')));

  it('imports in a child process with a 160 MB ceiling, or the one PARLEY_IMPORT_HEAP_MB gives', async () => {
    const plain = await run(['import-comments', '--from', 'disqus', '--dry-run', file], env);
    expect(plain.stderr).not.toMatch(/Error/);
    expect(plain.code).toBe(0);
    expect(ceilingsOf(plain.started)).toEqual(['--max-old-space-size=160']);

    const knob = await run(['import-comments', '--from', 'disqus', '--dry-run', file], { ...env, PARLEY_IMPORT_HEAP_MB: '240' });
    expect(knob.code).toBe(0);
    expect(ceilingsOf(knob.started)).toEqual(['--max-old-space-size=240']);
  }, 120_000);

  it('runs in the process itself when node was given a ceiling, and other commands always do', async () => {
    const given = await run(['import-comments', '--from', 'disqus', '--dry-run', file], { ...env, NODE_OPTIONS: '--max-old-space-size=512' });
    expect(given.code).toBe(0);
    expect(given.started.filter((argv) => argv.some((arg) => arg.endsWith('parley.js')))).toEqual([]);

    const other = await run(['site', 'list'], env);
    expect(other.code).toBe(0);
    expect(ceilingsOf(other.started)).toEqual([]);
  }, 120_000);

  it('answers with the import’s own exit code', async () => {
    const missing = path.join(dir, 'no-such-export.xml');
    const direct = await run(['import-comments', '--from', 'disqus', missing], { ...env, NODE_OPTIONS: '--max-old-space-size=512' });
    const launched = await run(['import-comments', '--from', 'disqus', missing], env);
    expect(direct.code).not.toBe(0);
    expect(launched.code).toBe(direct.code);
    expect(launched.stderr).toBe(direct.stderr);
  }, 120_000);
});
