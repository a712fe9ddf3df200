import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/main.ts';
import { cliTranslator } from '../../src/i18n/cli.ts';
import { progressReporter, summaryLines } from '../../src/migrate-comments/cli.ts';
import type { ImportSummary } from '../../src/migrate-comments/importer.ts';

// Issue 16: the `parley` command line speaks the shell's language (LC_ALL, LC_MESSAGES, then LANG)
// to people, and keeps its JSON lines for programs as they are. The commands run in this process
// with the translator LANG would give (main's second argument), and once as a real process with LANG.

const FR = cliTranslator({ LANG: 'fr_FR.UTF-8' });
const C = cliTranslator({ LANG: 'C' });
const NBSP = '\u00a0';
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'parley.js');

/** Runs `parley …` in this process, its console output captured. */
async function run(argv: string[], i18n = FR): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await main(argv, i18n);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('the command line in the shell’s language', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-lang-'));
    vi.stubEnv('DATA_DIR', path.join(dir, 'data'));
    vi.stubEnv('DATABASE_URL', '');
    vi.stubEnv('PARLEY_SEED_EXAMPLE', '0');
    vi.stubEnv('LOG_LEVEL', 'silent');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => vi.restoreAllMocks());

  it('--help: the usage in French under LANG=fr, the English one, unchanged, under LANG=C', async () => {
    const fr = await run(['--help']);
    expect(fr.code).toBe(0);
    expect(fr.out.split('\n')[0]).toBe(`utilisation${NBSP}: parley <commande>`);
    expect(fr.out).toContain('  migrate [--adopt]          met le schéma de la base de données à jour');
    const en = await run(['--help'], C);
    expect(en.out.split('\n').slice(0, 3)).toEqual(['usage: parley <command>', '', 'commands:']);
    expect(en.out).toContain("  user role E ROLE           change an account's role (reader, staff, moderator, admin)");
    expect(en.out).toMatch(/SHED_EVENT_LOOP_DELAY_MS, SHED_MAX_WRITES$/);
  });

  it('refuses bad usage in the shell’s language with the same exit code', async () => {
    const fr = await run(['frobnicate']);
    expect(fr.code).toBe(2);
    expect(fr.err.split('\n')[0]).toBe(`parley: commande inconnue «${NBSP}frobnicate${NBSP}»`);
    expect(fr.err).toContain(`commandes${NBSP}:`);
    const en = await run(['frobnicate'], C);
    expect(en.code).toBe(2);
    expect(en.err.split('\n')[0]).toBe('parley: unknown command "frobnicate"');
    expect((await run(['import'])).err).toContain('parley: import demande au moins un FICHIER');
    expect((await run(['import', '--explain', 'x.txt'])).err).toContain('parley: --explain s’emploie avec --dry-run');
    expect((await run(['backup'])).err).toContain('parley: backup demande un FICHIER');
    expect((await run(['import-comments', '--from', 'livefyre', 'x'])).err).toBe('parley: import-comments demande --from disqus|wordpress|commento|remark42|parley');
    expect((await run(['export-comments', '--format', 'csv', 'x'])).err).toBe('parley: export-comments demande --format parley|disqus');
    expect((await run(['export-comments', '--format', 'csv', 'x'], C)).err).toBe('parley: export-comments needs --format parley|disqus');
  });

  it('parley user: usage and refusals in French, the same exit codes', async () => {
    const role = await run(['user', 'role', 'editor@example.com', 'emperor']);
    expect(role.code).toBe(2);
    expect(role.err).toContain(`parley: RÔLE doit être l’un de reader, staff, moderator, admin, pas «${NBSP}emperor${NBSP}»`);
    expect(role.err).toContain('parley user create --email E --name NOM [--role reader|staff|moderator|admin] [--password-stdin]');
    const none = await run(['user']);
    expect(none.code).toBe(2);
    expect(none.err.split('\n')[0]).toBe('parley: user demande une commande');
    expect((await run(['user', 'create', '--email', 'a@example.com'])).err).toContain('parley: user create demande --email et --name');
    const en = await run(['user', 'role', 'editor@example.com', 'emperor'], C);
    expect(en.err.split('\n')[0]).toBe('parley: ROLE must be one of reader, staff, moderator, admin, not "emperor"');
    expect(en.err).toContain('Without --password-stdin, create asks for the password on the terminal (not echoed).');
  });

  it('migrate says what it did in French; an unknown account and an unknown site are refused in French', { timeout: 120_000 }, async () => {
    // Opening the database migrates it, so `migrate` finds nothing left to apply.
    expect(await run(['migrate'])).toMatchObject({ code: 0, out: 'la base de données est à jour' });
    expect(await run(['migrate'], C)).toMatchObject({ code: 0, out: 'the database is up to date' });
    expect(await run(['user', 'role', 'Nobody@Example.com', 'admin'])).toMatchObject({ code: 1, err: 'parley: aucun compte n’a l’adresse nobody@example.com' });
    const file = path.join(dir, 'comments.xml');
    fs.writeFileSync(file, '<rss/>');
    expect(await run(['import-comments', '--from', 'wordpress', '--site', 'nowhere', file])).toMatchObject({
      code: 2,
      err: `parley: il n’y a pas de site «${NBSP}nowhere${NBSP}» (parley site list les montre)`,
    });
    expect(await run(['import-comments', '--from', 'wordpress', path.join(dir, 'missing.xml')])).toMatchObject({ code: 1, err: `parley import-comments${NBSP}: ${path.join(dir, 'missing.xml')}${NBSP}: fichier introuvable` });
    // Backups: a refusal, and on PostgreSQL the advice around the same commands.
    const existing = path.join(dir, 'existing.db');
    fs.writeFileSync(existing, '');
    expect(await run(['backup', existing])).toMatchObject({ code: 2, err: `parley: ${existing} existe déjà${NBSP}: choisissez un autre nom, ou ajoutez --force pour le remplacer` });
    expect(await run(['backup', existing], C)).toMatchObject({ code: 2, err: `parley: ${existing} already exists: choose another name, or add --force to replace it` });
    vi.stubEnv('DATABASE_URL', 'postgres://news:secret@db.example:5433/newsroom');
    try {
      const advice = await run(['backup', 'news.dump']);
      expect(advice.code).toBe(2);
      expect(advice.err.split('\n')).toEqual([
        `parley: sous PostgreSQL, sauvegardez avec pg_dump (un instantané cohérent, sans danger pendant que Parley tourne)${NBSP}:`,
        '  pg_dump --format=custom --host=db.example --port=5433 --username=news --file=news.dump newsroom',
        `La commande demande le mot de passe (ou lit PGPASSWORD / ~/.pgpass). Pour restaurer${NBSP}: npx parley restore news.dump`,
      ]);
      expect(advice.err).not.toContain('secret');
    } finally {
      vi.stubEnv('DATABASE_URL', '');
    }
    // The article importer's own line: the file problems Parley finds itself are in French.
    const missing = await run(['import', '--dry-run', path.join(dir, 'missing.txt')]);
    expect(missing).toMatchObject({ code: 1, err: `parley import: ${path.join(dir, 'missing.txt')}: fichier introuvable` });
  });

  it('the comment import’s summary and progress in French; the English as before', () => {
    const summary: ImportSummary = {
      comments: { imported: 1200, alreadyImported: 3, skipped: { 'its address is not under the site': 2 } },
      conversations: { matched: 4, created: 1, skipped: {} },
      profiles: { created: 5, claimedAtImport: 1 },
      orphansKeptAsThreads: 2,
      warnings: [{ line: 12, problem: 'a date that is not one' }],
    };
    expect(summaryLines(summary, false, FR)).toEqual([
      `commentaires${NBSP}: 1200 importés, 3 déjà importés`,
      `commentaires écartés${NBSP}: 2 (its address is not under the site)`,
      `conversations${NBSP}: 4 retrouvées, 1 créées`,
      `profils${NBSP}: 5 créés, 1 repris par des lecteurs ayant la même adresse vérifiée`,
      `passé outre${NBSP}: ligne 12${NBSP}: a date that is not one`,
      `réponses dont le commentaire parent manque au fichier, gardées comme nouvelles discussions${NBSP}: 2`,
    ]);
    expect(summaryLines(summary, true, C).slice(0, 3)).toEqual([
      'comments: would import 1200, already imported 3',
      'comments skipped: 2 (its address is not under the site)',
      'conversations: matched 4, would create 1',
    ]);

    const written: string[] = [];
    const stream = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    progressReporter(stream, Date.now() - 2000, FR)({ comments: 1, bytesRead: 10, totalBytes: 10, finished: true });
    progressReporter(stream, Date.now() - 2000, C)({ comments: 2500, bytesRead: 5, totalBytes: 10, finished: false });
    expect(written[0]).toMatch(new RegExp(`^1 commentaire · 100${NBSP}% du fichier · \\d+/s · terminé\\n$`));
    expect(written[1]).toMatch(/^2,500 comments · 50% of the file · 1,\d{3}\/s · \ds left\n$/);
  });

  it('follows LANG when run as a process; --json and JSON lines stay as they are', { timeout: 120_000 }, () => {
    const help = spawnSync(process.execPath, [BIN, '--help'], { env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'fr_FR.UTF-8' }, encoding: 'utf8', timeout: 60_000 });
    expect(help.status).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe(`utilisation${NBSP}: parley <commande>`);
    const env = { ...process.env, LC_ALL: 'fr_FR.UTF-8', DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', PARLEY_SEED_EXAMPLE: '0', LOG_LEVEL: 'silent', PARLEY_TEST_DATABASE_URL: '' };
    const list = spawnSync(process.execPath, [BIN, 'site', 'list', '--json'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ key: 'default' });
  });
});
