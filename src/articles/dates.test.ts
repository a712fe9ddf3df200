import { describe, expect, it } from 'vitest';
import { findDatesInText, formatPublicationTime, isDateLine, parseDateLine, parseMachineDate, zoneForOffset } from './dates.ts';

function parsed(line: string, defaultZone?: string): { iso: string; timeZone: string } | null {
  const result = parseDateLine(line, defaultZone);
  return result && { iso: result.publishedAt.toISOString(), timeZone: result.timeZone };
}

describe('parseDateLine with zone abbreviations', () => {
  it.each([
    ['Monday 07 August 2017 16:47 BST', '2017-08-07T15:47:00.000Z', 'Europe/London'],
    ['7 August 2017 16:47 GMT', '2017-08-07T16:47:00.000Z', 'Europe/London'],
    ['Tuesday 12 March 2024 09:05 EDT', '2024-03-12T13:05:00.000Z', 'America/New_York'],
    ['August 7, 2017 4:47 PM EST', '2017-08-07T21:47:00.000Z', 'America/New_York'],
    ['Aug. 7, 2017 at 4:47 p.m. PDT', '2017-08-07T23:47:00.000Z', 'America/Los_Angeles'],
    ['Mon 7 Aug 2017 4:47pm CDT', '2017-08-07T21:47:00.000Z', 'America/Chicago'],
    ['7th August 2017 16.47 CEST', '2017-08-07T14:47:00.000Z', 'Europe/Paris'],
    ['12 January 2024 10:00 CET', '2024-01-12T09:00:00.000Z', 'Europe/Paris'],
    ['7 August 2017 16:47 UTC', '2017-08-07T16:47:00.000Z', 'UTC'],
    ['7 August 2017 16:47 IST', '2017-08-07T15:47:00.000Z', 'Europe/Dublin'],
    ['7 August 2017 10:00 MDT', '2017-08-07T16:00:00.000Z', 'America/Denver'],
    ['8 August 2017 01:47 AEST', '2017-08-07T15:47:00.000Z', 'Australia/Sydney'],
    ['Published: 7 September 2017 16:47 (BST)', '2017-09-07T15:47:00.000Z', 'Europe/London'],
    ['Sept 7, 2017 11:47:30 AM EDT', '2017-09-07T15:47:30.000Z', 'America/New_York'],
  ])('%s', (line, iso, timeZone) => {
    expect(parsed(line)).toEqual({ iso, timeZone });
  });

  it('lets the abbreviation decide the instant even when the season contradicts it', () => {
    // Sites print "BST" from a template; the stated offset is what the reader saw.
    expect(parsed('7 January 2017 16:47 BST')).toEqual({ iso: '2017-01-07T15:47:00.000Z', timeZone: 'Europe/London' });
  });

  it('ignores a weekday that contradicts the date', () => {
    expect(parsed('Friday 07 August 2017 16:47 BST')).toEqual({ iso: '2017-08-07T15:47:00.000Z', timeZone: 'Europe/London' });
  });

  it('prefers the stated abbreviation over the default zone', () => {
    expect(parsed('Tuesday 12 March 2024 09:05 EDT', 'Europe/London')?.timeZone).toBe('America/New_York');
  });
});

describe('parseDateLine without an abbreviation', () => {
  it('reads the local time in the default zone', () => {
    expect(parsed('7 August 2017 16:47', 'America/New_York')).toEqual({
      iso: '2017-08-07T20:47:00.000Z',
      timeZone: 'America/New_York',
    });
    expect(parsed('7 August 2017 16:47')).toEqual({ iso: '2017-08-07T16:47:00.000Z', timeZone: 'UTC' });
  });

  it('accepts a numeric offset, keeping the default zone as the home zone', () => {
    expect(parsed('7 August 2017 16:47 GMT+1', 'Europe/London')).toEqual({
      iso: '2017-08-07T15:47:00.000Z',
      timeZone: 'Europe/London',
    });
    expect(parsed('7 August 2017 16:47 -0400')?.iso).toBe('2017-08-07T20:47:00.000Z');
  });

  it('treats a date without a time as midnight in the zone', () => {
    expect(parsed('7 August 2017', 'Europe/London')?.iso).toBe('2017-08-06T23:00:00.000Z');
  });
});

describe('parseDateLine with ISO 8601', () => {
  it.each([
    ['2017-08-07T16:47:00+01:00', undefined, '2017-08-07T15:47:00.000Z', 'UTC'],
    ['2017-08-07T16:47:00+01:00', 'Europe/London', '2017-08-07T15:47:00.000Z', 'Europe/London'],
    ['2017-08-07T15:47:00Z', undefined, '2017-08-07T15:47:00.000Z', 'UTC'],
    ['2017-08-07 16:47', 'Europe/London', '2017-08-07T15:47:00.000Z', 'Europe/London'],
    ['2017-08-07 16:47', undefined, '2017-08-07T16:47:00.000Z', 'UTC'],
    ['2017-08-07 16:47 BST', undefined, '2017-08-07T15:47:00.000Z', 'Europe/London'],
  ])('%s (default %s)', (line, defaultZone, iso, timeZone) => {
    expect(parsed(line, defaultZone)).toEqual({ iso, timeZone });
  });

  it('rejects an unknown default zone', () => {
    expect(() => parseDateLine('2017-08-07 16:47', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('isDateLine', () => {
  it.each(['Monday 07 August 2017 16:47 BST', '2017-08-07T15:47:00Z', '12 March 2024', 'August 7, 2017 4:47 PM EST'])(
    'accepts %s',
    (line) => expect(isDateLine(line)).toBe(true),
  );

  it.each([
    '',
    'Washington DC',
    'Alexandra Wilts',
    'Comments',
    '2017',
    'August 2017',
    '32 August 2017 10:00 BST',
    '7 August 2017 25:00 BST',
    '7 August 2017 16:47 XYZ',
    'Mr Tillerson met with Mr Lavrov on 7 August 2017 in Manila.',
  ])('rejects %j', (line) => expect(isDateLine(line)).toBe(false));
});

describe('formatPublicationTime', () => {
  const instant = new Date('2017-08-07T15:47:00.000Z');

  it.each([
    ['Europe/London', 'Monday 07 August 2017 16:47 BST'],
    ['America/New_York', 'Monday 07 August 2017 11:47 EDT'],
    ['Europe/Paris', 'Monday 07 August 2017 17:47 CEST'],
    ['UTC', 'Monday 07 August 2017 15:47 UTC'],
    ['Asia/Tokyo', 'Tuesday 08 August 2017 00:47 GMT+9'],
  ])('renders in %s', (zone, expected) => {
    expect(formatPublicationTime(instant, zone)).toBe(expected);
  });

  it('uses GMT for London in winter', () => {
    expect(formatPublicationTime(new Date('2024-01-12T09:00:00Z'), 'Europe/London')).toBe('Friday 12 January 2024 09:00 GMT');
  });

  it('round-trips through parseDateLine', () => {
    for (const zone of ['Europe/London', 'America/Chicago', 'Europe/Paris', 'UTC']) {
      const again = parseDateLine(formatPublicationTime(instant, zone));
      expect(again).toEqual({ publishedAt: instant, timeZone: zone });
    }
  });

  it('rejects an unknown zone', () => {
    expect(() => formatPublicationTime(instant, 'Nowhere/Special')).toThrow(RangeError);
  });
});

describe('parseMachineDate and findDatesInText', () => {
  it('keeps the stated offset as the zone when no zone is known, and the instant either way', () => {
    expect(parseMachineDate('2016-12-22T10:43:37-08:00', 'UTC')).toMatchObject({ timeZone: 'Etc/GMT+8', hasTime: true, hasZone: true });
    expect(parseMachineDate('2016-12-22T10:43:37-08:00', 'UTC')?.publishedAt.toISOString()).toBe('2016-12-22T18:43:37.000Z');
    expect(parseMachineDate('2016-12-22T10:43:37-08:00', 'America/Los_Angeles', true)?.timeZone).toBe('America/Los_Angeles');
    expect(parseMachineDate('2021-11-01T10:52:50+0100', 'UTC')?.timeZone).toBe('Etc/GMT-1');
    expect(parseMachineDate('2024-03-01T09:00:00+05:30', 'UTC')?.timeZone).toBe('Asia/Kolkata');
  });

  it('reads dates without an offset in the given zone', () => {
    expect(parseMachineDate('2017-11-03 03:01:00.000000', 'Europe/Berlin')).toMatchObject({ timeZone: 'Europe/Berlin', hasZone: false });
    expect(parseMachineDate('2017-11-03 03:01:00.000000', 'Europe/Berlin')?.publishedAt.toISOString()).toBe('2017-11-03T02:01:00.000Z');
  });

  it('reads what Java and JavaScript print', () => {
    expect(parseMachineDate('Tue Jan 28 12:00:00 CET 2020', 'UTC')).toMatchObject({ timeZone: 'Europe/Paris' });
    expect(parseMachineDate('Tue Jan 28 12:00:00 CET 2020', 'UTC')?.publishedAt.toISOString()).toBe('2020-01-28T11:00:00.000Z');
  });

  it.each([
    ['8 January 2020, 3:51 pm', '2020-01-08T15:51:00.000Z'],
    ['Jan 18, 2019', '2019-01-18T00:00:00.000Z'],
    ['Von Ben Schwan | 04. November 2021, 15:02 Uhr', '2021-11-04T15:02:00.000Z'],
    ['28.01.2020', '2020-01-28T00:00:00.000Z'],
    ['21 de diciembre de 2018', '2018-12-21T00:00:00.000Z'],
    ['30 avril 2015 à 09:19', '2015-04-30T09:19:00.000Z'],
  ])('finds %s in free text', (text, iso) => {
    expect(findDatesInText(text, 'UTC')[0]?.publishedAt.toISOString()).toBe(iso);
  });

  it('ignores partial dates, which would need a year guessed', () => {
    expect(findDatesInText('Today 7:30AM', 'UTC')).toEqual([]);
    expect(findDatesInText('March 25', 'UTC')).toEqual([]);
  });

  it('maps offsets to zones', () => {
    expect(zoneForOffset(0)).toBe('UTC');
    expect(zoneForOffset(-420)).toBe('Etc/GMT+7');
    expect(zoneForOffset(345)).toBe('Asia/Kathmandu');
    expect(zoneForOffset(17)).toBeNull();
  });
});
