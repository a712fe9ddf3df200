import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { importArticle } from './articles/commands.ts';
import { parseArticleFile } from './articles/import-file.ts';
import { countArticles } from './articles/store.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { openDatabase, type Db } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { commentsPersonalData } from './comments/personal-data.ts';
import { communityPersonalData } from './community/personal-data.ts';
import { moderationPersonalData } from './moderation/personal-data.ts';
import { startCommunity } from './community/runtime.ts';
import { createMailer } from './email/mailer.ts';
import { EventBus } from './events/bus.ts';
import { PageCache } from './http/page-cache.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const EXAMPLE_ARTICLE = path.join(here, '..', 'examples', 'independent-tillerson.txt');

export interface OpenOptions {
  /** PostgreSQL schema (tests); SQLite file name (tests use their own). */
  pgSchema?: string;
  sqliteFile?: string;
  log?: AppContext['log'];
}

/** Opens the database, brings its schema up to date and wires the event bus. */
export async function openContext(config: Config, options: OpenOptions = {}): Promise<AppContext> {
  const db: Db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    sqliteSynchronous: config.sqliteSynchronous,
    pgSchema: options.pgSchema,
    sqliteFile: options.sqliteFile,
  });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const bus = new EventBus();
  const log = options.log ?? console;
  return { config, db, bus, log, personalData: [commentsPersonalData, communityPersonalData, moderationPersonalData], mailer: createMailer(config, log), pageCache: new PageCache() };
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
  const ctx = await openContext(config, options);
  try {
    if (ctx.db.pgPool) await ctx.bus.listenToPostgres(ctx.db.pgPool);
    await ctx.pageCache.follow(ctx.db.kysely, ctx.bus);
    if (config.seedExample) await seedExampleArticle(ctx);
    // Loaded here, not at the top: the CLI's import and user commands never need the HTTP stack.
    const { buildServer } = await import('./server.ts');
    const server = await buildServer(ctx);
    await server.ready();
    // Jobs and subscribers start once the server is ready and stop before the database closes.
    const community = await startCommunity(ctx);
    return {
      ctx,
      server,
      async close() {
        await server.close();
        await community.stop();
        await closeContext(ctx);
      },
    };
  } catch (error) {
    await closeContext(ctx);
    throw error;
  }
}
