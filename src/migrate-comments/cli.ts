import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { closeContext, openContext } from '../app.ts';
import type { Config } from '../config.ts';
import { defaultSite, findSiteByKey } from '../sites/store.ts';
import type { Site } from '../sites/model.ts';
import type { AppContext } from '../context.ts';
import { exportComments, type ExportFormat } from './export.ts';
import { importComments, type ImportProgress, type ImportSummary } from './importer.ts';
import { ImportFileError, SOURCES, type Source } from './model.ts';

// `parley import-comments` and `parley export-comments`. Exit codes as the rest of the command line:
// 0 done, 1 the file could not be used, 2 bad usage.

export class CommentsUsageProblem extends Error {}

const IMPORT_FROM = SOURCES.filter((s) => s !== 'parley');

async function siteFor(ctx: AppContext, key: string | undefined): Promise<Site> {
  if (key === undefined) return defaultSite(ctx.db.kysely);
  const site = await findSiteByKey(ctx.db.kysely, key);
  if (!site) throw new CommentsUsageProblem(`there is no site "${key}" (parley site list shows them)`);
  return site;
}

const duration = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s` : `${Math.ceil(s)}s`);

/**
 * A bar redrawn in place on a terminal; elsewhere (a log, a pipe) a plain line every few seconds. The
 * file is read once, so how far it has got and the time left go by bytes; the rate is in comments.
 */
export function progressReporter(stream: NodeJS.WriteStream, started = Date.now()) {
  let lastPlain = 0;
  return ({ comments, bytesRead, totalBytes, finished }: ImportProgress) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? comments / seconds : 0;
    const share = finished || totalBytes === 0 ? 1 : Math.min(1, bytesRead / totalBytes);
    const left = share > 0 ? (seconds / share) * (1 - share) : 0;
    const line = `${comments.toLocaleString('en')} comments · ${Math.floor(share * 100)}% of the file · ${Math.round(rate).toLocaleString('en')}/s · ${finished ? 'done' : `${duration(left)} left`}`;
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

export function summaryLines(summary: ImportSummary, dryRun: boolean): string[] {
  const verb = dryRun ? 'would import' : 'imported';
  const lines = [
    `comments: ${verb} ${summary.comments.imported}, already imported ${summary.comments.alreadyImported}`,
    ...Object.entries(summary.comments.skipped).map(([why, n]) => `comments skipped: ${n} (${why})`),
    `conversations: matched ${summary.conversations.matched}, ${dryRun ? 'would create' : 'created'} ${summary.conversations.created}`,
    ...Object.entries(summary.conversations.skipped).map(([why, n]) => `conversations skipped: ${n} (${why})`),
    `profiles: created ${summary.profiles.created}, claimed by readers with the same verified address ${summary.profiles.claimedAtImport}`,
  ];
  for (const w of [...summary.warnings].sort((a, b) => a.line - b.line)) lines.push(`read past: line ${w.line}: ${w.problem}`);
  if (summary.orphansKeptAsThreads) lines.push(`replies whose parent is not in the file, kept as new threads: ${summary.orphansKeptAsThreads}`);
  return lines;
}

export async function importCommentsCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { from: { type: 'string' }, site: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'no-create': { type: 'boolean' } },
  });
  const from = values.from as Source | undefined;
  if (!from || !SOURCES.includes(from)) throw new CommentsUsageProblem(`import-comments needs --from ${[...IMPORT_FROM, 'parley'].join('|')}`);
  if (positionals.length !== 1) throw new CommentsUsageProblem('import-comments needs one FILE');
  const file = positionals[0]!;
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
    console.error(`parley import-comments: ${file}: no such file`);
    return 1;
  }
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    const site = await siteFor(ctx, values.site);
    const dryRun = values['dry-run'] === true;
    process.stderr.write(`importing ${file} (${(fs.statSync(file).size / 1048576).toFixed(1)} MB)\n`);
    const summary = await importComments(ctx, { source: from, file, site, dryRun, create: values['no-create'] !== true, onProgress: progressReporter(process.stderr) });
    for (const line of summaryLines(summary, dryRun)) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof ImportFileError) {
      // Whole batches before the mistake are in; a second run after the fix skips them and imports the rest.
      const before = error.importedBefore;
      console.error(
        `parley import-comments: ${file}: ${error.message}; ${before === 0 ? 'nothing was imported' : `the ${before.toLocaleString('en')} comments before it were imported, and running the same command on the corrected file imports the rest`}`,
      );
      return 1;
    }
    throw error;
  } finally {
    await closeContext(ctx);
  }
}

export async function exportCommentsCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' }, site: { type: 'string' } } });
  const format = values.format as ExportFormat | undefined;
  if (format !== 'parley' && format !== 'disqus') throw new CommentsUsageProblem('export-comments needs --format parley|disqus');
  if (positionals.length !== 1) throw new CommentsUsageProblem('export-comments needs one FILE');
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    const site = await siteFor(ctx, values.site);
    const result = await exportComments(ctx.db.kysely, site, format, positionals[0]!, config.publicUrl);
    console.log(JSON.stringify({ file: positionals[0], format, site: site.key, ...result }));
    return 0;
  } finally {
    await closeContext(ctx);
  }
}
