import { describe, expect, it } from 'vitest';
import { isInterfaceName, isTimeStamp, lowerCaseVocabulary, nameBeforeStamp, withoutInterfaceNames, writersOnly } from './text-bylines.ts';

describe('names against the page\'s own vocabulary', () => {
  const page = [
    'Anyone can start a wiki of their own and share it with all the fans they know.',
    'All services resumed after the outage; the page and its text were restored.',
    'Contact dan.goodin@example.com or @ahiza_garcia on social media.',
    'The young engineer said the rose garden would open in May.',
  ];
  const vocabulary = lowerCaseVocabulary(page);

  it('takes a line made only of the page\'s ordinary words for interface', () => {
    expect(isInterfaceName('Start A Wiki', vocabulary)).toBe(true);
    expect(isInterfaceName('All Share Services', vocabulary)).toBe(true);
    expect(isInterfaceName('Facebook Twitter', vocabulary)).toBe(true);
  });

  it('keeps names, even when one of their words is an ordinary word', () => {
    expect(isInterfaceName('Mark Young', vocabulary)).toBe(false);
    expect(isInterfaceName('Rose Marlow', vocabulary)).toBe(false);
    expect(isInterfaceName('肖春芳', vocabulary)).toBe(false);
  });

  it('does not learn names from addresses and handles written in lower case', () => {
    expect(vocabulary.has('dan')).toBe(false);
    expect(vocabulary.has('garcia')).toBe(false);
    expect(isInterfaceName('Dan Goodin', vocabulary)).toBe(false);
    expect(withoutInterfaceNames([{ name: 'Ahiza Garcia' }, { name: 'Page Text' }], vocabulary)).toEqual([{ name: 'Ahiza Garcia' }]);
  });
});

describe('writers in a credit line', () => {
  it('drops people credited for pictures or video, and role labels of writers', () => {
    expect(writersOnly('by Eleanor Ainge Roy (reporting) and Adrian Malloch (photography)')).toBe('by Eleanor Ainge Roy');
    expect(writersOnly('By Jane Marlow and Tom Reed (video)')).toBe('By Jane Marlow');
    expect(writersOnly('By Jane Marlow, Sam Kerr')).toBe('By Jane Marlow, Sam Kerr');
  });
});

describe('time stamps where a date would stand', () => {
  it('recognises clocks and ages, alone or after a name', () => {
    for (const stamp of ['1:39 PM ET', '14:05', '8h', '3 hours ago', 'před 2 hodinami', 'il y a 2 heures', 'vor 2 Stunden', 'James Akinaka • 8h', 'Alex Perry 1 day ago']) {
      expect(isTimeStamp(stamp), stamp).toBe(true);
    }
  });

  it('does not take counts, chapters or buttons for stamps', () => {
    for (const line of ['4 min read', 'Chapter 1', 'See all 5 photos', 'on Feb 244 min', 'Top 10 Stories', 'The 21 best movies of 2017']) {
      expect(isTimeStamp(line), line).toBe(false);
    }
  });

  it('gives the name before a stamp only when it looks like a person', () => {
    expect(nameBeforeStamp('Alex Perry 1 day ago')).toBe('Alex Perry');
    expect(nameBeforeStamp('James Akinaka • 8h')).toBe('James Akinaka');
    expect(nameBeforeStamp('the vote was held 3 hours ago')).toBeNull();
    expect(nameBeforeStamp('8h')).toBeNull();
  });
});
