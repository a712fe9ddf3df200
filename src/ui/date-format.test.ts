import { describe, expect, it } from 'vitest';
import { dateFormatter, dateTimeAttribute } from './date-format.ts';

describe('dateFormatter', () => {
  it('makes one formatter per locale and options, and formats in the zone asked for', () => {
    const london = dateFormatter({ hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
    expect(dateFormatter({ hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })).toBe(london);
    const tokyo = dateFormatter({ hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tokyo' });
    expect(tokyo).not.toBe(london);
    const summer = new Date('2017-08-07T15:47:00Z');
    expect(london.format(summer)).toBe('16:47');
    expect(tokyo.format(summer)).toBe('00:47');
    expect(dateFormatter({ hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' }, 'en-US')).not.toBe(london);
  });
});

describe('dateTimeAttribute', () => {
  it('writes a valid <time datetime> to the second, which parses back to the same second', () => {
    const at = new Date('2026-12-04T07:52:58.738Z');
    expect(dateTimeAttribute(at)).toBe('2026-12-04T07:52:58Z');
    expect(Date.parse(dateTimeAttribute(at))).toBe(Date.parse('2026-12-04T07:52:58Z'));
    expect(dateTimeAttribute(new Date('2017-08-07T15:47:00Z'))).toBe('2017-08-07T15:47:00Z');
  });
});
