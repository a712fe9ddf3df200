import { describe, expect, it } from 'vitest';
import { normaliseForMatching, wordMatcher } from './word-list.ts';

const finds = (terms: string[], text: string) => wordMatcher(terms).find(text)?.term ?? null;

describe('word lists', () => {
  it('finds a listed word whatever its case', () => {
    expect(finds(['spam'], 'This is SPAM.')).toBe('spam');
    expect(finds(['Spam'], 'more spam here')).toBe('Spam');
  });

  it('matches whole words only, so innocent words that contain a listed one pass', () => {
    expect(finds(['cunt'], 'Scunthorpe United won on Saturday')).toBeNull();
    expect(finds(['ass'], 'a classic assessment of the class')).toBeNull();
    expect(finds(['ass'], 'what an ass')).toBe('ass');
    expect(finds(['hell'], 'Hello, shell, hellish')).toBeNull();
  });

  it('sees through repeated letters without turning a short word into a listed one', () => {
    expect(finds(['spam'], 'spaaaaam')).toBe('spam');
    expect(finds(['ass'], 'asssss')).toBe('ass');
    expect(finds(['ass'], 'as it was')).toBeNull();
  });

  it('sees through separators, spacing, accents, full-width letters and digits for letters', () => {
    for (const text of ['s.p.a.m', 's p a m', 's-p-a-m', 'sp.am', 'spåm', 'ＳＰＡＭ', '5p4m', 'sp@m']) {
      expect(finds(['spam'], `this is ${text} really`), text).toBe('spam');
    }
  });

  it('leaves numbers alone: digits count as letters only inside a word that has letters', () => {
    expect(finds(['ass'], 'I paid 455 pounds')).toBeNull();
    expect(finds(['ass'], 'you a55')).toBe('ass');
  });

  it('matches phrases across any spacing or punctuation, and prefixes ending in *', () => {
    expect(finds(['free money'], 'get FREE   money now')).toBe('free money');
    expect(finds(['free money'], 'free-money')).toBe('free money');
    expect(finds(['free money'], 'free and money')).toBeNull();
    expect(finds(['spam*'], 'the spammers again')).toBe('spam*');
    expect(finds(['spam'], 'the spammers again')).toBeNull();
  });

  it('matches words in other scripts by their own word edges', () => {
    expect(finds(['дурак'], 'Ты ДУРАК!')).toBe('дурак');
    expect(finds(['дурак'], 'дураки')).toBeNull();
  });

  it('says which term matched when several are listed, and what text it found', () => {
    expect(wordMatcher(['alpha', 'spam', 'omega']).find('pure s.p.a.m here')).toEqual({ term: 'spam', found: 'spam' });
    expect(finds([], 'anything')).toBeNull();
    expect(finds(['', '  ', '***'], 'anything')).toBeNull();
  });

  it('reads punctuation in a term as a word gap, never as a regular expression', () => {
    expect(finds(['dot.com'], 'a dot com scheme')).toBe('dot.com');
    expect(finds(['dot.com'], 'dotxcom')).toBeNull();
    expect(finds(['spam|ham'], 'ham')).toBeNull();
    expect(finds(['(', '.*'], 'anything at all')).toBeNull();
  });

  it('normalises text in one documented way', () => {
    expect(normaliseForMatching('Ｆｒｅｅ  Café  s.p.a.m')).toBe('free cafe spam');
  });
});
