import { describe, expect, test } from 'vitest';
import { formatPublicationTime, formatPublicationTimeIn } from '../../src/articles/dates.ts';

const seedInstant = new Date('2017-08-07T15:47:00Z');

describe('publication times in the reader’s language', () => {
  test('French reads as Intl writes it, in the article’s zone with its offset', () => {
    expect(formatPublicationTimeIn('fr', seedInstant, 'Europe/London')).toBe('lundi 7 août 2017 à 16:47 UTC+1');
    expect(formatPublicationTimeIn('fr', seedInstant, 'Europe/Paris')).toBe('lundi 7 août 2017 à 17:47 UTC+2');
    expect(formatPublicationTimeIn('fr', new Date('2017-01-09T08:05:00Z'), 'Europe/London')).toBe('lundi 9 janvier 2017 à 08:05 UTC+0');
    expect(formatPublicationTimeIn('fr', seedInstant, 'UTC')).toBe('lundi 7 août 2017 à 15:47 UTC');
  });

  test('English and the pseudo-locale keep the seed’s form exactly', () => {
    expect(formatPublicationTimeIn('en', seedInstant, 'Europe/London')).toBe('Monday 07 August 2017 16:47 BST');
    expect(formatPublicationTimeIn('en-XA', seedInstant, 'America/New_York')).toBe(formatPublicationTime(seedInstant, 'America/New_York'));
  });

  test('an unknown zone is an error, as in English', () => {
    expect(() => formatPublicationTimeIn('fr', seedInstant, 'Mars/Olympus')).toThrow(RangeError);
  });
});
