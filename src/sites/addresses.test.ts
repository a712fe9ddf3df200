import { describe, expect, it } from 'vitest';
import { addressKey, cleanAddress, isUnderOrigins, normaliseOrigin, parseArticleAddress } from './addresses.ts';

const key = (raw: string) => addressKey(parseArticleAddress(raw)!);

describe('article addresses', () => {
  it('gives one key to the ways an address is commonly written', () => {
    const same = [
      'https://www.example-news.com/world/story-1',
      'http://example-news.com/world/story-1/',
      'https://EXAMPLE-NEWS.com/world/story-1#comments',
      'https://www.example-news.com/world/story-1?utm_source=x&utm_medium=y',
      'https://www.example-news.com/world/story-1?fbclid=abc',
    ];
    for (const address of same) expect(key(address), address).toBe('example-news.com/world/story-1');
  });

  it('keeps what tells stories apart: path, meaningful query, port', () => {
    expect(key('https://example.com/a?id=2&b=1')).toBe('example.com/a?b=1&id=2');
    expect(key('https://example.com/a?id=2')).not.toBe(key('https://example.com/a?id=3'));
    expect(key('https://example.com:8443/a')).toBe('example.com:8443/a');
    expect(key('https://example.com/a')).not.toBe(key('https://example.com/b'));
  });

  it('refuses what is not a web address', () => {
    for (const bad of ['javascript:alert(1)', 'ftp://example.com/a', 'not a url', '', 'https://user:pw@example.com/a', 'data:text/html,x']) {
      expect(parseArticleAddress(bad), bad).toBeNull();
    }
  });

  it('cleans the stored address of fragments and tracking', () => {
    expect(cleanAddress(parseArticleAddress('https://example.com/a?utm_source=x&id=1#top')!)).toBe('https://example.com/a?id=1');
  });

  it('normalises origins and checks an address against them exactly', () => {
    expect(normaliseOrigin('https://www.Example-News.com/')).toBe('https://www.example-news.com');
    expect(normaliseOrigin('https://example.com/path')).toBeNull();
    expect(normaliseOrigin('javascript:alert(1)')).toBeNull();
    const origins = ['https://www.example-news.com'];
    expect(isUnderOrigins(parseArticleAddress('https://www.example-news.com/x')!, origins)).toBe(true);
    expect(isUnderOrigins(parseArticleAddress('http://www.example-news.com/x')!, origins)).toBe(false);
    expect(isUnderOrigins(parseArticleAddress('https://www.example-news.com.evil.test/x')!, origins)).toBe(false);
    expect(isUnderOrigins(parseArticleAddress('https://evil.test/?u=https://www.example-news.com')!, origins)).toBe(false);
  });
});
