// Whole-page copies (select-all, copy): the article stands among navigation, banners, share bars
// and related stories, and is found where it stands rather than taken from the first line.
import { describe, expect, it } from 'vitest';
import { explainTextArticle, parseTextArticle } from './import-text.ts';

const PARAGRAPHS = [
  'The harbour bridge reopened to traffic on Tuesday morning after eight months of repairs to its deck and cables, the council said.',
  'Engineers said the structure would now last another fifty years, although some work on the approach roads will continue into the summer.',
  'Commuters welcomed the reopening, which ends a long detour through the town centre for thousands of drivers every day of the week.',
  'The repairs cost £14m, about a fifth more than planned, because corrosion in the cables turned out to be worse than the first survey showed.',
];

function page(header: string[], paragraphs = PARAGRAPHS): string {
  return [
    'Skip to content', 'Accessibility help', 'Sign in', 'Home', 'News', 'Sport', 'Weather', 'Business', 'Culture',
    'We use cookies to improve your experience. Accept all cookies',
    'Local news',
    ...header,
    'Share', 'Share on Facebook', 'Share on X',
    ...paragraphs,
    'More on this story',
    'Council approves budget for new cycle lanes',
    'Ferry timetable changes from next month',
    'Most read',
    'Town hall clock stops after 120 years',
    '© 2024 The Gazette. All rights reserved.',
  ].join('\n');
}

describe('the text importer on a whole-page copy', () => {
  it('finds headline, standfirst, byline and date among the furniture', () => {
    const draft = parseTextArticle(page(['Harbour bridge reopens after eight months of repairs', 'Drivers can use the crossing again from today', 'By Jane Marlow', '5 March 2024, 8:30 am'], PARAGRAPHS));
    expect(draft.headline).toBe('Harbour bridge reopens after eight months of repairs');
    expect(draft.standfirst).toBe('Drivers can use the crossing again from today');
    expect(draft.authors).toEqual([{ name: 'Jane Marlow' }]);
    expect(draft.publishedAt?.toISOString()).toBe('2024-03-05T08:30:00.000Z');
    expect(draft.body.map((b) => b.text)).toEqual(PARAGRAPHS);
  });

  it('reads a German page with its date printed the German way', () => {
    const paragraphs = [
      'Die Hafenbrücke ist am Dienstagmorgen nach acht Monaten Reparaturarbeiten an Fahrbahn und Seilen wieder für den Verkehr freigegeben worden.',
      'Nach Angaben der Ingenieure hält das Bauwerk nun weitere fünfzig Jahre, auch wenn an den Zufahrten noch bis in den Sommer gearbeitet wird.',
      'Pendler begrüßten die Freigabe, die eine lange Umleitung durch die Innenstadt für tausende Autofahrer an jedem Tag der Woche beendet.',
    ];
    const draft = parseTextArticle(page(['Hafenbrücke nach acht Monaten Reparatur wieder offen', 'Von Anna Meier', '04. März 2024, 15:02 Uhr'], paragraphs), { defaultTimeZone: 'Europe/Berlin' });
    expect(draft.headline).toBe('Hafenbrücke nach acht Monaten Reparatur wieder offen');
    expect(draft.authors).toEqual([{ name: 'Anna Meier' }]);
    expect(draft.publishedAt?.toISOString()).toBe('2024-03-04T14:02:00.000Z');
    expect(draft.timeZone).toBe('Europe/Berlin');
    expect(draft.body.map((b) => b.text)).toEqual(paragraphs);
  });

  it('takes a name right above the date as the byline', () => {
    const draft = parseTextArticle(page(['Harbour bridge reopens after eight months of repairs', 'Jane Marlow', 'Tuesday 5 March 2024'], PARAGRAPHS));
    expect(draft.authors).toEqual([{ name: 'Jane Marlow' }]);
    expect(draft.publishedAt?.toISOString()).toBe('2024-03-05T00:00:00.000Z');
  });

  it('says where it found the article and why', () => {
    const { explanation } = explainTextArticle(page(['Harbour bridge reopens after eight months of repairs', 'By Jane Marlow', '5 March 2024'], PARAGRAPHS));
    expect(explanation[0]?.chosen?.shown).toBe('Harbour bridge reopens after eight months of repairs');
    expect(explanation[0]?.chosen?.reasons.join('; ')).toMatch(/byline 1 line below/);
  });

  it('skips menus, related-story lists and session notices above the headline', () => {
    const draft = parseTextArticle(page([
      'Home | World | Business | Sport | Culture',
      'Sign up to comment and more',
      'Council approves budget for new cycle lanes',
      'Ferry timetable changes from next month',
      'Town hall clock stops after 120 years',
      'Harbour bridge reopens after eight months of repairs',
      'Drivers can use the crossing again from today.',
      'Jane Marlow - 5 March 2024 8:30 am',
    ]));
    expect(draft.headline).toBe('Harbour bridge reopens after eight months of repairs');
    expect(draft.authors).toEqual([{ name: 'Jane Marlow' }]);
    expect(draft.publishedAt?.toISOString()).toBe('2024-03-05T08:30:00.000Z');
  });

  it('never takes a table row, a numbered section or a subhead inside the body for the headline', () => {
    const text = [
      'Harbour bridge', 'From the Gazette, the town newspaper',
      'Opened\t1932', 'Length\t420 metres',
      ...PARAGRAPHS.slice(0, 2),
      'Contents', '1 History', '1.1 Repairs', '2 Traffic',
      'History', ...PARAGRAPHS.slice(2),
      '1.1 Repairs of the deck and the cables in 2024', ...PARAGRAPHS,
    ].join('\n');
    const { explanation } = explainTextArticle(text);
    const shown = explanation[0]?.candidates.slice(0, 3).map((c) => c.shown) ?? [];
    expect(shown).not.toContain('Length 420 metres');
    expect(explanation[0]?.chosen?.shown).not.toMatch(/^1\.1 /);
  });

  it('finds a Chinese article whose sentences end with full-width stops', () => {
    const paragraphs = [
      '在采访中，我们了解到不少学子在出国前就每年守在电脑前观看两会直播，关注与自己学业相关的话题和政策。',
      '在法国里昂国立应用科学院留学的卢宇表示，他还是个中学生时，就开始关注每年的两会，希望了解国家发展的方向。',
      '无独有偶，英国剑桥大学的李博灏也有着类似的经历。他表示，在国内读书时，最关心的是考试会不会考到两会的内容。',
    ];
    const draft = parseTextArticle(['首页|新闻|图片|评论|娱乐|时尚|财经|军事|体育', '首页 >> 教育资讯 >> 正文', '海外留学生看两会：出国前后关注点大不同', ...paragraphs].join('\n'));
    expect(draft.headline).toBe('海外留学生看两会：出国前后关注点大不同');
    expect(draft.body.map((b) => b.text)).toEqual(paragraphs);
  });

  it.each([
    ['Jane Marlow - 5 March 2024 8:30 am'],
    ['The Gazette | 5 March 2024 | By Jane Marlow'],
    ['// By Jane Marlow • March 5, 2024'],
    ['by Jane Marlow March 5, 2024 8:30 AM'],
  ])('reads the byline that shares the date line: %s', (line) => {
    const draft = parseTextArticle(page(['Harbour bridge reopens after eight months of repairs', line]));
    expect(draft.headline).toBe('Harbour bridge reopens after eight months of repairs');
    expect(draft.authors).toEqual([{ name: 'Jane Marlow' }]);
    expect(draft.publishedAt?.toISOString().slice(0, 10)).toBe('2024-03-05');
  });

  it('passes over a teaser list whose items each have a byline or date, wherever it stands', () => {
    // "Recommended" blocks in the middle of the story: headline, writer, date, three times over.
    const teasers = ['Recommended', 'Ferry timetable changes from next month', 'Tom Reed', 'Mar 9, 2024', 'Council approves budget for new cycle lanes', 'Ann Poe', 'Feb 2, 2024', 'Town hall clock stops after 120 years', 'Sam Kerr', 'Jan 7, 2024'];
    const text = page(['Harbour bridge reopens after eight months of repairs', 'Jane Marlow', '1:39 PM ET'], [...PARAGRAPHS.slice(0, 2), ...teasers, ...PARAGRAPHS.slice(2)]);
    const { draft, explanation } = explainTextArticle(text);
    expect(draft.headline).toBe('Harbour bridge reopens after eight months of repairs');
    expect(draft.authors).toEqual([{ name: 'Jane Marlow' }]);
    const teaser = explanation[0]?.candidates.find((c) => c.shown === 'Ferry timetable changes from next month');
    expect(teaser?.reasons.join('; ')).toMatch(/one of a list of headlines each with its byline or date/);
    // Teaser headlines that are questions are still headlines of the list.
    const questions = parseTextArticle(page(['Harbour bridge reopens after eight months of repairs', 'By Jane Marlow'], [...PARAGRAPHS, 'Latest', 'Will the ferry survive the bridge?', 'Tom Reed • 2 hours ago', 'Movies', 'Who owns the old toll house?', 'Ann Poe • 5 hours ago', 'Movies', 'What did the survey miss?', 'Sam Kerr • 8h'].concat(PARAGRAPHS.map((p) => p.replace('bridge', 'tunnel')))));
    expect(questions.headline).toBe('Harbour bridge reopens after eight months of repairs');
  });

  it('takes the writer beside the story\'s age ("Alex Perry 1 day ago") over a partner\'s name above it', () => {
    const draft = parseTextArticle(page(['Harbour bridge reopens after eight months of repairs', 'Coastal Insider', 'Alex Perry 1 day ago'], PARAGRAPHS));
    expect(draft.headline).toBe('Harbour bridge reopens after eight months of repairs');
    expect(draft.authors).toEqual([{ name: 'Alex Perry' }]);
  });

  it('reads a byline that carries its date, roles or picture credits', () => {
    const withDate = parseTextArticle(page(['Harbour bridge reopens after eight months of repairs', 'Drivers can use the crossing again from today', 'Transport', 'by Jane Marlow March 5, 2024 11:00 PM PST'], PARAGRAPHS));
    expect(withDate.authors).toEqual([{ name: 'Jane Marlow' }]);
    const withRole = parseTextArticle(page(['Harbour bridge reopens after eight months of repairs', 'By Jane Marlow, Senior Staff Technologist, Harbour Trust Speech, Privacy, and Technology Project', 'March 5, 2024 | 6:00 PM'], PARAGRAPHS));
    expect(withRole.authors).toEqual([{ name: 'Jane Marlow' }]);
    const credits = parseTextArticle(page(['Harbour bridge reopens after eight months of repairs', 'by Jane Marlow (reporting) and Tom Reed (photography)', '5 March 2024'], PARAGRAPHS));
    expect(credits.authors).toEqual([{ name: 'Jane Marlow' }]);
    // A column's name above the "By" line is not the writer.
    const column = parseTextArticle(page(['Harbour bridge reopens after eight months of repairs', 'Harbour Watch', 'By JANE MARLOW MARCH 5, 2024'], PARAGRAPHS));
    expect(column.authors).toEqual([{ name: 'Jane Marlow' }]);
    const posted = parseTextArticle(page(['Harbour bridge reopens after eight months of repairs', '06 MARCH 2024', 'Posted by Jane Marlow, Software Engineer'], PARAGRAPHS));
    expect(posted.authors).toEqual([{ name: 'Jane Marlow' }]);
  });

  it('finds an encyclopedia article\'s title above its tagline, past the page tabs', () => {
    const paragraphs = PARAGRAPHS.map((p) => p.replace('The harbour bridge', 'The Harbour Bridge'));
    // Past the tabs, the title is the line above them; a one- or two-word title among short menu
    // lines and tabs cannot be told from them, and is only found right above the tagline.
    const tabs = ['Bridges of the Harbour District', '6 languages', 'Article', 'Talk', 'Read', 'Edit', 'View history', 'Tools', 'From Gazettepedia, the free encyclopedia'];
    expect(parseTextArticle(page(tabs, paragraphs)).headline).toBe('Bridges of the Harbour District');
    expect(parseTextArticle(page(['Harbour Bridge', 'From Gazettepedia, the free encyclopedia'], paragraphs)).headline).toBe('Harbour Bridge');
  });

  it('keeps one story together across a video player\'s controls, and does not head it with a caption', () => {
    const player = ['Play Video', 'Play', 'Mute', 'Current Time 0:00', '/', 'Duration Time 0:00', ...Array.from({ length: 12 }, () => ['White', 'Black', 'Red', 'Green', 'Blue', 'Yellow', '---', 'Opaque']).flat(), 'Close'];
    const more = PARAGRAPHS.map((p) => p.replace('bridge', 'crossing').replace('The ', 'Then the '));
    const text = page(
      ['The harbour at dawn Jane Doe/Reuters', 'Harbour bridge reopens after eight months of repairs', 'Jane Marlow', '5 March 2024'],
      [PARAGRAPHS[0]!, ...player, 'Video shows the first cars crossing the bridge', ...more, ...more.map((p) => p.replace('crossing', 'span'))],
    );
    const { draft, explanation } = explainTextArticle(text);
    expect(draft.headline).toBe('Harbour bridge reopens after eight months of repairs');
    expect(draft.authors).toEqual([{ name: 'Jane Marlow' }]);
    // The prose after the player counts as the same story's.
    expect(explanation[0]?.chosen?.reasons.join('; ')).toMatch(/\(100 % of the page's longest body\)/);
    const caption = explanation[0]?.candidates.find((c) => c.shown === 'The harbour at dawn Jane Doe/Reuters');
    expect(caption?.reasons.join('; ')).toMatch(/caption or credit/);
  });

  it('keeps credentials and interface labels out of the byline', () => {
    expect(parseTextArticle(page(['Harbour bridge reopens after eight months of repairs', 'By Jane Marlow, MA', '5 March 2024'])).authors).toEqual([{ name: 'Jane Marlow' }]);
    expect(parseTextArticle(page(['Harbour bridge reopens after eight months of repairs', 'More Options', '5 March 2024', 'By Jane Marlow'])).authors).toEqual([{ name: 'Jane Marlow' }]);
  });
});
