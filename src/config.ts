import { isIP } from 'node:net';
import path from 'node:path';
import { KeyedError } from './i18n/keyed-error.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** A postgres:// URL switches the store to PostgreSQL; otherwise SQLite lives in dataDir. */
  databaseUrl: string | null;
  /** The site's public origin, without a trailing slash; links in feeds and e-mails use it. */
  publicUrl: string;
  /** SQLite durability: FULL survives power loss, NORMAL only process crashes. */
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** SQLITE_STATEMENT_CACHE: how many prepared SQLite statements are kept (src/db/connection.ts). */
  sqliteStatementCache?: number;
  smtpUrl: string | null;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Import the bundled example article when the database has no article yet. */
  seedExample: boolean;
  /**
   * Whether pages and pictures to import may be fetched from private, loopback and link-local
   * addresses. Off by default: an address someone gave must not reach the host's own network.
   */
  fetchAllowPrivate: boolean;
  /**
   * Offer the pseudo-locale en-XA (src/i18n/pseudo.ts) to browsers that ask for it: for finding
   * unextracted text in development and browser tests (PARLEY_PSEUDO_LOCALE=1, or PARLEY_E2E=1).
   * Off in production, where en-XA reads as English.
   */
  pseudoLocale?: boolean;
  /** Operations (src/ops): how long SIGTERM may take, metrics access, access-log sampling, load shedding. */
  ops: OpsConfig;
}

export interface OpsConfig {
  /**
   * Which proxies in front of Parley to believe about the client's address (X-Forwarded-For): false,
   * a number of hops, or addresses and CIDR ranges. Rate limits and sign-in throttling count per
   * client address, so behind a proxy without this every reader would share the proxy's address.
   */
  trustProxy: false | number | string[];
  /** SIGTERM ends the process within this many seconds whatever clients do. */
  shutdownTimeoutS: number;
  /**
   * Connections the kernel may hold for the server before it takes them (the listen backlog; Linux caps
   * it at net.core.somaxconn). Node's 511 overflows in a burst while the event loop is busy, and an
   * overflowed connection is not refused but waits for the client to retry its handshake: 1 s, then 3 s.
   */
  listenBacklog: number;
  /** /metrics on the main port needs `Authorization: Bearer <token>`; null: not served there. */
  metricsToken: string | null;
  /** A second port that serves /metrics alone (bound to HOST), for a scraper inside the network. */
  metricsPort: number | null;
  /** Share of requests that get an access-log line (1: all; 5xx always do). */
  accessLogSample: number;
  /** New writes get 503 + Retry-After while the event loop lags more than this. */
  shedEventLoopDelayMs: number;
  /** Share of the time the event loop may be busy (two half-second windows) before new writes get 503; 1 turns it off. */
  shedEventLoopUtilization: number;
  /** The utilisation the ceiling on the rate of admitted writes aims to keep the loop under (src/ops/write-rate.ts); 1 turns it off. */
  shedWriteRateUtilization: number;
  /** The most writes in progress (the admission limit adapts below it); beyond, new writes get 503 + Retry-After. */
  shedMaxWrites: number;
  /** The time within which admitted writes should be answered: the admission limit adapts to keep them within it. */
  shedWriteLatencyMs: number;
  /** New writes get 503 + Retry-After while the live hub is more than this behind in writing commits to open pages. */
  shedLiveDelayMs: number;
  /** PAGE_CACHE_MAX_MB: memory for cached pages and shared conversation parts (src/http/page-cache.ts). */
  pageCacheMaxMb: number;
  /** HEAP_GROWING_PERCENT: how far V8's old generation may grow past what survived its last full collection; 0 leaves it to V8 (src/ops/heap-growth.ts). */
  heapGrowingPercent: number;
}

/** A configuration value a person got wrong; main.ts prints its words, in the shell's language, and exits 2. */
export class ConfigError extends KeyedError {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) {
    throw new ConfigError({ key: 'cli.config.wholeNumber', values: { name: 'PORT', min: 0, max: 65535, raw } });
  }
  return port;
}

function parseUrl(name: string, raw: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError({ key: 'cli.config.notUrl', values: { name, first: protocols[0]!, second: protocols[1]!, raw } });
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError({ key: 'cli.config.scheme', values: { name, first: protocols[0]!, second: protocols[1]!, raw } });
  }
  return url;
}

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  const value = raw.trim();
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError({ key: 'cli.config.oneOf', values: { name, allowed: allowed.join(', '), raw } });
  }
  return value as T;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const port = env.PORT ? parsePort(env.PORT) : 3000;
  const host = env.HOST?.trim() || '127.0.0.1';
  if (/\s|\//.test(host)) throw new ConfigError({ key: 'cli.config.host', values: { raw: env.HOST ?? '' } });

  const dataDir = path.resolve(cwd, env.DATA_DIR?.trim() || './data');

  let databaseUrl: string | null = null;
  if (env.DATABASE_URL?.trim()) {
    databaseUrl = parseUrl('DATABASE_URL', env.DATABASE_URL.trim(), ['postgres:', 'postgresql:']).toString();
  }

  let publicUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (env.PUBLIC_URL?.trim()) {
    const url = parseUrl('PUBLIC_URL', env.PUBLIC_URL.trim(), ['http:', 'https:']);
    if (url.search || url.hash) throw new ConfigError({ key: 'cli.config.publicUrlQuery', values: { raw: env.PUBLIC_URL ?? '' } });
    publicUrl = url.toString().replace(/\/+$/, '');
  }

  let smtpUrl: string | null = null;
  if (env.SMTP_URL?.trim()) smtpUrl = parseUrl('SMTP_URL', env.SMTP_URL.trim(), ['smtp:', 'smtps:']).toString();

  const sqliteSynchronous = env.SQLITE_SYNCHRONOUS
    ? oneOf('SQLITE_SYNCHRONOUS', env.SQLITE_SYNCHRONOUS.toUpperCase(), ['FULL', 'NORMAL'] as const)
    : 'FULL';
  const sqliteStatementCache = env.SQLITE_STATEMENT_CACHE ? wholeNumber('SQLITE_STATEMENT_CACHE', env.SQLITE_STATEMENT_CACHE, 10, 100_000) : 500;
  const logLevel = env.LOG_LEVEL
    ? oneOf('LOG_LEVEL', env.LOG_LEVEL.toLowerCase(), ['silent', 'error', 'warn', 'info', 'debug'] as const)
    : 'info';
  const seedExample = env.PARLEY_SEED_EXAMPLE ? oneOf('PARLEY_SEED_EXAMPLE', env.PARLEY_SEED_EXAMPLE, ['0', '1'] as const) === '1' : true;

  const fetchAllowPrivate = env.FETCH_PRIVATE
    ? oneOf('FETCH_PRIVATE', env.FETCH_PRIVATE.toLowerCase(), ['allow', 'refuse'] as const) === 'allow'
    : false;

  const pseudoLocale = env.PARLEY_PSEUDO_LOCALE === '1' || env.PARLEY_E2E === '1';

  return { port, host, dataDir, databaseUrl, publicUrl, sqliteSynchronous, sqliteStatementCache, smtpUrl, logLevel, seedExample, fetchAllowPrivate, pseudoLocale, ops: loadOpsConfig(env) };
}

function wholeNumber(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) throw new ConfigError({ key: 'cli.config.wholeNumber', values: { name, min, max, raw } });
  return value;
}

/** A share of the event loop's time, from 0.5 to 1 (1 turns the rule off); undefined when not set. */
function utilizationBound(name: string, raw: string | undefined): number | undefined {
  if (!raw?.trim()) return undefined;
  const value = Number(raw.trim());
  if (!Number.isFinite(value) || value < 0.5 || value > 1) throw new ConfigError({ key: 'cli.config.shedUtilization', values: { name, raw } });
  return value;
}

/** TRUST_PROXY: empty or "false"; a hop count (1 for one proxy); or addresses and CIDR ranges, comma-separated ("loopback" included). */
function trustProxyFrom(raw: string | undefined): false | number | string[] {
  const value = raw?.trim() ?? '';
  if (value === '' || value.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(value)) return wholeNumber('TRUST_PROXY', value, 1, 10);
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const ok = named.has(entry) || ((isIP(address ?? '') !== 0) && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address!) === 4 ? 32 : 128))));
    if (!ok) throw new ConfigError({ key: 'cli.config.trustProxy', values: { raw: raw ?? '' } });
  }
  return entries;
}

function loadOpsConfig(env: Env): OpsConfig {
  const trustProxy = trustProxyFrom(env.TRUST_PROXY);
  const shutdownTimeoutS = env.SHUTDOWN_TIMEOUT_S ? wholeNumber('SHUTDOWN_TIMEOUT_S', env.SHUTDOWN_TIMEOUT_S, 1, 3600) : 10;
  const listenBacklog = env.LISTEN_BACKLOG ? wholeNumber('LISTEN_BACKLOG', env.LISTEN_BACKLOG, 1, 65_535) : 4096;
  const metricsToken = env.METRICS_TOKEN?.trim() || null;
  if (metricsToken && metricsToken.length < 16) throw new ConfigError({ key: 'cli.config.metricsToken', values: { min: 16 } });
  const metricsPort = env.METRICS_PORT ? wholeNumber('METRICS_PORT', env.METRICS_PORT, 0, 65535) : null;
  let accessLogSample = 1;
  if (env.ACCESS_LOG_SAMPLE?.trim()) {
    accessLogSample = Number(env.ACCESS_LOG_SAMPLE.trim());
    if (!Number.isFinite(accessLogSample) || accessLogSample < 0 || accessLogSample > 1) {
      throw new ConfigError({ key: 'cli.config.accessLogSample', values: { raw: env.ACCESS_LOG_SAMPLE } });
    }
  }
  const shedEventLoopDelayMs = env.SHED_EVENT_LOOP_DELAY_MS ? wholeNumber('SHED_EVENT_LOOP_DELAY_MS', env.SHED_EVENT_LOOP_DELAY_MS, 10, 60_000) : 1000;
  const shedEventLoopUtilization = utilizationBound('SHED_EVENT_LOOP_UTILIZATION', env.SHED_EVENT_LOOP_UTILIZATION) ?? 0.9;
  // Just under the bound of the rule above, which refuses every write: the ceiling should hold first.
  const shedWriteRateUtilization = utilizationBound('SHED_WRITE_RATE_UTILIZATION', env.SHED_WRITE_RATE_UTILIZATION) ?? (shedEventLoopUtilization >= 1 ? 1 : shedEventLoopUtilization - 0.05);
  const shedMaxWrites = env.SHED_MAX_WRITES ? wholeNumber('SHED_MAX_WRITES', env.SHED_MAX_WRITES, 1, 100_000) : 64;
  const shedWriteLatencyMs = env.SHED_WRITE_LATENCY_MS ? wholeNumber('SHED_WRITE_LATENCY_MS', env.SHED_WRITE_LATENCY_MS, 10, 600_000) : 250;
  const shedLiveDelayMs = env.SHED_LIVE_DELAY_MS ? wholeNumber('SHED_LIVE_DELAY_MS', env.SHED_LIVE_DELAY_MS, 10, 600_000) : 1000;
  const pageCacheMaxMb = env.PAGE_CACHE_MAX_MB ? wholeNumber('PAGE_CACHE_MAX_MB', env.PAGE_CACHE_MAX_MB, 1, 4096) : 32;
  const heapGrowingPercent = env.HEAP_GROWING_PERCENT?.trim() ? wholeNumber('HEAP_GROWING_PERCENT', env.HEAP_GROWING_PERCENT, 0, 300) : 30; // why 30: src/ops/heap-growth.ts
  return { trustProxy, shutdownTimeoutS, listenBacklog, metricsToken, metricsPort, accessLogSample, shedEventLoopDelayMs, shedEventLoopUtilization, shedWriteRateUtilization, shedMaxWrites, shedWriteLatencyMs, shedLiveDelayMs, pageCacheMaxMb, heapGrowingPercent };
}
