import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({}, '/srv/parley');
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', dataDir: '/srv/parley/data', databaseUrl: null, publicUrl: 'http://127.0.0.1:3000', sqliteSynchronous: 'FULL' });
  });

  it('believes no proxy unless told, then a hop count or the addresses given', () => {
    expect(loadConfig({}, '/x').ops.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }, '/x').ops.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8' }, '/x').ops.trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
  });

  it('sheds writes when the event loop is busy 90 % of the time unless told otherwise; 1 turns it off', () => {
    expect(loadConfig({}, '/x').ops.shedEventLoopUtilization).toBe(0.9);
    expect(loadConfig({ SHED_EVENT_LOOP_UTILIZATION: '1' }, '/x').ops.shedEventLoopUtilization).toBe(1);
  });

  it('aims the ceiling on the write rate just under the utilisation bound, off with it, unless told otherwise', () => {
    expect(loadConfig({}, '/x').ops.shedWriteRateUtilization).toBeCloseTo(0.85, 10);
    expect(loadConfig({ SHED_EVENT_LOOP_UTILIZATION: '0.8' }, '/x').ops.shedWriteRateUtilization).toBeCloseTo(0.75, 10);
    expect(loadConfig({ SHED_EVENT_LOOP_UTILIZATION: '1' }, '/x').ops.shedWriteRateUtilization).toBe(1);
    expect(loadConfig({ SHED_EVENT_LOOP_UTILIZATION: '1', SHED_WRITE_RATE_UTILIZATION: '0.7' }, '/x').ops.shedWriteRateUtilization).toBe(0.7);
  });

  it('asks the kernel to hold 4096 connections for the server unless told otherwise, and refuses nonsense', () => {
    expect(loadConfig({}, '/x').ops.listenBacklog).toBe(4096);
    expect(loadConfig({ LISTEN_BACKLOG: '1000' }, '/x').ops.listenBacklog).toBe(1000);
    expect(() => loadConfig({ LISTEN_BACKLOG: '0' }, '/x')).toThrow(ConfigError);
    expect(() => loadConfig({ LISTEN_BACKLOG: 'many' }, '/x')).toThrow(/LISTEN_BACKLOG/);
  });

  it('lets the old generation grow 30 % past what lives unless told otherwise; 0 leaves it to V8; refuses nonsense', () => {
    expect(loadConfig({}, '/x').ops.heapGrowingPercent).toBe(30);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }, '/x').ops.heapGrowingPercent).toBe(0);
    expect(loadConfig({ HEAP_GROWING_PERCENT: ' 100 ' }, '/x').ops.heapGrowingPercent).toBe(100);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '-5' }, '/x')).toThrow(/HEAP_GROWING_PERCENT/);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '1000' }, '/x')).toThrow(ConfigError);
  });

  it('keeps 500 prepared SQLite statements unless told otherwise', () => {
    expect(loadConfig({}, '/x').sqliteStatementCache).toBe(500);
    expect(loadConfig({ SQLITE_STATEMENT_CACHE: '2000' }, '/x').sqliteStatementCache).toBe(2000);
  });

  it('switches to PostgreSQL for a postgres:// URL and trims PUBLIC_URL', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/news', PUBLIC_URL: 'https://news.example/' }, '/x');
    expect(c.databaseUrl).toBe('postgres://u@db:5432/news');
    expect(c.publicUrl).toBe('https://news.example');
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', '3000abc'],
    ['HOST', 'a b'],
    ['DATABASE_URL', 'sqlite://x'],
    ['PUBLIC_URL', 'ftp://news.example'],
    ['PUBLIC_URL', 'https://news.example/?a=1'],
    ['SQLITE_SYNCHRONOUS', 'OFF'],
    ['SQLITE_STATEMENT_CACHE', '5'],
    ['SQLITE_STATEMENT_CACHE', 'many'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'everyone'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '0'],
    ['SHED_EVENT_LOOP_UTILIZATION', '0.2'],
    ['SHED_EVENT_LOOP_UTILIZATION', 'busy'],
    ['SHED_WRITE_RATE_UTILIZATION', '1.5'],
  ])('rejects %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
