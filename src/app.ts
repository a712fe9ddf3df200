import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { countArticles } from './articles/store.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { openDatabase, type Db } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { commentsPersonalData } from './comments/personal-data.ts';
import { communityPersonalData } from './community/personal-data.ts';
import { moderationPersonalData } from './moderation/personal-data.ts';
import { ssoPersonalData } from './sso/personal-data.ts';
import { createMailer } from './email/mailer.ts';
import { EventBus } from './events/bus.ts';
import { PageCache } from './http/page-cache.ts';
import { createLogger } from './ops/logging.ts';
import { lockSqliteFile, type SqliteLock } from './ops/sqlite-lock.ts';
import { checkDataDir } from './ops/startup.ts';
import { opsState } from './ops/state.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const EXAMPLE_ARTICLE = path.join(here, '..', 'examples', 'independent-tillerson.txt');

export interface OpenOptions {
  /** PostgreSQL schema (tests); SQLite file name (tests use their own). */
  pgSchema?: string;
  sqliteFile?: string;
  log?: AppContext['log'];
  /** Add Parley's tables to a PostgreSQL schema that holds other tables (`--adopt`). */
  adopt?: boolean;
  /** Run SQLite's quick_check first (serve, migrate). */
  checkIntegrity?: boolean;
}

/** Opens the database, brings its schema up to date and wires the event bus. */
export async function openContext(config: Config, options: OpenOptions = {}): Promise<AppContext> {
  // One JSON log for the server, its jobs and subscribers, the mailer and the bus (ops/logging.ts).
  const log = options.log ?? createLogger(config);
  const db: Db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    sqliteSynchronous: config.sqliteSynchronous,
    sqliteStatementCache: config.sqliteStatementCache,
    pgSchema: options.pgSchema,
    sqliteFile: options.sqliteFile,
    checkIntegrity: options.checkIntegrity,
    log,
  });
  try {
    await migrateToLatest(db, { adopt: options.adopt });
  } catch (error) {
    await db.close();
    throw error;
  }
  const bus = new EventBus();
  return { config, db, bus, log, personalData: [commentsPersonalData, communityPersonalData, moderationPersonalData, ssoPersonalData], mailer: createMailer(config, log), pageCache: new PageCache({ maxBytes: config.ops.pageCacheMaxMb * 1024 * 1024 }) };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  ctx.pageCache.stop();
  await ctx.mailer.close();
  await ctx.bus.close();
  await ctx.db.close();
}

/** A newcomer sees a real page at once: the bundled example article goes into an empty database. */
export async function seedExampleArticle(ctx: AppContext): Promise<boolean> {
  if ((await countArticles(ctx.db.kysely)) > 0) return false;
  // The importers (and the picture job behind them) load only for a database that needs the example:
  // every later start, and every CLI command that opens the context, goes without them.
  const [{ parseArticleFile }, { importArticle }] = await Promise.all([import('./articles/import-file.ts'), import('./articles/commands.ts')]);
  const draft = await parseArticleFile(await fs.readFile(EXAMPLE_ARTICLE), EXAMPLE_ARTICLE, { publicationName: 'The Independent' });
  await importArticle(ctx, draft);
  return true;
}

export interface RunningApp {
  ctx: AppContext;
  server: FastifyInstance;
  close(): Promise<void>;
}

export async function createApp(config: Config, options: OpenOptions = {}): Promise<RunningApp> {
  // One server per SQLite file: a second one would never hear of the first one's changes.
  let lock: SqliteLock | null = null;
  if (!config.databaseUrl && options.sqliteFile !== ':memory:') {
    checkDataDir(config.dataDir);
    lock = lockSqliteFile(path.join(config.dataDir, options.sqliteFile ?? 'parley.db'));
  }
  let ctx: AppContext;
  try {
    ctx = await openContext(config, options);
  } catch (error) {
    lock?.release();
    throw error;
  }
  try {
    if (ctx.db.pgPool) await ctx.bus.listenToPostgres(ctx.db.pgPool, { log: ctx.log as never });
    await ctx.pageCache.follow(ctx.db.kysely, ctx.bus);
    if (config.seedExample) await seedExampleArticle(ctx);
    // Loaded here, not at the top: the CLI's import and user commands never need the HTTP stack.
    const { buildServer } = await import('./server.ts');
    const server = await buildServer(ctx);
    await server.ready();
    // Jobs and subscribers start once the server is ready and stop before the database closes. Loaded
    // here, not at the top: the CLI commands that open the context (import, user, site) never run them.
    const { startCommunity } = await import('./community/runtime.ts');
    const community = await startCommunity(ctx);
    opsState(ctx).community = community;
    return {
      ctx,
      server,
      async close() {
        opsState(ctx).stopping = true;
        // In-flight requests may finish; after the drain budget whatever is still open (a client
        // that never sends the rest of its body, a stalled download) is cut, so shutdown is bounded.
        const drainMs = Math.max(500, config.ops.shutdownTimeoutS * 1000 - 3000);
        const cut = setTimeout(() => server.server.closeAllConnections(), drainMs);
        try {
          await server.close();
        } finally {
          clearTimeout(cut);
        }
        await community.stop();
        opsState(ctx).community = null;
        await closeContext(ctx);
        lock?.release();
      },
    };
  } catch (error) {
    await closeContext(ctx);
    lock?.release();
    throw error;
  }
}
