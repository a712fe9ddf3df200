import { describe, expect, it } from 'vitest';
import { parseByline } from './names.ts';

const names = (line: string, site: string[] = []) => parseByline(line, site).map((p) => `${p.name}${p.kind === 'organisation' ? ' [org]' : ''}`);

describe('parseByline', () => {
  it.each([
    ['By Jane Marlow, Porthallow', ['Jane Marlow']],
    ['Par Sébastien Farcis', ['Sébastien Farcis']],
    ['Von Ben Schwan und Anna Meier', ['Ben Schwan', 'Anna Meier']],
    ['Martin Untersinger (avec Damien Leloup et Morgane Tual)', ['Martin Untersinger', 'Damien Leloup', 'Morgane Tual']],
    ['By Brenda  Goodman, MA', ['Brenda Goodman']],
    ['JOE HILDEBRAND', ['Joe Hildebrand']],
    ['by Lucas Nolan22 Dec 2016651', ['Lucas Nolan']],
    ['By Nathan Willis March 25, 2015', ['Nathan Willis']],
    ['Written by Rob Ewaschuk, Edited by Betsy Beyer', ['Rob Ewaschuk']],
    ['Daniel Kahn Gillmor, Senior Staff Technologist, ACLU Speech, Privacy, and Technology Project', ['Daniel Kahn Gillmor']],
    ['Alissa Wilkinson @alissamarie', ['Alissa Wilkinson']],
    ['By Sam Writer, Staff Writer', ['Sam Writer']],
    ['Joshua Sokol, Contributing Correspondent', ['Joshua Sokol']],
    ['Bradley M. Kuhn (http://ebb.org/bkuhn/)', ['Bradley M. Kuhn']],
    ['Stella Kim, Jennifer Jett and Abigail Williams', ['Stella Kim', 'Jennifer Jett', 'Abigail Williams']],
  ])('%s', (line, expected) => {
    expect(names(line)).toEqual(expected);
  });

  it('marks agencies and publications as organisations', () => {
    expect(names('AFP')).toEqual(['AFP [org]']);
    expect(names('By Reuters')).toEqual(['Reuters [org]']);
    expect(names('WebMD Health News')).toEqual(['WebMD Health News [org]']);
  });

  it('refuses button labels, handles and prose', () => {
    expect(names('Follow Author')).toEqual([]);
    expect(names('ahiza_garcia')).toEqual([]);
    expect(names('other outlets')).toEqual([]);
    expect(names('')).toEqual([]);
  });
});
