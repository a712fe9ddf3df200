import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_FILE } from '../helpers/app.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'parley.js');

function parley(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('parley import (command line)', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-'));
    env = { DATA_DIR: path.join(dir, 'data'), PUBLIC_URL: 'http://parley.test', PARLEY_TEST_DATABASE_URL: '' };
    fs.writeFileSync(path.join(dir, 'empty.txt'), '');
    fs.writeFileSync(path.join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    fs.writeFileSync(path.join(dir, 'huge.txt'), Buffer.alloc(5 * 1024 * 1024 + 1, 'a'));
    fs.writeFileSync(path.join(dir, 'chrome-only.txt'), 'Sign in\nRegister\nShare on Facebook\n');
    fs.writeFileSync(
      path.join(dir, 'story.html'),
      `<!doctype html><html><head><title>Harbour bridge reopens after repairs | The Example</title>
       <meta property="og:title" content="Harbour bridge reopens after repairs">
       <meta property="article:published_time" content="2024-03-05T08:30:00Z">
       <link rel="canonical" href="https://news.example/harbour-bridge"></head>
       <body><article><h1>Harbour bridge reopens after repairs</h1>
       <p>The harbour bridge reopened to traffic on Tuesday morning after eight months of repairs to its deck and cables.</p>
       <p>Engineers said the structure would now last another fifty years, although some work on the approach roads continues.</p>
       <p>Commuters welcomed the reopening, which ends a long detour through the town centre for thousands of drivers each day.</p>
       </article></body></html>`,
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON line per imported article, and imports the good files when others fail', () => {
    const files = ['empty.txt', EXAMPLE_FILE, 'binary.txt', 'story.html', 'huge.txt', 'chrome-only.txt', 'missing.txt'].map((f) => path.resolve(dir, f));
    const r = parley(['import', ...files], env);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; slug: string; url: string });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ id: expect.any(String), slug: 'rex-tillerson-says-russias-election-interference-has-created-serious-mistrust', url: '/articles/rex-tillerson-says-russias-election-interference-has-created-serious-mistrust', result: 'created' });
    expect(lines[1]!.slug).toBe('harbour-bridge-reopens-after-repairs');
    const errors = r.stderr.trim().split('\n');
    expect(errors).toHaveLength(5);
    expect(errors[0]).toMatch(/empty\.txt: .*empty/);
    expect(errors[1]).toMatch(/binary\.txt: .*binary/);
    expect(errors[2]).toMatch(/huge\.txt: .*5 MB/);
    expect(errors[3]).toMatch(/chrome-only\.txt: .*headline/);
    expect(errors[4]).toMatch(/missing\.txt: no such file/);
  });

  it('updates rather than duplicates on a second import, and says so', () => {
    const again = parley(['import', EXAMPLE_FILE], env);
    expect(again.code).toBe(0);
    const first = parley(['import', EXAMPLE_FILE], env);
    expect(JSON.parse(first.stdout).id).toBe(JSON.parse(again.stdout).id);
    expect(JSON.parse(again.stdout).result).toBe('updated');
  });

  // Issue 14, bug 4: a story whose headline starts like the seed's (the first 80 characters of its
  // slug are the same) is another story, created beside it, never an update of it.
  it('creates a different story whose headline starts like an existing one', () => {
    const seed = fs.readFileSync(EXAMPLE_FILE, 'utf8');
    const headline = seed.split('\n')[0]!;
    const other = path.join(dir, 'other.txt');
    fs.writeFileSync(other, seed.replace(headline, `${headline}, and says talks with Moscow will go on regardless`));
    const r = parley(['import', other, EXAMPLE_FILE], env);
    expect(r.code).toBe(0);
    const [created, seedAgain] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; slug: string; result: string });
    expect(created!.result).toBe('created');
    expect(seedAgain!.result).toBe('updated');
    expect(created!.id).not.toBe(seedAgain!.id);
    expect(created!.slug).not.toBe(seedAgain!.slug);
  });

  it('--dry-run prints the parsed article and writes nothing', () => {
    const fresh = { ...env, DATA_DIR: path.join(dir, 'dry') };
    const r = parley(['import', '--dry-run', EXAMPLE_FILE], fresh);
    expect(r.code).toBe(0);
    const { article } = JSON.parse(r.stdout) as { article: { headline: string; body: unknown[]; publishedAt: string } };
    expect(article.headline).toMatch(/^Rex Tillerson says/);
    expect(article.body).toHaveLength(14);
    expect(article.publishedAt).toBe('2017-08-07T15:47:00.000Z');
    expect(fs.existsSync(path.join(dir, 'dry'))).toBe(false);
  });

  it('--dry-run --explain gives each field\'s candidates and reasons on stderr, the article on stdout', () => {
    const fresh = { ...env, DATA_DIR: path.join(dir, 'explain') };
    const r = parley(['import', '--dry-run', '--explain', path.join(dir, 'story.html')], fresh);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).article.headline).toBe('Harbour bridge reopens after repairs');
    expect(r.stderr).toMatch(/^headline: "Harbour bridge reopens after repairs"$/m);
    // The winner is marked, the other candidates follow with their scores and reasons.
    expect(r.stderr).toMatch(/^ {2}\* +\d+ {2}visible <h1>: "Harbour bridge reopens after repairs"$/m);
    expect(r.stderr).toMatch(/og:title: "Harbour bridge reopens after repairs"/);
    expect(r.stderr).toMatch(/agrees with the metadata title/);
    expect(r.stderr).toMatch(/^published: "2024-03-05T08:30:00Z"$/m);
    expect(fs.existsSync(path.join(dir, 'explain'))).toBe(false);
    // --explain only describes a dry run.
    expect(parley(['import', '--explain', path.join(dir, 'story.html')], fresh).code).toBe(2);
  });

  it('rejects a bad configuration value with one clear line and exit code 2', () => {
    for (const [name, value] of [['PORT', 'eighty'], ['DATABASE_URL', 'mysql://x'], ['PUBLIC_URL', 'not a url']] as const) {
      const r = parley(['import', EXAMPLE_FILE], { ...env, [name]: value });
      expect(r.code, name).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, name).toHaveLength(1);
      expect(lines[0]).toContain(name);
    }
  });

  it('explains its usage when called wrongly', () => {
    const r = parley(['frobnicate'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(parley(['import'], env).code).toBe(2);
  });
});
