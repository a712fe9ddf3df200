import { describe, expect, it } from 'vitest';
import { dateFormatter } from './date-format.ts';

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
