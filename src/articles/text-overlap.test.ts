import { describe, expect, it } from 'vitest';
import { contentTerms, overlap, termsOf } from './text-overlap.ts';

describe('content terms', () => {
  it('keeps words of four letters or more by their first five letters, without function words or numbers', () => {
    expect([...contentTerms("What is the sea telling us? Whale strandings rise in 2019")]).toEqual(['telli', 'whale', 'stran', 'rise']);
  });

  it('meets plurals and inflections through the shared stem', () => {
    const prose = termsOf(['The stranded whale was one of forty found on the beach this year.']);
    expect(overlap('Whales stranding on beaches', prose)).toEqual({ share: 1, terms: 3 });
  });

  it('reads Chinese and Japanese by pairs of characters', () => {
    const prose = termsOf(['在采访中，我们了解到不少学子在出国前就每年守在电脑前观看两会直播。']);
    expect(overlap('海外留学生看两会', prose).share).toBeGreaterThan(0.2);
    expect(overlap('宇航员在太空中喝酒', prose).share).toBe(0);
  });

  it('finds little in common between a teaser and another story', () => {
    const prose = termsOf(['Workers at the Kelby glassworks walked out on Monday over a pay offer they called an insult to the furnace crews.']);
    expect(overlap('Glassworks strike: furnace crews walk out over pay', prose).share).toBeGreaterThanOrEqual(0.5);
    expect(overlap('Ferry timetable changes from next month', prose).share).toBe(0);
  });
});
