import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { importArticle } from './articles/commands.ts';
import { parseArticleFile } from './articles/import-file.ts';
import { ImportError } from './articles/model.ts';
import { userCommand } from './accounts/cli.ts';
import { presentArticle } from './articles/presenter.ts';
import { closeContext, createApp, openContext } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { migrateToLatest } from './db/migrate.ts';

// The `parley` command line. Exit codes: 0 done, 1 some input could not be used, 2 bad usage or configuration.

const USAGE = `usage: parley <command>

commands:
  serve                      serve the site (migrates the database first)
  migrate                    bring the database schema up to date
  import [--dry-run] FILE…   import articles from text or HTML files
  user create --email E --name N [--role R] [--password-stdin]
                             create an account (asks for the password)
  user role E ROLE           change an account's role (reader, staff, moderator, admin)

configuration (environment): PORT, HOST, DATA_DIR, DATABASE_URL, PUBLIC_URL, SMTP_URL, LOG_LEVEL`;

class UsageError extends Error {}

async function serve(config: Config): Promise<void> {
  const app = await createApp(config);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.server.listen({ port: config.port, host: config.host });
}

async function migrate(config: Config): Promise<void> {
  const ctx = await openContext(config);
  try {
    const applied = await migrateToLatest(ctx.db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
  } finally {
    await closeContext(ctx);
  }
}

async function importFiles(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean' } } });
  if (positionals.length === 0) throw new UsageError('import needs at least one FILE');
  const dryRun = values['dry-run'] === true;
  const ctx = dryRun ? null : await openContext({ ...config, logLevel: 'silent' });
  let failures = 0;
  try {
    for (const file of positionals) {
      try {
        const stat = await fs.stat(file).catch(() => null);
        if (!stat) throw new ImportError('no such file');
        if (!stat.isFile()) throw new ImportError('not a regular file');
        if (stat.size > 5 * 1024 * 1024) throw new ImportError(`the file is ${(stat.size / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB`);
        const draft = await parseArticleFile(await fs.readFile(file), file);
        if (!ctx) {
          console.log(JSON.stringify({ file, article: { ...draft, publishedAt: draft.publishedAt?.toISOString() ?? null } }));
          continue;
        }
        const { article } = await importArticle(ctx, draft);
        const { url } = presentArticle(article);
        console.log(JSON.stringify({ id: article.id, slug: article.slug, url }));
      } catch (error) {
        if (!(error instanceof ImportError)) throw error;
        failures++;
        console.error(`parley import: ${file}: ${error.message}`);
      }
    }
  } finally {
    if (ctx) await closeContext(ctx);
  }
  return failures > 0 ? 1 : 0;
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
        await serve(config);
        return -1;
      case 'migrate':
        await migrate(config);
        return 0;
      case 'import':
        return await importFiles(config, rest);
      case 'user':
        return await userCommand(config, rest);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`parley: ${error.message}`);
      return 2;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`parley: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
