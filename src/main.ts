import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { formatExplanation } from './articles/extract/candidates.ts';
import { ImportError, type ArticleDraft } from './articles/model.ts';
import { articlePath } from './articles/paths.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { StartupRefusal } from './ops/startup.ts';

// Each command loads the modules it needs when it runs (the database, the HTTP stack, the importers):
// loading them all up front made every command, `--help` included, take seconds to start.
const app = () => import('./app.ts');
const sitesCli = () => import('./sites/cli.ts');
const backups = () => import('./ops/backup.ts');
const commentsCli = () => import('./migrate-comments/cli.ts');

// The `parley` command line. Exit codes: 0 done, 1 some input could not be used, 2 bad usage or configuration.

const USAGE = `usage: parley <command>

commands:
  serve [--adopt]            serve the site (migrates the database first; --adopt: into a
                             PostgreSQL database that already holds other tables)
  migrate [--adopt]          bring the database schema up to date
  backup [--force] FILE      copy the SQLite database to FILE while the site runs (PostgreSQL: explains pg_dump)
  restore [--force] FILE     replace the database with a backup (the server stopped; --force if not empty)
  import [--dry-run [--explain]] [--site KEY] FILE…
                             import articles from text or HTML files (into site KEY; default: the default site);
                             --explain (with --dry-run) prints each field's candidates and why the winner won
  site create --name N --origin URL… [--key K]
                             create a site (a publication whose pages embed Parley)
  site list [--json]         list the sites
  site update KEY [--name N] [--origin URL…]
                             rename a site or replace its allowed origins
  user create --email E --name N [--role R] [--password-stdin]
                             create an account (asks for the password)
  user role E ROLE           change an account's role (reader, staff, moderator, admin)
  import-comments --from disqus|wordpress|commento|remark42|parley [--site KEY] [--dry-run] [--no-create] FILE
                             bring in another system's conversations (again: only what is new)
  export-comments --format parley|disqus [--site KEY] FILE
                             write a site's conversations to FILE
  quotes extract [--site KEY] find who the stored articles quote again (corrections are kept)

configuration (environment): PORT, HOST, DATA_DIR, DATABASE_URL, PUBLIC_URL, SMTP_URL, LOG_LEVEL,
  SHUTDOWN_TIMEOUT_S, METRICS_TOKEN, METRICS_PORT, ACCESS_LOG_SAMPLE, SHED_EVENT_LOOP_DELAY_MS, SHED_MAX_WRITES`;

class UsageError extends Error {}

// While the server loads its modules and opens the database nearly everything it allocates lives for
// good (code, schemas, routes), yet V8 grows the young generation on the way to its 32 MB maximum, and
// a server at rest keeps it: about a fifth of its memory, empty. It is held at its first size (1 MB)
// until the server listens, then grows as usual (V8's factor: 2), for the short-lived objects of
// requests, which is what it is for.
const holdYoungGeneration = (hold: boolean) => v8.setFlagsFromString(`--semi-space-growth-factor=${hold ? 1 : 2}`);

async function serve(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { adopt: { type: 'boolean' } } });
  holdYoungGeneration(true);
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
    await server.server.listen({ port: config.port, host: config.host });
  } catch (error) {
    await server.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new StartupRefusal(`port ${config.port} on ${config.host} is already in use: stop the other server or set PORT`);
    if (code === 'EACCES') throw new StartupRefusal(`this user may not listen on port ${config.port}: use a port above 1023 or a reverse proxy`);
    if (code === 'EADDRNOTAVAIL') throw new StartupRefusal(`HOST ${config.host} is not an address of this machine`);
    throw error;
  } finally {
    holdYoungGeneration(false);
  }
}

async function migrate(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { adopt: { type: 'boolean' } } });
  const [{ closeContext, openContext }, { migrateToLatest }] = await Promise.all([app(), import('./db/migrate.ts')]);
  const ctx = await openContext({ ...config, logLevel: 'silent' }, { adopt: values.adopt === true, checkIntegrity: true });
  try {
    const applied = await migrateToLatest(ctx.db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
  } finally {
    await closeContext(ctx);
  }
}

/** An unknown `--site` is refused before anything is read, even on a dry run. */
async function withSiteCheck(config: Config, key: string): Promise<void> {
  const [{ closeContext, openContext }, { importSite }] = await Promise.all([app(), sitesCli()]);
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  try {
    await importSite(ctx, key);
  } finally {
    await closeContext(ctx);
  }
}

async function openArticleStore(config: Config) {
  const [{ closeContext, openContext }, { importSite }, { importArticle }] = await Promise.all([app(), sitesCli(), import('./articles/commands.ts')]);
  const ctx = await openContext({ ...config, logLevel: 'silent' });
  return {
    site: (key: string) => importSite(ctx, key),
    importArticle: (draft: ArticleDraft, options: { siteId?: number }) => importArticle(ctx, draft, options),
    close: () => closeContext(ctx),
  };
}

async function importFiles(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, explain: { type: 'boolean' }, site: { type: 'string' } } });
  if (positionals.length === 0) throw new UsageError('import needs at least one FILE');
  const dryRun = values['dry-run'] === true;
  if (values.explain === true && !dryRun) throw new UsageError('--explain goes with --dry-run');
  if (dryRun && values.site !== undefined) await withSiteCheck(config, values.site);
  const { explainArticleFile } = await import('./articles/import-file.ts');
  // A dry run reads files and prints: it opens no database.
  const store = dryRun ? null : await openArticleStore(config);
  let failures = 0;
  try {
    // --site KEY: the articles belong to that site (src/sites); without it, to the default site.
    const site = store && values.site !== undefined ? await store.site(values.site) : null;
    for (const file of positionals) {
      try {
        const stat = await fs.stat(file).catch(() => null);
        if (!stat) throw new ImportError('no such file');
        if (!stat.isFile()) throw new ImportError('not a regular file');
        if (stat.size > 5 * 1024 * 1024) throw new ImportError(`the file is ${(stat.size / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB`);
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
        console.error(`parley import: ${file}: ${error.message}`);
      }
    }
  } finally {
    if (store) await store.close();
  }
  return failures > 0 ? 1 : 0;
}

async function backupOrRestore(config: Config, action: 'backup' | 'restore', args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new UsageError(`${action} needs one FILE`);
  const file = positionals[0]!;
  if (config.databaseUrl) {
    console.error((await backups()).postgresBackupAdvice(config.databaseUrl, action, file));
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

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      console.log(USAGE);
      return command ? 0 : 2;
    }
    const config = loadConfig();
    switch (command) {
      case 'serve':
        await serve(config, rest);
        return -1;
      case 'migrate':
        await migrate(config, rest);
        return 0;
      case 'backup':
      case 'restore':
        return await backupOrRestore(config, command, rest);
      case 'import':
        return await importFiles(config, rest);
      case 'user':
        return await (await import('./accounts/cli.ts')).userCommand(config, rest);
      case 'site':
        return await (await sitesCli()).siteCommand(config, rest);
      case 'import-comments':
        return await (await commentsCli()).importCommentsCommand(config, rest);
      case 'export-comments':
        return await (await commentsCli()).exportCommentsCommand(config, rest);
      case 'quotes':
        return await (await import('./quotes/cli.ts')).quotesCommand(config, rest);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupRefusal || (await isCommandRefusal(error))) {
      console.error(`parley: ${(error as Error).message}`);
      return 2;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`parley: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
