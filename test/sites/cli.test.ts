import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { dialects, EXAMPLE_FILE, schemaDatabaseUrl } from '../helpers/app.ts';

// `parley site …` and `parley import --site`, run as a publisher's operator runs them: a real
// process over a real database, its output read back. Bad input: one line and exit code 2.

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'parley.js');
const pgUrl = process.env.PARLEY_TEST_DATABASE_URL?.trim() || '';

function parley(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.each(dialects)('parley site (command line) on %s', { timeout: 120_000 }, (dialect) => {
  let dir: string;
  let env: Record<string, string>;
  let schema: string | undefined;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-site-cli-'));
    env = { DATA_DIR: path.join(dir, 'data'), PUBLIC_URL: 'http://parley.test', PARLEY_TEST_DATABASE_URL: '', DATABASE_URL: '' };
    if (dialect === 'postgres') {
      // A schema of its own, named by the connection string's search_path (test/global-setup.ts drops it).
      ({ url: env.DATABASE_URL, schema } = await schemaDatabaseUrl(pgUrl));
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a site with its key made from the name, or the one given', () => {
    const r = parley(['site', 'create', '--name', 'The Example Times', '--origin', 'https://www.example-news.com/', 'https://example-news.com'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ key: 'the-example-times', name: 'The Example Times', origins: ['https://www.example-news.com', 'https://example-news.com'] });
    const keyed = parley(['site', 'create', '--name', 'Northern Echo', '--key', 'echo', '--origin', 'https://echo.example', '--origin', 'https://www.echo.example'], env);
    expect(keyed.code).toBe(0);
    expect(JSON.parse(keyed.stdout)).toMatchObject({ key: 'echo', origins: ['https://echo.example', 'https://www.echo.example'] });
  });

  it('lists the sites, one line each or as JSON', () => {
    const r = parley(['site', 'list'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'default\tParley\t(no origins)\t0 articles',
      'the-example-times\tThe Example Times\thttps://www.example-news.com https://example-news.com\t0 articles',
      'echo\tNorthern Echo\thttps://echo.example https://www.echo.example\t0 articles',
    ]);
    const json = parley(['site', 'list', '--json'], env);
    expect(json.code).toBe(0);
    const sites = JSON.parse(json.stdout) as { key: string; sso: unknown; embed: { snippet: string } }[];
    expect(sites.map((s) => s.key)).toEqual(['default', 'the-example-times', 'echo']);
    expect(sites[2]!.embed.snippet).toBe('<div id="parley-comments"></div><script src="http://parley.test/embed.js" data-site="echo" async></script>');
  });

  it('renames a site and replaces its origins', () => {
    const r = parley(['site', 'update', 'echo', '--name', 'The Echo', '--origin', 'https://news.echo.example'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ key: 'echo', name: 'The Echo', origins: ['https://news.echo.example'] });
    const named = parley(['site', 'update', 'echo', '--name', 'Echo'], env);
    expect(JSON.parse(named.stdout)).toEqual({ key: 'echo', name: 'Echo', origins: ['https://news.echo.example'] });
  });

  it('imports articles into the site named by --site, and into the default site without it', () => {
    const r = parley(['import', '--site', 'echo', EXAMPLE_FILE], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = parley(['site', 'list'], env).stdout.trim().split('\n');
    expect(lines.find((l) => l.startsWith('echo\t'))).toMatch(/\t1 article$/);
    expect(lines.find((l) => l.startsWith('default\t'))).toMatch(/\t0 articles$/);
  });

  it('audits every change, with no actor: the command line', async () => {
    // The database as the command line left it, read without migrating it again.
    const db = await openDatabase({ dataDir: env.DATA_DIR!, databaseUrl: schema ? pgUrl : null, pgSchema: schema, sqliteSynchronous: 'NORMAL' });
    try {
      const rows = await db.kysely.selectFrom('audit_log').select(['actor_id', 'action', 'target_id']).where('target_type', '=', 'site').orderBy('id').execute();
      expect(rows.map((r) => [r.actor_id, r.action, r.target_id])).toEqual([
        [null, 'site.create', 'the-example-times'],
        [null, 'site.create', 'echo'],
        [null, 'site.update', 'echo'],
        [null, 'site.update', 'echo'],
      ]);
    } finally {
      await db.close();
    }
  });

  // Parsing and its messages do not depend on the database, and each spawn costs about 2 s: SQLite only.
  it.skipIf(dialect === 'postgres')('refuses bad input with one clear line and exit code 2', () => {
    const cases: [string[], RegExp][] = [
      [['site', 'create', '--origin', 'https://a.example'], /site create needs --name/],
      [['site', 'create', '--name', 'No origins'], /needs at least one --origin/],
      [['site', 'create', '--name', 'Paths', '--origin', 'https://a.example/news'], /“https:\/\/a\.example\/news” is not an origin/],
      [['site', 'create', '--name', 'Again', '--key', 'echo', '--origin', 'https://a.example'], /already a site with the key “echo”/],
      [['site', 'create', '--name', 'Bad key', '--key', 'Bad Key!', '--origin', 'https://a.example'], /The key must be 1 to 40 lower-case letters/],
      [['site', 'update', 'nowhere', '--name', 'X'], /there is no site "nowhere"/],
      [['site', 'update', 'echo'], /needs --name or --origin/],
      [['site', 'frobnicate'], /unknown site command "frobnicate"/],
      [['import', '--site', 'nowhere', EXAMPLE_FILE], /there is no site "nowhere"/],
      [['import', '--dry-run', '--site', 'nowhere', EXAMPLE_FILE], /there is no site "nowhere"/],
    ];
    for (const [args, message] of cases) {
      const r = parley(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0], args.join(' ')).toMatch(message);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    // Nothing was changed by the refusals.
    expect(parley(['site', 'list'], env).stdout.trim().split('\n')).toHaveLength(3);
    // Each run starts a Node process that compiles the TypeScript it loads: seconds each on a busy machine.
  }, 400_000);
});
