import { describe, expect, it } from 'vitest';
import { stripSiteSuffix, titleSimilarity } from './titles.ts';

const none = { names: [], host: null };

describe('stripSiteSuffix', () => {
  it.each([
    ['Friday Facts #282 - 0.17 in sight | Factorio', none, 'Friday Facts #282 - 0.17 in sight'],
    ["Obama admits US gun laws are his 'biggest frustration' - BBC News", { names: ['BBC News'], host: null }, "Obama admits US gun laws are his 'biggest frustration'"],
    ['Spiceworks story - Spiceworks', { names: [], host: 'www.spiceworks.com' }, 'Spiceworks story'],
    ['海外留学生看两会：出国前后关注点大不同_教育频道_中国青年网', none, '海外留学生看两会：出国前后关注点大不同'],
    ['LWN.net Weekly Edition for March 26, 2015 [LWN.net]', none, 'LWN.net Weekly Edition for March 26, 2015'],
    ['Lorem ipsum dolor sit amet – My website', none, 'Lorem ipsum dolor sit amet'],
  ])('%s', (title, site, expected) => {
    expect(stripSiteSuffix(title, site)).toBe(expected);
  });

  it('keeps a dash that is part of the headline', () => {
    expect(stripSiteSuffix('Minecraft 1.8 - The Bountiful Update', none)).toBe('Minecraft 1.8 - The Bountiful Update');
  });
});

describe('titleSimilarity', () => {
  it('sees a rewrite as similar and a section label as not', () => {
    expect(titleSimilarity('Twitter Lite se estrena en 11 países de América Latina', 'Twitter Lite se estrena en México, Venezuela y otros nueve países')).toBeGreaterThan(0.5);
    expect(titleSimilarity('Minecraft News', 'Minecraft 1.8 - The Bountiful Update')).toBeLessThan(0.5);
    expect(titleSimilarity('宇航员在太空中喝酒会怎么样', '宇航员在太空中喝酒会怎么样？后果很严重 _探索者')).toBeGreaterThan(0.5);
  });
});
