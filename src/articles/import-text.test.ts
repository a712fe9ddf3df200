import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportError } from './model.ts';
import { parseTextArticle } from './import-text.ts';

const seed = readFileSync(new URL('../../examples/independent-tillerson.txt', import.meta.url), 'utf8');

const paragraphs = (text: string): string[] => parseTextArticle(text).body.map((block) => block.text);

describe('parseTextArticle on the Independent seed', () => {
  const article = parseTextArticle(seed, { sourceUrl: 'https://example.com/tillerson', publicationName: 'The Independent' });

  it('reads the header', () => {
    expect(article.headline).toBe("Rex Tillerson says Russia's election interference has 'created serious mistrust'");
    expect(article.standfirst).toBe(
      'Donald Trump has repeatedly declined to categorically say that Russia meddled in last year’s presidential race',
    );
    expect(article.authors).toEqual([{ name: 'Alexandra Wilts' }]);
    expect(article.dateline).toBe('Washington DC');
    expect(article.publishedAt?.toISOString()).toBe('2017-08-07T15:47:00.000Z');
    expect(article.timeZone).toBe('Europe/London');
    expect(article.sourceUrl).toBe('https://example.com/tillerson');
    expect(article.publicationName).toBe('The Independent');
  });

  it('reads the hero image', () => {
    expect(article.image).toEqual({
      src: null,
      alt: 'US Secretary of State Rex Tillerson',
      caption: 'US Secretary of State Rex Tillerson',
      credit: 'Getty',
    });
  });

  it('keeps exactly the 14 paragraphs of the story', () => {
    expect(article.body).toHaveLength(14);
    expect(article.body.every((block) => block.type === 'paragraph')).toBe(true);
    expect(article.body[0].text).toBe(
      'Secretary of State Rex Tillerson has told Russia’s top diplomat that Moscow’s alleged interference in the 2016 US election “created serious mistrust” between the US and Russia.',
    );
    expect(article.body[13].text).toBe(
      '“We have our differences, we\'re going to have to continue to find a way to address those,” he added.',
    );
  });

  it('drops the site furniture', () => {
    for (const { text } of article.body) {
      expect(text.toLowerCase()).not.toMatch(/register|logged in|commenting forum|refresh|^comments$/);
    }
  });

  it('gives the same result with Windows line endings', () => {
    expect(parseTextArticle(seed.replace(/\n/g, '\r\n'), { sourceUrl: 'https://example.com/tillerson', publicationName: 'The Independent' })).toEqual(article);
  });

  it('drops the same furniture when it sits in the middle of the story', () => {
    const chrome = [
      'Join our commenting forum',
      'Join thought-provoking conversations, follow other Independent readers and see their replies',
      'Comments',
      'Thank you for registering',
      'Please refresh the page or navigate to another page on the site to be automatically logged inPlease refresh your browser to be logged in',
    ].join('\n\n');
    const middle = seed.replace('Russia has consistently', `${chrome}\n\nRussia has consistently`);
    expect(paragraphs(middle)).toEqual(article.body.map((block) => block.text));
  });
});

describe('parseTextArticle variants', () => {
  it('reads an article without a standfirst', () => {
    const article = parseTextArticle(
      [
        'Storm closes schools across the region',
        '',
        'By Jane Doe',
        'Tuesday 12 March 2024 09:05 EDT',
        '',
        'Schools across the region closed on Tuesday as the storm arrived.',
        '',
        'Officials said they would reopen on Thursday.',
      ].join('\n'),
    );
    expect(article.standfirst).toBeNull();
    expect(article.authors).toEqual([{ name: 'Jane Doe' }]);
    expect(article.dateline).toBeNull();
    expect(article.publishedAt?.toISOString()).toBe('2024-03-12T13:05:00.000Z');
    expect(article.timeZone).toBe('America/New_York');
    expect(article.image).toBeNull();
    expect(article.body.map((block) => block.text)).toEqual([
      'Schools across the region closed on Tuesday as the storm arrived.',
      'Officials said they would reopen on Thursday.',
    ]);
  });

  it('reads two authors, a one-word dateline and a CET date, with CRLF and single line breaks', () => {
    const article = parseTextArticle(
      [
        'EU ministers agree on migration pact',
        'The deal ends years of deadlock over how to share responsibility for new arrivals',
        'Jane Doe and John Smith',
        'Brussels',
        '12 January 2024 10:00 CET',
        'Comments',
        'Ministers at the summit in Brussels',
        'Ministers at the summit in Brussels on Friday (Reuters)',
        'Ministers agreed the pact after a night of talks.',
        'The deal still needs the approval of the European Parliament.',
      ].join('\r\n'),
    );
    expect(article.standfirst).toBe('The deal ends years of deadlock over how to share responsibility for new arrivals');
    expect(article.authors).toEqual([{ name: 'Jane Doe' }, { name: 'John Smith' }]);
    expect(article.dateline).toBe('Brussels');
    expect(article.publishedAt?.toISOString()).toBe('2024-01-12T09:00:00.000Z');
    expect(article.timeZone).toBe('Europe/Paris');
    expect(article.image).toEqual({
      src: null,
      alt: 'Ministers at the summit in Brussels',
      caption: 'Ministers at the summit in Brussels on Friday',
      credit: 'Reuters',
    });
    expect(article.body).toHaveLength(2);
  });

  it('reads three authors and no dateline', () => {
    const article = parseTextArticle(
      [
        'Central bank holds rates',
        '',
        'Policymakers signalled that cuts could come later this year',
        '',
        'Jane Doe, John Smith and Ann O’Brien',
        '7 August 2017 16:47 GMT',
        '',
        'The bank left its main rate unchanged on Monday.',
      ].join('\n'),
    );
    expect(article.authors.map((author) => author.name)).toEqual(['Jane Doe', 'John Smith', 'Ann O’Brien']);
    expect(article.dateline).toBeNull();
    expect(article.standfirst).toBe('Policymakers signalled that cuts could come later this year');
    expect(article.image).toBeNull();
  });

  it('reads an article without an image, separated by several blank lines', () => {
    const article = parseTextArticle(
      [
        'Council approves new cycle lanes',
        '',
        '',
        'Alexandra Wilts',
        'Washington DC',
        '7 August 2017 16:47 UTC',
        '',
        '',
        '',
        'The council voted 7-2 in favour of the plan on Monday evening.',
        '',
        '',
        'Work will begin in the spring, a spokesperson said.',
      ].join('\n'),
    );
    expect(article.image).toBeNull();
    expect(article.dateline).toBe('Washington DC');
    expect(article.timeZone).toBe('UTC');
    expect(article.publishedAt?.toISOString()).toBe('2017-08-07T16:47:00.000Z');
    expect(article.body.map((block) => block.text)).toEqual([
      'The council voted 7-2 in favour of the plan on Monday evening.',
      'Work will begin in the spring, a spokesperson said.',
    ]);
  });

  it('reads an ISO date line in the default zone', () => {
    const text = ['Markets rally on jobs data', 'By Jane Doe', '2024-03-12T09:05:00-04:00', '', 'Stocks rose sharply on Tuesday.'].join('\n');
    const article = parseTextArticle(text, { defaultTimeZone: 'America/New_York' });
    expect(article.publishedAt?.toISOString()).toBe('2024-03-12T13:05:00.000Z');
    expect(article.timeZone).toBe('America/New_York');

    const utc = parseTextArticle(text.replace('2024-03-12T09:05:00-04:00', '2024-03-12 13:05'));
    expect(utc.publishedAt?.toISOString()).toBe('2024-03-12T13:05:00.000Z');
    expect(utc.timeZone).toBe('UTC');
  });

  it('uses the default zone and no instant when there is no date line', () => {
    const text = [
      'Rex Tillerson meets Sergei Lavrov',
      'The two met on the sidelines of a regional forum',
      'By Alexandra Wilts in Manila',
      'Rex Tillerson in Manila (AFP/Getty Images)',
      'Mr Tillerson met Mr Lavrov on Sunday.',
    ].join('\n\n');
    const article = parseTextArticle(text, { defaultTimeZone: 'Europe/London' });
    expect(article.publishedAt).toBeNull();
    expect(article.timeZone).toBe('Europe/London');
    expect(article.standfirst).toBe('The two met on the sidelines of a regional forum');
    expect(article.authors).toEqual([{ name: 'Alexandra Wilts' }]);
    expect(article.dateline).toBe('Manila');
    expect(article.image).toEqual({
      src: null,
      alt: 'Rex Tillerson in Manila',
      caption: 'Rex Tillerson in Manila',
      credit: 'AFP/Getty Images',
    });
    expect(article.body.map((block) => block.text)).toEqual(['Mr Tillerson met Mr Lavrov on Sunday.']);

    const bare = parseTextArticle('Short headline\n\nThe first paragraph.\n\nThe second one.');
    expect(bare.timeZone).toBe('UTC');
    expect(bare.standfirst).toBeNull();
    expect(bare.authors).toEqual([]);
    expect(bare.body).toHaveLength(2);
  });

  it('drops other kinds of site furniture by general rules, but keeps news that uses the same words', () => {
    const article = parseTextArticle(
      [
        'Advertisement',
        'Shares slide after profit warning',
        'Share',
        'By Jane Doe',
        'Tuesday 12 March 2024 09:05 EDT',
        'Share on Facebook',
        'Follow us on Twitter',
        '',
        'Shares in the retailer fell 20% on Tuesday after it warned on profits.',
        '',
        'Read more: Retailer cuts 500 jobs',
        '',
        'Sign up to our free Business Today newsletter',
        '',
        'Share prices across the sector also fell.',
        'Investors must register their objections by Friday, the regulator said.',
        '',
        'Advertisement',
        '',
        'Retailer names new chief executive',
        '',
        'Related: The high street in five charts',
        '',
        'Support our journalism',
        'Subscribe now',
        '',
        'The company will report full results in May.Sign up for breaking news alerts by email',
        '',
        'More about',
        'Retail Stock markets',
        'Click to follow',
        'Sign in',
        'Log in',
        'Register',
        'Most popular',
      ].join('\n'),
    );
    expect(article.headline).toBe('Shares slide after profit warning');
    expect(article.authors).toEqual([{ name: 'Jane Doe' }]);
    expect(article.body.map((block) => block.text)).toEqual([
      'Shares in the retailer fell 20% on Tuesday after it warned on profits.',
      'Share prices across the sector also fell.',
      'Investors must register their objections by Friday, the regulator said.',
      'The company will report full results in May.',
    ]);
  });

  it('joins hard-wrapped lines of one paragraph', () => {
    expect(
      paragraphs(
        [
          'Headline about a wrapped article',
          '',
          'This paragraph was wrapped by an editor at a fixed width so that',
          'it continues on the next line, which begins in lower case and',
          'Finishes here.',
          '',
          'A second paragraph.',
        ].join('\n'),
      ),
    ).toEqual([
      'This paragraph was wrapped by an editor at a fixed width so that it continues on the next line, which begins in lower case and Finishes here.',
      'A second paragraph.',
    ]);
  });
});

describe('parseTextArticle errors', () => {
  it.each([
    ['empty input', ''],
    ['whitespace only', ' \n\r\n\t\n'],
    ['only furniture', 'Comments\n\nSign in\n\nSubscribe now\n'],
    ['a date where the headline should be', '7 August 2017 16:47 BST\n\nA paragraph.'],
    ['a headline without a story', 'Just a headline\n\nComments'],
  ])('throws ImportError for %s', (_, text) => {
    expect(() => parseTextArticle(text)).toThrow(ImportError);
  });

  it('names the problem in the message', () => {
    expect(() => parseTextArticle('')).toThrow(/empty/);
    expect(() => parseTextArticle('Comments\nSign in')).toThrow(/no headline/);
  });

  it('rejects an unknown default zone', () => {
    expect(() => parseTextArticle(seed, { defaultTimeZone: 'Not/AZone' })).toThrow(RangeError);
  });
});
