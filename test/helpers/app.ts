import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createApp, type RunningApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { TEST_SERVER_SHEDDING } from './shedding.ts';

export { TEST_SERVER_SHEDDING };

export type TestDialect = 'sqlite' | 'postgres';

const pgUrl = process.env.PARLEY_TEST_DATABASE_URL?.trim() || null;

/** SQLite always; PostgreSQL too when PARLEY_TEST_DATABASE_URL is set (CI sets it). */
export const dialects: TestDialect[] = pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestApp extends RunningApp {
  baseUrl: string;
  config: Config;
  dialect: TestDialect;
}

/**
 * A real server on a random port over a database of its own: a fresh SQLite file in a temporary
 * folder, or a fresh PostgreSQL schema that is dropped afterwards.
 */
export async function startTestApp(dialect: TestDialect, env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
  const pgSchema = dialect === 'postgres' ? testSchemaName('t') : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PARLEY_SEED_EXAMPLE: '0',
    SQLITE_SYNCHRONOUS: 'NORMAL',
    ...TEST_SERVER_SHEDDING,
    PORT: '0',
    PUBLIC_URL: 'http://parley.test',
    ...(dialect === 'postgres' ? { DATABASE_URL: pgUrl! } : {}),
    ...env,
  });
  const app = await createApp(config, { pgSchema });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    ...app,
    baseUrl,
    config: { ...config, publicUrl: config.publicUrl },
    dialect,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A PostgreSQL schema name of this run; test/global-setup.ts drops them all once every file has
 * finished (dropping one during the run can fail another file's migrations).
 */
export function testSchemaName(prefix: 't' | 'm'): string {
  return `${prefix}_${inject('pgRun')}_${randomBytes(6).toString('hex')}`;
}

/**
 * A fresh schema of this run and a connection URL whose search_path names it: what a spawned process
 * (the CLI, a second node) is given as DATABASE_URL, so it works in that schema alone.
 */
export async function schemaDatabaseUrl(baseUrl: string, schema = testSchemaName('t')): Promise<{ url: string; schema: string }> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), schema };
}

export const EXAMPLE_FILE = path.join(import.meta.dirname, '..', '..', 'examples', 'independent-tillerson.txt');
