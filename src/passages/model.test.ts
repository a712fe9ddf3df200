import { describe, expect, it } from 'vitest';
import { t } from '../i18n/index.ts';
import { findExact, MAX_EXACT, reanchor, reanchored, selectorAt, selectorProblem, wholeParagraphSelector, type Passage } from './model.ts';

const body = [
  'Secretary of State Rex Tillerson has told Russia’s top diplomat that Moscow’s alleged interference in the 2016 US election “created serious mistrust” between the US and Russia.',
  'Mr Tillerson met with Mr Lavrov on the sidelines of the Association of Southeast Asian Nations Regional Forum in the Philippines.',
  '“[I said] this had created serious mistrust between our two countries and that we simply have to find some way to deal with that,” he added.',
  'Russia has consistently maintained that it did not interfere in the election.',
];

const passage = (exact: string, paragraph: number, prefix = '', suffix = ''): Passage => ({ exact, prefix, suffix, paragraph, changed: false });

describe('selectors', () => {
  it('takes the words selected and up to 32 characters either side', () => {
    const text = body[1]!;
    const start = text.indexOf('on the sidelines');
    const s = selectorAt(text, start, start + 'on the sidelines'.length);
    expect(s).toEqual({ exact: 'on the sidelines', prefix: 'Mr Tillerson met with Mr Lavrov ', suffix: ' of the Association of Southeast' });
  });

  it('quotes a whole paragraph for the per-paragraph link, cut at a word when it is too long', () => {
    expect(wholeParagraphSelector(body[3]!)).toEqual({ exact: body[3], prefix: '', suffix: '' });
    const long = 'word '.repeat(400).trim();
    const s = wholeParagraphSelector(long);
    expect(s.exact.length).toBeLessThanOrEqual(MAX_EXACT);
    expect(s.exact.endsWith('word')).toBe(true);
    expect(long.startsWith(s.exact)).toBe(true);
  });

  it('refuses empty, overlong or malformed passages with words a person understands, in their language', () => {
    const say = (locale: 'en' | 'fr', input: Parameters<typeof selectorProblem>[0]) => {
      const problem = selectorProblem(input);
      return problem ? t(locale, problem.key, problem.values) : null;
    };
    expect(say('en', { exact: '  ' })).toMatch(/empty/);
    expect(say('en', { exact: 'x'.repeat(MAX_EXACT + 1) })).toBe('The quoted passage is too long: quote at most 1000 characters.');
    expect(say('en', { exact: 'fine', prefix: 3 })).toMatch(/prefix must be text/);
    expect(say('en', { exact: 'fine', suffix: 'y'.repeat(201) })).toMatch(/suffix is too long/);
    expect(say('fr', { exact: '  ' })).toMatch(/^Le passage cité est vide/);
    expect(say('fr', { exact: 'fine', suffix: 'y'.repeat(201) })).toMatch(/champ suffix du passage est trop long/);
    expect(selectorProblem({ exact: 'fine', prefix: 'a', suffix: 'b' })).toBeNull();
  });
});

describe('anchoring', () => {
  it('finds the exact words in their paragraph', () => {
    expect(findExact(body, { exact: 'on the sidelines', prefix: '', suffix: '' })).toMatchObject({ paragraph: 2, errors: 0 });
    expect(findExact(body, { exact: 'on the sidelines', prefix: '', suffix: '' }, 3)).toBeNull();
    expect(findExact(body, { exact: 'not in this article', prefix: '', suffix: '' })).toBeNull();
  });

  it('tells two occurrences apart by their context', () => {
    // "created serious mistrust" is in paragraphs 1 and 3.
    expect(findExact(body, { exact: 'created serious mistrust', prefix: '[I said] this had ', suffix: ' between our' })).toMatchObject({ paragraph: 3 });
    expect(findExact(body, { exact: 'created serious mistrust', prefix: 'election “', suffix: '” between' })).toMatchObject({ paragraph: 1 });
  });

  it('re-finds a passage that moved to another paragraph', () => {
    const moved = ['A new opening paragraph.', ...body];
    expect(reanchored(moved, passage('on the sidelines of the Association', 2))).toMatchObject({ paragraph: 3, changed: false });
  });

  it('re-finds a lightly edited passage by fuzzy matching', () => {
    const quoted = 'Mr Tillerson met with Mr Lavrov on the sidelines of the Association of Southeast Asian Nations';
    const edited = [...body];
    edited[1] = 'Mr Tillerson met Mr Lavrov on the margins of the Association of Southeast Asian Nations Regional Forum in Manila.';
    const anchor = reanchor(edited, passage(quoted, 2));
    expect(anchor).toMatchObject({ paragraph: 2 });
    expect(anchor!.errors).toBeGreaterThan(0);
    expect(edited[1]!.slice(anchor!.start, anchor!.end)).toContain('on the margins of the Association');
  });

  it('marks a passage that was rewritten beyond recognition as changed, keeping its words', () => {
    const rewritten = [...body];
    rewritten[1] = 'The two men did not meet at the forum, officials said on Tuesday.';
    const result = reanchored(rewritten, passage('Mr Tillerson met with Mr Lavrov on the sidelines', 2));
    expect(result).toEqual({ exact: 'Mr Tillerson met with Mr Lavrov on the sidelines', prefix: '', suffix: '', paragraph: 2, changed: true });
  });

  it('does not let a match run across two paragraphs', () => {
    const quoted = 'in the Philippines. “[I said] this had';
    expect(reanchor(body, passage(quoted, 2))).toBeNull();
  });
});
