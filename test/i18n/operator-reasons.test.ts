import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArticleFile } from '../../src/articles/import-file.ts';
import { parseHtmlArticle } from '../../src/articles/import-html.ts';
import { parseTextArticle } from '../../src/articles/import-text.ts';
import { ImportError } from '../../src/articles/model.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { fetchPublic, FetchRefused } from '../../src/http/outbound.ts';
import { cliTranslator } from '../../src/i18n/cli.ts';
import { summaryLines } from '../../src/migrate-comments/cli.ts';
import type { ImportSummary } from '../../src/migrate-comments/importer.ts';
import { countReason, ImportFileError, itemOrSkip, parseSourceDate, type SourceItem } from '../../src/migrate-comments/model.ts';
import { checkDataDir, corrupt, postgresStartupRefusal, sqliteStartupRefusal, StartupRefusal } from '../../src/ops/startup.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { runCli } from '../ops/cli.ts';

// Issue 16: the reasons operators and editors read inside otherwise translated output — configuration
// mistakes, start-up refusals, the article importers' and the fetcher's reasons, the comment import's
// skip reasons and problems, the API's "no such site/article" — come from the catalogs. `message`
// stays the English it always was (logs, existing tests); `messageIn` speaks the reader's language.

const FR = cliTranslator({ LANG: 'fr_FR.UTF-8' });
const EN = cliTranslator({ LANG: 'C' });
const NBSP = '\u00a0';
const NNBSP = '\u202f';

function thrown(body: () => unknown): Error & { messageIn(i18n: typeof FR): string } {
  try {
    body();
  } catch (error) {
    return error as Error & { messageIn(i18n: typeof FR): string };
  }
  throw new Error('nothing was thrown');
}

async function rejected(body: () => Promise<unknown>): Promise<Error & { messageIn(i18n: typeof FR): string }> {
  try {
    await body();
  } catch (error) {
    return error as Error & { messageIn(i18n: typeof FR): string };
  }
  throw new Error('nothing was thrown');
}

describe('configuration mistakes', () => {
  it('keep their English message and read in French', () => {
    const port = thrown(() => loadConfig({ PORT: 'abc' }, '/tmp'));
    expect(port).toBeInstanceOf(ConfigError);
    expect(port.message).toBe('PORT must be a whole number from 0 to 65535, not "abc"');
    expect(port.messageIn(EN)).toBe(port.message);
    expect(port.messageIn(FR)).toBe(`PORT doit être un nombre entier de 0 à 65${NNBSP}535, et non «${NNBSP}abc${NNBSP}»`);

    const url = thrown(() => loadConfig({ DATABASE_URL: 'mysql://x/y' }, '/tmp'));
    expect(url.message).toBe('DATABASE_URL must start with postgres:// or postgresql://, not "mysql://x/y"');
    expect(url.messageIn(FR)).toBe(`DATABASE_URL doit commencer par postgres:// ou postgresql://, et non «${NNBSP}mysql://x/y${NNBSP}»`);

    const level = thrown(() => loadConfig({ LOG_LEVEL: 'loud' }, '/tmp'));
    expect(level.message).toBe('LOG_LEVEL must be one of silent, error, warn, info, debug, not "loud"');
    expect(level.messageIn(FR)).toContain('LOG_LEVEL doit valoir l’une de ces valeurs');

    const big = thrown(() => loadConfig({ SHED_MAX_WRITES: '1000000' }, '/tmp'));
    expect(big.message).toBe('SHED_MAX_WRITES must be a whole number from 1 to 100000, not "1000000"');

    const token = thrown(() => loadConfig({ METRICS_TOKEN: 'short' }, '/tmp'));
    expect(token.message).toBe('METRICS_TOKEN must be at least 16 characters long');
    expect(token.messageIn(FR)).toBe('METRICS_TOKEN doit compter au moins 16 caractères');
  });
});

describe('start-up refusals', () => {
  it('keep their English message and read in French', () => {
    const missing = thrown(() => checkDataDir('/nonexistent-parley/a/data'));
    expect(missing).toBeInstanceOf(StartupRefusal);
    expect(missing.message).toBe(
      'DATA_DIR /nonexistent-parley/a/data does not exist, nor does its parent folder /nonexistent-parley/a: create it (mkdir -p /nonexistent-parley/a/data) or set DATA_DIR to an existing folder',
    );
    expect(missing.messageIn(FR)).toBe(
      `DATA_DIR /nonexistent-parley/a/data n’existe pas, pas plus que son dossier parent /nonexistent-parley/a${NBSP}: créez-le (mkdir -p /nonexistent-parley/a/data) ou faites pointer DATA_DIR vers un dossier existant`,
    );

    const noDb = postgresStartupRefusal(Object.assign(new Error('database "paper" does not exist'), { code: '3D000' }), 'postgres://news:secret@db.example:5433/paper')!;
    expect(noDb.message).toBe('PostgreSQL at db.example:5433 has no database "paper": create it (createdb -h db.example -U news paper) or fix DATABASE_URL');
    expect(noDb.messageIn(FR)).toBe(`PostgreSQL sur db.example:5433 n’a pas de base «${NNBSP}paper${NNBSP}»${NBSP}: créez-la (createdb -h db.example -U news paper) ou corrigez DATABASE_URL`);
    expect(noDb.messageIn(FR)).not.toContain('secret');

    const damaged = corrupt('/data/parley.db', 'database disk image is malformed\nmore');
    expect(damaged.message).toBe(
      "/data/parley.db is damaged (SQLite's quick_check: database disk image is malformed): restore the latest backup with npx parley restore FILE, or salvage it with sqlite3 parley.db .recover",
    );
    expect(damaged.messageIn(FR)).toMatch(/^\/data\/parley\.db est endommagé \(quick_check de SQLite\u00a0: database disk image is malformed\)/);

    const notDb = sqliteStartupRefusal({ code: 'SQLITE_NOTADB' }, '/data/parley.db')!;
    expect(notDb.messageIn(FR)).toBe(
      `/data/parley.db n’est pas une base SQLite${NBSP}: déplacez-le ailleurs (Parley en crée alors une nouvelle) ou restaurez une sauvegarde avec npx parley restore FICHIER`,
    );
    // A refusal made from words already translated (the listen errors of main.ts) stays as it is.
    expect(new StartupRefusal('déjà traduit').messageIn(EN)).toBe('déjà traduit');
  });
});

describe('article importers’ reasons', () => {
  it('the file, text and HTML importers: English as before, French for French readers', async () => {
    const empty = await rejected(() => parseArticleFile(Buffer.alloc(0), 'empty.txt'));
    expect(empty).toBeInstanceOf(ImportError);
    expect(empty.message).toBe('the file is empty');
    expect(empty.messageIn(FR)).toBe('le fichier est vide');

    const big = await rejected(() => parseArticleFile(Buffer.alloc(Math.round(5.4 * 1024 * 1024), 'a'), 'big.txt'));
    expect(big.message).toBe('the file is 5.4 MB; the limit is 5 MB');
    expect(big.messageIn(FR)).toBe('le fichier fait 5,4 Mo, pour une limite de 5 Mo');

    const binary = await rejected(() => parseArticleFile(Buffer.from([0x50, 0x00, 0x01]), 'x.bin'));
    expect(binary.messageIn(FR)).toBe(`le fichier est binaire${NBSP}: ce n’est ni du texte ni du HTML`);

    const noHeadline = thrown(() => parseHtmlArticle('<html><body><p>Only a paragraph with no heading at all.</p></body></html>'));
    expect(noHeadline.message).toBe('no headline found');
    expect(noHeadline.messageIn(FR)).toBe('aucun titre trouvé');

    const noBody = thrown(() => parseTextArticle('Ferry timetable changes for winter\n'));
    expect(noBody.message).toBe('"Ferry timetable changes for winter" has no body paragraphs after its header');
    expect(noBody.messageIn(FR)).toBe(`«${NNBSP}Ferry timetable changes for winter${NNBSP}» n’a aucun paragraphe de texte après son en-tête`);
  });

  it('the fetcher’s reasons for refusing an address', async () => {
    const options = { allowPrivate: false, maxBytes: 1000, accept: 'text/html', what: 'the page' } as const;
    const cases: [string, string, string][] = [
      ['not an address', '"not an address" is not an address', `«${NNBSP}not an address${NNBSP}» n’est pas une adresse`],
      ['ftp://example.com/x', 'ftp: addresses are not fetched', 'les adresses ftp: ne sont pas récupérées'],
      ['http://user:pw@example.com/', 'addresses with a user name or password are not fetched', 'les adresses qui contiennent un nom d’utilisateur ou un mot de passe ne sont pas récupérées'],
      ['http://10.0.0.1/', '10.0.0.1 is not a public address', '10.0.0.1 n’est pas une adresse publique'],
    ];
    for (const [address, english, french] of cases) {
      const refused = await rejected(() => fetchPublic(address, options));
      expect(refused, address).toBeInstanceOf(FetchRefused);
      expect(refused.message, address).toBe(english);
      expect(refused.messageIn(EN), address).toBe(english);
      expect(refused.messageIn(FR), address).toBe(french);
    }
    const tooBig = new FetchRefused({ key: 'articles.fetchRefused.tooBig', values: { what: 'picture', size: 6_000_000, max: 5_242_880 } }, true);
    expect(tooBig.message).toBe('the picture is 6000000 bytes, more than the 5242880 allowed');
    expect(tooBig.messageIn(FR)).toBe(`l’image fait 6${NNBSP}000${NNBSP}000 octets, plus que les 5${NNBSP}242${NNBSP}880 autorisés`);
  });
});

describe('comment import reasons', () => {
  it('skip reasons and problems read past: counted by their English words, printed in the shell’s language', () => {
    const items = [
      ...itemOrSkip(12, () => {
        throw new ImportFileError(14, { key: 'cli.comments.notADate', values: { kind: 'comment', id: '9', field: 'createdAt', text: 'soon' } });
      }),
    ] as SourceItem[];
    const warning = items.find((i) => i.kind === 'warning')!;
    const skip = items.find((i) => i.kind === 'skip');
    if (skip?.kind !== 'skip') throw new Error('the comment was not skipped');
    expect(warning).toMatchObject({ line: 14, problem: 'comment 9: createdAt "soon" is not a date; the comment is skipped' });
    const summary: ImportSummary = {
      comments: { imported: 3, alreadyImported: 0, skipped: {} },
      conversations: { matched: 1, created: 0, skipped: {} },
      profiles: { created: 1, claimedAtImport: 0 },
      orphansKeptAsThreads: 0,
      warnings: [warning as ImportSummary['warnings'][number]],
      reasons: {},
    };
    countReason(summary.comments.skipped, summary.reasons!, skip.reason);
    countReason(summary.comments.skipped, summary.reasons!, { key: 'cli.comments.skip.pingback', values: { type: 'trackback' } });
    countReason(summary.comments.skipped, summary.reasons!, { key: 'cli.comments.skip.pingback', values: { type: 'trackback' } });
    countReason(summary.conversations.skipped, summary.reasons!, { key: 'cli.comments.skip.notUnderOrigins', values: { site: 'Narrow' } });
    expect(summary.comments.skipped).toEqual({ 'a field cannot be read (the lines are named below)': 1, 'a trackback, not a comment': 2 });

    expect(summaryLines(summary, false, EN)).toEqual([
      'comments: imported 3, already imported 0',
      'comments skipped: 1 (a field cannot be read (the lines are named below))',
      'comments skipped: 2 (a trackback, not a comment)',
      'conversations: matched 1, created 0',
      'conversations skipped: 1 (its address is not under Narrow’s allowed origins)',
      'profiles: created 1, claimed by readers with the same verified address 0',
      'read past: line 14: comment 9: createdAt "soon" is not a date; the comment is skipped',
    ]);
    const french = summaryLines(summary, false, FR);
    expect(french).toContain(`commentaires écartés${NBSP}: 1 (un champ est illisible (les lignes sont indiquées plus bas))`);
    expect(french).toContain(`commentaires écartés${NBSP}: 2 (un trackback, pas un commentaire)`);
    expect(french).toContain(`conversations écartées${NBSP}: 1 (son adresse ne relève pas des origines autorisées de Narrow)`);
    expect(french).toContain(`passé outre${NBSP}: ligne 14${NBSP}: commentaire 9${NBSP}: createdAt «${NNBSP}soon${NNBSP}» n’est pas une date${NBSP}; le commentaire est écarté`);
  });

  it('a file the import cannot read: the line and the problem in French', () => {
    const error = thrown(() => parseSourceDate('yesterday-ish', 7, { kind: 'post', id: '42' }, 'createdAt')) as unknown as ImportFileError;
    expect(error.message).toBe('line 7: post 42: createdAt "yesterday-ish" is not a date');
    expect(error.messageIn(FR)).toBe(`ligne 7${NBSP}: message 42${NBSP}: createdAt «${NNBSP}yesterday-ish${NNBSP}» n’est pas une date`);
    // Words from elsewhere (a parser's message) stay as they are.
    expect(new ImportFileError(null, 'unexpected end').messageIn(FR)).toBe('unexpected end');
    const notDisqus = new ImportFileError(1, { key: 'cli.comments.file.notExport', values: { name: 'html', format: 'Disqus', root: 'disqus' } });
    expect(notDisqus.message).toBe('line 1: the document is <html>, not a Disqus export (<disqus>)');
    expect(notDisqus.messageIn(FR)).toBe(`ligne 1${NBSP}: le document est un <html>, pas un export Disqus (<disqus>)`);
  });
});

describe('the command line speaks the shell’s language for these reasons', () => {
  let dir: string;
  beforeAll(() => void (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-reasons-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a configuration mistake and a start-up refusal, under LANG=fr_FR.UTF-8 and under LANG=C', { timeout: 120_000 }, async () => {
    const port = await runCli(['migrate'], { LANG: 'fr_FR.UTF-8', PORT: 'abc', DATA_DIR: dir });
    expect(port.code).toBe(2);
    expect(port.stderr.trim()).toBe(`parley: PORT doit être un nombre entier de 0 à 65${NNBSP}535, et non «${NNBSP}abc${NNBSP}»`);
    const english = await runCli(['migrate'], { LANG: 'C', PORT: 'abc', DATA_DIR: dir });
    expect(english.stderr.trim()).toBe('parley: PORT must be a whole number from 0 to 65535, not "abc"');

    const missing = path.join(dir, 'nowhere', 'data');
    const refusal = await runCli(['migrate'], { LANG: 'fr_FR.UTF-8', DATA_DIR: missing });
    expect(refusal.code).toBe(2);
    expect(refusal.stderr.trim()).toBe(
      `parley: DATA_DIR ${missing} n’existe pas, pas plus que son dossier parent ${path.dirname(missing)}${NBSP}: créez-le (mkdir -p ${missing}) ou faites pointer DATA_DIR vers un dossier existant`,
    );

    // `parley import`: the importer's own reason, in French.
    const empty = path.join(dir, 'empty.txt');
    fs.writeFileSync(empty, '');
    const imported = await runCli(['import', '--dry-run', empty], { LANG: 'fr_FR.UTF-8', DATA_DIR: dir });
    expect(imported.code).toBe(1);
    expect(imported.stderr.trim()).toBe(`parley import: ${empty}: le fichier est vide`);
  });
});

describe('API not-found messages', () => {
  let app: TestApp;
  beforeAll(async () => void (app = await startTestApp('sqlite')));
  afterAll(async () => app?.close());

  it('read in the reader’s language; the English and the codes are as they were', async () => {
    const get = async (url: string, lang: string) => {
      const res = await fetch(`${app.baseUrl}${url}`, { headers: { accept: 'application/json', 'accept-language': lang } });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
    };
    const cases: [string, string, string][] = [
      ['/api/v1/articles/no-such-story', 'There is no article with the slug "no-such-story".', `Aucun article n’a le slug «${NNBSP}no-such-story${NNBSP}».`],
      ['/api/v1/articles?site=nowhere', 'There is no site with the key "nowhere".', `Aucun site n’a la clé «${NNBSP}nowhere${NNBSP}».`],
      ['/api/v1/conversations/active?site=nowhere', 'There is no site with the key "nowhere".', `Aucun site n’a la clé «${NNBSP}nowhere${NNBSP}».`],
    ];
    for (const [url, english, french] of cases) {
      const fr = await get(url, 'fr-FR,fr;q=0.9');
      expect(fr.status, url).toBe(404);
      expect(fr.body.error, url).toEqual({ code: 'not_found', message: french });
      const en = await get(url, 'en');
      expect(en.body.error, url).toEqual({ code: 'not_found', message: english });
    }
  });
});
