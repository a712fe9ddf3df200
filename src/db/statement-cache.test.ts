import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './connection.ts';

describe('the SQLite statement cache', () => {
  const sqlite = new SqliteDatabase(':memory:');

  it('keeps at most its bound, dropping the least recently used statement', () => {
    const cache = withStatementCache(sqlite, 3);
    const one = cache.prepare('select 1 as n');
    const two = cache.prepare('select 2 as n');
    cache.prepare('select 3 as n');
    // Used again: now the most recent, so "select 2" is the one to go.
    expect(cache.prepare('select 1 as n')).toBe(one);
    cache.prepare('select 4 as n');
    expect(cache.size).toBe(3);
    expect(cache.prepare('select 1 as n')).toBe(one);
    expect(cache.prepare('select 2 as n')).not.toBe(two);
    expect(cache.size).toBe(3);
  });

  it('answers rows as objects from a kept statement', () => {
    const cache = withStatementCache(sqlite, 2);
    expect(cache.prepare('select 7 as n, ? as s').all('x')).toEqual([{ n: 7, s: 'x' }]);
    expect(cache.prepare('select 7 as n, ? as s').all('y')).toEqual([{ n: 7, s: 'y' }]);
  });
});
