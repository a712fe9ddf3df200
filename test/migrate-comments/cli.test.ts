import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The command line around the importer: the summary, the plain progress lines off a terminal, and a
// malformed file named with its line, nothing imported and exit code 1. Samples: isso's (MIT, see
// /work/shared/data/README.md).

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'parley.js');
const IMPORTS = process.env.PARLEY_IMPORT_SAMPLES ?? '/work/shared/data/imports';

function parley(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 150_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('parley import-comments and export-comments (command line)', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-comments-'));
    env = { DATA_DIR: path.join(dir, 'data'), PUBLIC_URL: 'http://parley.test', PARLEY_SEED_EXAMPLE: '0', DATABASE_URL: '' };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a truncated file by its line and imports nothing, then imports the whole file and exports it', () => {
    const text = fs.readFileSync(path.join(IMPORTS, 'isso-wordpress.xml'), 'utf8');
    const cut = text.slice(0, text.indexOf('<wp:comment_id>8</wp:comment_id>') + 20);
    fs.writeFileSync(path.join(dir, 'cut.xml'), cut);
    const bad = parley(['import-comments', '--from', 'wordpress', path.join(dir, 'cut.xml')], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`cut\\.xml: line ${cut.split('\n').length}: .*; nothing was imported`));
    expect(bad.stdout).toBe('');

    // The default site allows PUBLIC_URL only: every conversation of the sample is elsewhere.
    const elsewhere = parley(['import-comments', '--from', 'wordpress', path.join(IMPORTS, 'isso-wordpress.xml')], env);
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stdout).toContain('comments skipped: 8 (its address is not under');

    expect(parley(['site', 'create', '--name', 'Old Blog', '--key', 'old', '--origin', 'http://example.tld'], env).code).toBe(0);
    const good = parley(['import-comments', '--from', 'wordpress', '--site', 'old', path.join(IMPORTS, 'isso-wordpress.xml')], env);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('comments: imported 8, already imported 0');
    expect(good.stdout).toContain('conversations: matched 0, created 2');
    // Not a terminal: plain progress lines, the last one complete.
    expect(good.stderr.trim().split('\n').at(-1)).toMatch(/^8 comments · 100% of the file · \d+\/s · done$/);

    const out = path.join(dir, 'export.json');
    const exported = parley(['export-comments', '--site', 'old', '--format', 'parley', out], env);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'parley', site: 'old', conversations: 2, comments: 8 });
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).conversations[0].comments[0]).toMatchObject({ id: 'wordpress:18:2', body: 'Erster!1' });

    const usage = parley(['import-comments', '--from', 'livefyre', out], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('import-comments needs --from disqus|wordpress|commento|remark42|parley');
    // Each run starts a process that compiles the TypeScript it runs: several seconds apiece.
  }, 600_000);
});
