import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { formatExplanation } from './articles/extract/candidates.ts';
import { ImportError, type ArticleDraft } from './articles/model.ts';
import { articlePath } from './articles/paths.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { StartupRefusal } from './ops/startup.ts';
import { heapGrowingFlag } from './ops/heap-growth.ts';
import { cliTranslator } from './i18n/cli.ts';
import type { Translator } from './i18n/translator.ts';

// Each command loads the modules it needs when it runs (the database, the HTTP stack, the importers):
// loading them all up front made every command, `--help` included, take seconds to start.
const app = () => import('./app.ts');
const sitesCli = () => import('./sites/cli.ts');
const backups = () => import('./ops/backup.ts');
const commentsCli = () => import('./migrate-comments/cli.ts');

// The `parley` command line. Exit codes: 0 done, 1 some input could not be used, 2 bad usage or configuration.

// Words for people follow the shell's language (LANG, i18n/cli.ts); JSON lines for programs do not.
const usage = (i18n: Translator) => i18n.t('cli.usage');

class UsageError extends Error {}

// While the server loads its modules and opens the database nearly everything it allocates lives for
// good (code, schemas, routes), yet V8 grows the young generation on the way to its 32 MB maximum, and
// a server at rest keeps it: about a fifth of its memory, empty. It is held at its first size (1 MB)
// until the server listens, then grows as usual (V8's factor: 2), for the short-lived objects of
// requests, which is what it is for.
const holdYoungGeneration = (hold: boolean) => v8.setFlagsFromString(`--semi-space-growth-factor=${hold ? 1 : 2}`);

async function serve(config: Config, args: string[], { t }: Translator): Promise<void> {
  const { values } = parseArgs({ args, options: { adopt: { type: 'boolean' } } });
  holdYoungGeneration(true);
  const heapGrowing = heapGrowingFlag(config.ops.heapGrowingPercent, process.env.NODE_OPTIONS, process.execArgv);
  if (heapGrowing) v8.setFlagsFromString(heapGrowing);
  const { createApp } = await app();
  const server = await createApp(config, { adopt: values.adopt === true, checkIntegrity: true });
  const log = server.ctx.log as { info(o: unknown, m?: string): void; error(o: unknown, m?: string): void };
  // The process never exits on a stray rejection (a dropped database connection mid-query): it is
  // logged, and the request it belonged to has had its answer.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, timeoutS: config.ops.shutdownTimeoutS }, 'shutting down');
    // Whatever clients or jobs do, the process is gone within SHUTDOWN_TIMEOUT_S.
    setTimeout(() => {
      log.error({ timeoutS: config.ops.shutdownTimeoutS }, 'shutdown took longer than SHUTDOWN_TIMEOUT_S; exiting now');
      process.exit(1);
    }, config.ops.shutdownTimeoutS * 1000).unref();
    try {
      await server.close();
    } catch (error) {
      log.error({ err: error }, 'error while shutting down');
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  try {
    await server.server.listen({ port: config.port, host: config.host, backlog: config.ops.listenBacklog });
  } catch (error) {
    await server.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new StartupRefusal(t('cli.serve.portInUse', { port: String(config.port), host: config.host }));
    if (code === 'EACCES') throw new StartupRefusal(t('cli.serve.portForbidden', { port: String(config.port) }));
    if (code === 'EADDRNOTAVAIL') throw new StartupRefusal(t('cli.serve.hostNotHere', { host: config.host }));
    throw error;
  } finally {
    holdYoungGeneration(false);
  }
}

async function migrate(config: Config, args: string[], { t }: Translator): Promise<void> {
  const { values } = parseArgs({ args, options: { adopt: { type: 'boolean' } } });
  const [{ closeContext, openContext }, { migrateToLatest }] = await Promise.all([app(), import('./db/migrate.ts')]);
  const ctx = await openContext({ ...config, logLevel: 'silent' }, { adopt: values.adopt === true, checkIntegrity: true });
  try {
    const applied = await migrateToLatest(ctx.db);
    console.log(applied.length ? t('cli.migrate.applied', { names: applied.join(', ') }) : t('cli.migrate.upToDate'));
  } finally {
    await closeContext(ctx);
  }
}

/** An unknown `--site` is refused before anything is read, even on a dry run. */
async function withSiteCheck(config: Config, key: string, i18n: Translator): Promise<void> {
  const [{ closeContext, openContext }, { importSite }] = await Promise.all([app(), sitesCli()]);
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    await importSite(ctx, key, i18n);
  } finally {
    await closeContext(ctx);
  }
}

async function openArticleStore(config: Config, i18n: Translator) {
  const [{ closeContext, openContext }, { importSite }, { importArticle }] = await Promise.all([app(), sitesCli(), import('./articles/commands.ts')]);
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  return {
    site: (key: string) => importSite(ctx, key, i18n),
    importArticle: (draft: ArticleDraft, options: { siteId?: number }) => importArticle(ctx, draft, options),
    close: () => closeContext(ctx),
  };
}

async function importFiles(config: Config, args: string[], i18n: Translator): Promise<number> {
  const { t } = i18n;
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, explain: { type: 'boolean' }, site: { type: 'string' } } });
  if (positionals.length === 0) throw new UsageError(t('cli.import.needsFile'));
  const dryRun = values['dry-run'] === true;
  if (values.explain === true && !dryRun) throw new UsageError(t('cli.import.explainAlone'));
  if (dryRun && values.site !== undefined) await withSiteCheck(config, values.site, i18n);
  const { explainArticleFile } = await import('./articles/import-file.ts');
  // A dry run reads files and prints: it opens no database.
  const store = dryRun ? null : await openArticleStore(config, i18n);
  let failures = 0;
  try {
    // --site KEY: the articles belong to that site (src/sites); without it, to the default site.
    const site = store && values.site !== undefined ? await store.site(values.site) : null;
    for (const file of positionals) {
      try {
        const stat = await fs.stat(file).catch(() => null);
        if (!stat) throw new ImportError(t('cli.import.noSuchFile'));
        if (!stat.isFile()) throw new ImportError(t('cli.import.notAFile'));
        if (stat.size > 5 * 1024 * 1024) throw new ImportError(t('cli.import.tooBig', { size: Math.round((stat.size / 1024 / 1024) * 10) / 10 }));
        const { draft, explanation } = await explainArticleFile(await fs.readFile(file), file);
        if (!store) {
          console.log(JSON.stringify({ file, article: { ...draft, publishedAt: draft.publishedAt?.toISOString() ?? null } }));
          // The reasons go to stderr, so stdout stays one JSON line per article.
          if (values.explain === true) console.error(`${file}:\n${formatExplanation(explanation)}`);
          continue;
        }
        const { article, created } = await store.importArticle(draft, site ? { siteId: site.id } : {});
        const url = articlePath(article);
        console.log(JSON.stringify({ id: article.id, slug: article.slug, url, result: created ? 'created' : 'updated' }));
      } catch (error) {
        if (!(error instanceof ImportError)) throw error;
        failures++;
        console.error(`parley import: ${file}: ${error.messageIn(i18n)}`);
      }
    }
  } finally {
    if (store) await store.close();
  }
  return failures > 0 ? 1 : 0;
}

async function backupOrRestore(config: Config, action: 'backup' | 'restore', args: string[], i18n: Translator): Promise<number> {
  const { t } = i18n;
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new UsageError(t('cli.backup.needsFile', { action }));
  const file = positionals[0]!;
  if (config.databaseUrl) {
    console.error((await backups()).postgresBackupAdvice(config.databaseUrl, action, file, i18n));
    return 2;
  }
  const { backupSqlite, restoreSqlite } = await backups();
  const databaseFile = path.join(config.dataDir, 'parley.db');
  if (action === 'backup') {
    const result = await backupSqlite(databaseFile, file, { force: values.force === true });
    console.log(JSON.stringify({ backup: result.file, bytes: result.bytes, pages: result.pages }));
  } else {
    const result = await restoreSqlite(databaseFile, file, { force: values.force === true });
    console.log(JSON.stringify({ restored: result.file, from: path.resolve(file), replaced: result.replaced, ...result.counts }));
  }
  return 0;
}

/** A refusal a command explains in one line (exit code 2); only failures reach here, so loading the modules that define them costs nothing on success. */
async function isCommandRefusal(error: unknown): Promise<boolean> {
  const [{ BackupRefused }, { CommentsUsageProblem }, { SiteUsageProblem }] = await Promise.all([backups(), commentsCli(), sitesCli()]);
  return error instanceof BackupRefused || error instanceof CommentsUsageProblem || error instanceof SiteUsageProblem;
}

export async function main(argv: string[], i18n: Translator = cliTranslator()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      console.log(usage(i18n));
      return command ? 0 : 2;
    }
    const config = loadConfig();
    switch (command) {
      case 'serve':
        await serve(config, rest, i18n);
        return -1;
      case 'migrate':
        await migrate(config, rest, i18n);
        return 0;
      case 'backup':
      case 'restore':
        return await backupOrRestore(config, command, rest, i18n);
      case 'import':
        return await importFiles(config, rest, i18n);
      case 'user':
        return await (await import('./accounts/cli.ts')).userCommand(config, rest, i18n);
      case 'site':
        return await (await sitesCli()).siteCommand(config, rest, i18n);
      case 'import-comments':
        return await (await commentsCli()).importCommentsCommand(config, rest, i18n);
      case 'export-comments':
        return await (await commentsCli()).exportCommentsCommand(config, rest, i18n);
      case 'quotes':
        return await (await import('./quotes/cli.ts')).quotesCommand(config, rest, i18n);
      default:
        throw new UsageError(i18n.t('cli.unknownCommand', { command }));
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupRefusal || (await isCommandRefusal(error))) {
      // Refusals that carry a catalog key speak the shell's language; the others are still English.
      const refusal = error as Error & { messageIn?: (i18n: Translator) => string };
      console.error(`parley: ${refusal.messageIn ? refusal.messageIn(i18n) : refusal.message}`);
      return 2;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`parley: ${(error as Error).message}\n\n${usage(i18n)}`);
      return 2;
    }
    throw error;
  }
}
