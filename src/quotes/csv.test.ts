import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { sourcesCsv } from './csv.ts';

describe('sources CSV', () => {
  it('quotes commas and quotes, and defuses cells a spreadsheet would run as formulas', () => {
    const csv = sourcesCsv(
      [{ slug: 'x', name: '=HYPERLINK("http://evil")', role: 'Mayor, "acting"', quotes: 2, articles: 1, sections: ['politics', 'world'] } as never],
      'https://news.example',
    );
    const [header, row] = parse(csv) as string[][];
    expect(header).toEqual(['name', 'role', 'quotes', 'stories', 'sections', 'page']);
    expect(row[0].startsWith("'=")).toBe(true);
    expect(row[1]).toBe('Mayor, "acting"');
    expect(row[4]).toBe('politics world');
    expect(row[5]).toBe('https://news.example/people/x');
    expect(csv.includes('\r\n')).toBe(true);
  });
});
