import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { closeContext, openContext } from '../app.ts';
import type { Config } from '../config.ts';
import { defaultSite, findSiteByKey } from '../sites/store.ts';
import type { Site } from '../sites/model.ts';
import type { AppContext } from '../context.ts';
import { exportComments, type ExportFormat } from './export.ts';
import { importComments, summaryIn, type ImportProgress, type ImportSummary } from './importer.ts';
import { ImportFileError, SOURCES, type Source } from './model.ts';
import { cliTranslator } from '../i18n/cli.ts';
import type { Translator } from '../i18n/translator.ts';

// `parley import-comments` and `parley export-comments`. Exit codes as the rest of the command line:
// 0 done, 1 the file could not be used, 2 bad usage. Words for people (progress, summary, refusals)
// follow the shell's language (LANG, i18n/cli.ts); the export's JSON line does not. The importers'
// own reasons (a skipped comment's, a malformed line's) too (summaryIn), but for a parser's own words.

export class CommentsUsageProblem extends Error {}

const IMPORT_FROM = SOURCES.filter((s) => s !== 'parley');

async function siteFor(ctx: AppContext, key: string | undefined, { t }: Translator): Promise<Site> {
  if (key === undefined) return defaultSite(ctx.db.kysely);
  const site = await findSiteByKey(ctx.db.kysely, key);
  if (!site) throw new CommentsUsageProblem(t('cli.site.noSite', { key }));
  return site;
}

const duration = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s` : `${Math.ceil(s)}s`);

/**
 * A bar redrawn in place on a terminal; elsewhere (a log, a pipe) a plain line every few seconds. The
 * file is read once, so how far it has got and the time left go by bytes; the rate is in comments.
 */
export function progressReporter(stream: NodeJS.WriteStream, started = Date.now(), { t }: Translator = cliTranslator()) {
  let lastPlain = 0;
  return ({ comments, bytesRead, totalBytes, finished }: ImportProgress) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? comments / seconds : 0;
    const share = finished || totalBytes === 0 ? 1 : Math.min(1, bytesRead / totalBytes);
    const left = share > 0 ? (seconds / share) * (1 - share) : 0;
    const line = t('cli.comments.progress', { comments, percent: Math.floor(share * 100), rate: Math.round(rate), finished: finished ? 'yes' : 'no', left: duration(left) });
    if (stream.isTTY) {
      const width = 24;
      const filled = Math.round(share * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line}\x1b[K${finished ? '\n' : ''}`);
    } else if (Date.now() - lastPlain >= 2000 || finished) {
      lastPlain = Date.now();
      stream.write(`${line}\n`);
    }
  };
}

export function summaryLines(english: ImportSummary, dryRun: boolean, i18n: Translator = cliTranslator()): string[] {
  const { t } = i18n, summary = summaryIn(english, i18n);
  const mode = dryRun ? 'yes' : 'no';
  const lines = [
    t('cli.comments.summary', { dryRun: mode, imported: summary.comments.imported, already: summary.comments.alreadyImported }),
    ...Object.entries(summary.comments.skipped).map(([why, count]) => t('cli.comments.skipped', { count, why })),
    t('cli.comments.conversations', { dryRun: mode, matched: summary.conversations.matched, created: summary.conversations.created }),
    ...Object.entries(summary.conversations.skipped).map(([why, count]) => t('cli.comments.conversationsSkipped', { count, why })),
    t('cli.comments.profiles', { created: summary.profiles.created, claimed: summary.profiles.claimedAtImport }),
  ];
  for (const w of [...summary.warnings].sort((a, b) => a.line - b.line)) lines.push(t('cli.comments.readPast', { line: w.line, problem: w.problem }));
  if (summary.orphansKeptAsThreads) lines.push(t('cli.comments.orphans', { count: summary.orphansKeptAsThreads }));
  return lines;
}

export async function importCommentsCommand(config: Config, args: string[], i18n: Translator = cliTranslator()): Promise<number> {
  const { t } = i18n;
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { from: { type: 'string' }, site: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'no-create': { type: 'boolean' } },
  });
  const from = values.from as Source | undefined;
  if (!from || !SOURCES.includes(from)) throw new CommentsUsageProblem(t('cli.comments.importFrom', { sources: [...IMPORT_FROM, 'parley'].join('|') }));
  if (positionals.length !== 1) throw new CommentsUsageProblem(t('cli.comments.importFile'));
  const file = positionals[0]!;
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
    console.error(t('cli.comments.noSuchFile', { file }));
    return 1;
  }
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    const site = await siteFor(ctx, values.site, i18n);
    const dryRun = values['dry-run'] === true;
    process.stderr.write(`${t('cli.comments.importing', { file, size: fs.statSync(file).size / 1048576 })}\n`);
    const summary = await importComments(ctx, { source: from, file, site, dryRun, create: values['no-create'] !== true, onProgress: progressReporter(process.stderr, Date.now(), i18n) });
    for (const line of summaryLines(summary, dryRun, i18n)) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof ImportFileError) {
      // Whole batches before the mistake are in; a second run after the fix skips them and imports the rest.
      console.error(t('cli.comments.fileRefused', { file, problem: error.messageIn(i18n), before: error.importedBefore }));
      return 1;
    }
    throw error;
  } finally {
    await closeContext(ctx);
  }
}

export async function exportCommentsCommand(config: Config, args: string[], i18n: Translator = cliTranslator()): Promise<number> {
  const { t } = i18n;
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' }, site: { type: 'string' } } });
  const format = values.format as ExportFormat | undefined;
  if (format !== 'parley' && format !== 'disqus') throw new CommentsUsageProblem(t('cli.comments.exportFormat'));
  if (positionals.length !== 1) throw new CommentsUsageProblem(t('cli.comments.exportFile'));
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    const site = await siteFor(ctx, values.site, i18n);
    const result = await exportComments(ctx.db.kysely, site, format, positionals[0]!, config.publicUrl);
    console.log(JSON.stringify({ file: positionals[0], format, site: site.key, ...result }));
    return 0;
  } finally {
    await closeContext(ctx);
  }
}
