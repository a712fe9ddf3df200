// Kinds of whole-page copy the text importer meets, each made up for the kind (not taken from any
// real page): kickers and promotions around the headline, teasers that look like headlines, tables of
// contents, encyclopedia title areas, and bylines set above the headline, beside the date, under a
// second copy of the headline, or signed by an agency.
import { describe, expect, it } from 'vitest';
import { explainTextArticle, parseTextArticle } from './import-text.ts';

const STRIKE = [
  'Workers at the Kelby glassworks walked out for a third week on Monday, after talks over a pay offer they called an insult broke down late on Friday.',
  'The union said furnace crews would stay out until the company improved its offer of three per cent, which falls well short of inflation in the town.',
  'Managers at the glassworks said the strike had already cost the plant two large orders, and warned that a furnace left cold for long could crack.',
  'Talks are due to resume at the conciliation service on Thursday, though neither side expects the glassworks dispute to end before the spring.',
];

const MENU = ['Skip to content', 'Home', 'News', 'Business', 'Sport', 'Culture', 'Sign in', 'Search'];
const FOOTER = ['More on this story', 'Ferry timetable changes from next month', 'Town hall clock stops after 120 years', '© 2024 The Gazette'];

function page(header: string[], paragraphs = STRIKE): string {
  return [...MENU, ...header, ...paragraphs, ...FOOTER].join('\n');
}

describe('headlines among furniture', () => {
  it('tells the headline from a teaser by the words it shares with the story below', () => {
    // A promoted story and its writer sit between the menu and the article, which shows only a date.
    const text = page([
      'Editor’s choice',
      'Ferry operator promises new timetable before summer crossings',
      'Ann Crew',
      '5 March 2024',
      'Glassworks strike enters third week as pay talks stall',
      '6 March 2024, 9:00 am',
    ]);
    const { draft, explanation } = explainTextArticle(text);
    expect(draft.headline).toBe('Glassworks strike enters third week as pay talks stall');
    expect(explanation[0]?.chosen?.reasons.join('; ')).toMatch(/of its words recur in the story below/);
  });

  it('takes the line under a short series label (a kicker) as the headline, not the label', () => {
    const draft = parseTextArticle(page([
      'Working lives: the glass towns',
      'Glassworks strike enters third week as furnace crews hold out',
      'Furnace crews photographed at the gate. Photograph: Tom Ashdown for the Gazette',
      'The union says the pay offer falls far short of inflation',
      'by Tom Ashdown (reporting) and Rhiannon Vale (photography)',
      'Wed 6 Mar 2024 09.00 GMT',
    ]));
    expect(draft.headline).toBe('Glassworks strike enters third week as furnace crews hold out');
    expect(draft.authors).toEqual([{ name: 'Tom Ashdown' }]);
  });

  it('marks down a picture’s alt text repeated in its caption, whose words the story shares', () => {
    const { draft, explanation } = explainTextArticle(page([
      'Glassworks strike enters third week as pay talks stall',
      'The union says furnace crews will stay out until the offer improves',
      'By Tom Ashdown',
      '6 March 2024',
      'Furnace crews at the Kelby glassworks gate',
      'Furnace crews at the Kelby glassworks gate (Getty)',
    ]));
    expect(draft.headline).toBe('Glassworks strike enters third week as pay talks stall');
    expect(draft.image?.credit).toBe('Getty');
    const alt = explanation[0]?.candidates.find((c) => c.shown === 'Furnace crews at the Kelby glassworks gate');
    expect(alt?.reasons.join('; ')).toMatch(/alt text above its caption/);
  });

  it('never takes a breadcrumb whose separators are doubled for a headline', () => {
    const paragraphs = [
      '　　记者从市政府获悉，新建的跨江大桥将于下月正式通车，届时两岸之间的通行时间将由一小时缩短至十分钟左右。',
      '　　据介绍，大桥全长三公里，设计使用年限为一百年，建设过程中采用了多项新技术，工程总投资约为四十亿元。',
      '　　市民表示，大桥通车后上下班将更加方便，不少人已经计划在通车当天前往大桥参观，并拍照留念。',
    ];
    const crumbs = '首页 >> 城市新闻频道 >> 交通出行频道 >> 正文';
    const text = ['首页|新闻|图片|评论|财经|体育', crumbs, '跨江大桥下月通车 两岸通行缩短至十分钟', '发稿时间：2024-03-06 08:42:00 来源：城市日报', ...paragraphs, '相关新闻'].join('\n');
    const { draft, explanation } = explainTextArticle(text);
    expect(draft.headline).toBe('跨江大桥下月通车 两岸通行缩短至十分钟');
    expect(draft.publishedAt?.toISOString()).toBe('2024-03-06T08:42:00.000Z');
    expect(explanation[0]?.candidates.map((c) => c.shown)).not.toContain(crumbs);
  });

  it('passes over a table of contents whose entries come back as the story’s headings', () => {
    const sections = [
      'Why the furnace crews walked out in March',
      'What the company has offered the union so far',
      'How the strike has hit the glassworks order book',
      'Why a cold furnace can crack and what that costs',
      'What other glass towns have done in past disputes',
      'What happens at the conciliation service next',
    ];
    const text = [
      'Glassworks Workers Handbook',
      'The Kelby glassworks dispute explained',
      'Contents',
      'The Kelby glassworks dispute explained',
      ...sections,
      STRIKE[0],
      STRIKE[1],
      ...sections.flatMap((section, n) => [section, STRIKE[(n + 2) % STRIKE.length]]),
      'Previous page',
    ].join('\n');
    expect(parseTextArticle(text).headline).toBe('The Kelby glassworks dispute explained');
  });

  it('does not count a run of link labels that open alike as headlines above the real one', () => {
    const paragraphs = [
      'Os trabalhadores da vidraria de Kelby iniciaram nesta segunda-feira a terceira semana de greve, depois do fracasso das negociações salariais na sexta.',
      'O sindicato afirma que as equipes dos fornos só voltarão ao trabalho quando a empresa melhorar a proposta de reajuste de três por cento.',
      'A direção da vidraria diz que a greve já custou duas grandes encomendas e teme que os fornos desligados por muito tempo possam rachar.',
    ];
    const draft = parseTextArticle(page([
      'Siga a Gazeta',
      'Link externo, abre página da Gazeta no Twitter',
      'Link externo, abre página da Gazeta no Instagram',
      'Link externo, abre página RSS da Gazeta',
      'Greve na vidraria de Kelby entra na terceira semana sem acordo',
      'Sindicato diz que equipes dos fornos só voltam com nova proposta',
      'Copiar link',
      '06.mar.2024 às 09h00',
    ], paragraphs));
    expect(draft.headline).toBe('Greve na vidraria de Kelby entra na terceira semana sem acordo');
  });

  it('does not take a subhead that a reader quotes in the comments for the headline', () => {
    const subhead = 'Why a cold furnace can crack and what that costs';
    const text = [
      ...MENU,
      'Glassworks strike enters third week as pay talks stall',
      ...Array.from({ length: 20 }, (_, n) => ['Follow', 'Share to Facebook', 'Edit', 'Invite', 'Hide', 'Flag'][n % 6]),
      STRIKE[0],
      STRIKE[1],
      subhead,
      STRIKE[2],
      STRIKE[3],
      STRIKE[0].replace('Monday', 'Tuesday'),
      STRIKE[1].replace('the town', 'the valley'),
      'Comments',
      'Ray Dunmore',
      '6 March 2024 at 10:14',
      subhead,
      'My father worked the furnaces for thirty years, and he always said the same thing about letting them go cold in winter.',
      'Nobody listened to him either.',
      '12 Reply',
    ].join('\n');
    expect(parseTextArticle(text).headline).toBe('Glassworks strike enters third week as pay talks stall');
  });

  it('finds an encyclopedia’s title past its infobox and contents, and never a captioned table title', () => {
    const lead = [
      'Kelby is a market town on the river Wend, known since the seventeenth century for its glassworks and for the canal that carried its glass to the coast.',
      'The town grew quickly after the railway arrived in 1848, and by 1900 its furnaces employed more than four thousand people in the valley and its villages.',
      'Glassmaking declined after the 1970s, but two works remain, and the old canal basin has become a museum of glass that draws visitors from across the country.',
    ];
    const infobox = Array.from({ length: 60 }, (_, n) => `Ward ${n + 1} councillors\tthree seats held by the local party`);
    const text = [
      'Kelby',
      'From Encyclopedia Mundi, the free encyclopedia',
      'This article is about the town. For the river island, see Kelby Eyot.',
      ...infobox,
      'Contents',
      '1 History',
      '2 Glassmaking',
      '3 Transport',
      ...lead,
      'Average daily temperatures for the six wards of Kelby[12]',
      ...lead.map((p) => p.replace('Kelby', 'The town')),
      'History',
      ...lead,
    ].join('\n');
    expect(parseTextArticle(text).headline).toBe('Kelby');
  });
});

describe('bylines in a whole-page copy', () => {
  it('does not read a title-case headline above its date as a writer’s name', () => {
    const draft = parseTextArticle(page(['On Recent Glassworks Events', 'Tuesday 5 March 2024 by Tom Ashdown']));
    expect(draft.headline).toBe('On Recent Glassworks Events');
    expect(draft.authors).toEqual([{ name: 'Tom Ashdown' }]);
  });

  it('reads the byline from a meta line that strings the site, the date and the writers together', () => {
    const paragraphs = [
      'Les ouvriers de la verrerie de Kelby ont entamé lundi leur troisième semaine de grève, après l’échec des négociations salariales vendredi soir.',
      'Le syndicat affirme que les équipes des fours resteront en grève tant que la direction n’aura pas amélioré son offre de trois pour cent.',
      'La direction de la verrerie estime que la grève lui a déjà coûté deux grosses commandes et craint pour ses fours laissés à froid.',
    ];
    const draft = parseTextArticle(page(['La grève de la verrerie entre dans sa troisième semaine', 'La Gazette | 06.03.2024 à 09h00 • Mis à jour le 06.03.2024 à 11h30 | Par Claire Dumas (avec Julien Roche et Inès Morel)'], paragraphs));
    expect(draft.headline).toBe('La grève de la verrerie entre dans sa troisième semaine');
    expect(draft.authors).toEqual([{ name: 'Claire Dumas' }, { name: 'Julien Roche' }, { name: 'Inès Morel' }]);
  });

  it('takes "by" and a name above a chapter heading over a button label below it', () => {
    const draft = parseTextArticle(page(['The Furnace Years', 'by', 'Mira Kestrel', 'CHAPTER NINE: The long night shift', 'Fiction Page', 'Donate', 'Report Chapter']));
    expect(draft.headline).toBe('CHAPTER NINE: The long night shift');
    expect(draft.authors).toEqual([{ name: 'Mira Kestrel' }]);
  });

  it('keeps a nickname in parentheses as part of the name', () => {
    const draft = parseTextArticle(page(['Glassworks strike enters third week as pay talks stall', 'The union says furnace crews will stay out until the offer improves', 'Thomas (T.J.) Ashdown', 'Share', 'All Share Services']));
    expect(draft.authors).toEqual([{ name: 'Thomas (T.J.) Ashdown' }]);
  });

  it('reads the byline under the second copy of a headline shown twice', () => {
    const text = [
      ...MENU,
      'Glassworks strike enters third week as pay talks stall',
      'Workers at the Kelby glassworks walked out for a third week on Monday after talks broke down, the union said.',
      'Trending now',
      'Ferry timetable changes from next month',
      'Town hall clock stops after 120 years',
      'Glassworks strike enters third week as pay talks stall',
      'TOM ASHDOWN',
      'Gazette wire service',
      ...STRIKE,
      ...FOOTER,
    ].join('\n');
    expect(parseTextArticle(text).authors).toEqual([{ name: 'Tom Ashdown' }]);
  });

  it('takes a bare name above the headline only when a date or reading time follows it', () => {
    const withMeta = parseTextArticle(page(['Sign up', 'Tom Ashdown', 'on Mar 6 · 5 min', 'Next story', 'Glassworks strike enters third week as pay talks stall', 'Share on X']));
    expect(withMeta.authors).toEqual([{ name: 'Tom Ashdown' }]);
    const menu = parseTextArticle(page(['Seen from Abroad', 'Vu du Japon', 'Accueil', 'Monde', 'Glassworks strike enters third week as pay talks stall', '6 March 2024, 9:00 am']));
    expect(menu.authors).toEqual([]);
  });

  it('credits an agency that signs the dispatch on its date line when no person is named', () => {
    const draft = parseTextArticle(page(['Glassworks strike enters third week as pay talks stall', 'AFP 6 March 2024 at 09:19 (Updated: 6 March 2024 at 09:38)', 'Share on Facebook']));
    expect(draft.authors).toEqual([{ name: 'AFP' }]);
    expect(draft.publishedAt?.toISOString()).toBe('2024-03-06T09:19:00.000Z');
    // An agency named in a sentence is a source, not a signature.
    const quoted = parseTextArticle(page(['Glassworks strike enters third week as pay talks stall', 'AP, which first reported the walkout, said talks would resume on Thursday.', '6 March 2024']));
    expect(quoted.authors).toEqual([]);
  });
});

describe('bylines labelled in other languages', () => {
  const bridge = [
    '　　记者从市政府获悉，新建的跨江大桥将于下月正式通车，届时两岸之间的通行时间将由一小时缩短至十分钟左右。',
    '　　据介绍，大桥全长三公里，设计使用年限为一百年，建设过程中采用了多项新技术，工程总投资约为四十亿元。',
    '　　市民表示，大桥通车后上下班将更加方便，不少人已经计划在通车当天前往大桥参观，并拍照留念。',
  ];

  it('reads a Chinese reporter’s label and name, and not prose that opens with the word for reporter', () => {
    const text = ['首页|新闻|财经|体育', '跨江大桥下月通车 两岸通行缩短至十分钟', '2024-03-06 08:42 来源：城市日报', '本报记者 王小明', ...bridge, '相关新闻'].join('\n');
    expect(parseTextArticle(text).authors).toEqual([{ name: '王小明' }]);
    const unsigned = ['首页|新闻|财经|体育', '跨江大桥下月通车 两岸通行缩短至十分钟', '2024-03-06 08:42 来源：城市日报', ...bridge, '相关新闻'].join('\n');
    expect(parseTextArticle(unsigned).authors).toEqual([]);
  });

  it('reads "Autor:" and "Texto:" labels', () => {
    const german = [
      'Die Arbeiter der Glashütte in Kelby sind am Montag in die dritte Streikwoche gegangen, nachdem die Lohnverhandlungen am Freitag gescheitert waren.',
      'Die Gewerkschaft erklärte, die Ofenmannschaften würden so lange streiken, bis das Unternehmen sein Angebot von drei Prozent verbessere.',
      'Die Geschäftsführung der Glashütte sagte, der Streik habe bereits zwei große Aufträge gekostet, und warnte vor Schäden an den kalten Öfen.',
    ];
    // (A capitalised label above it, "Wirtschaft Region", has a name's shape; the labelled line wins.)
    const draft = parseTextArticle(page(['Glashütte Kelby: Streik geht in die dritte Woche', 'Wirtschaft Region', 'Autor: Hans Brenner', '06.03.2024, 09:00 Uhr'], german), { defaultTimeZone: 'Europe/Berlin' });
    expect(draft.headline).toBe('Glashütte Kelby: Streik geht in die dritte Woche');
    expect(draft.authors).toEqual([{ name: 'Hans Brenner' }]);
    const spanish = [
      'Los trabajadores de la vidriera de Kelby iniciaron el lunes su tercera semana de huelga, después de que fracasaran el viernes las negociaciones salariales.',
      'El sindicato afirmó que los equipos de los hornos seguirán en huelga hasta que la empresa mejore su oferta del tres por ciento.',
      'La dirección de la vidriera dijo que la huelga ya le ha costado dos grandes pedidos y advirtió del daño a los hornos apagados.',
    ];
    const draft2 = parseTextArticle(page(['La huelga de la vidriera de Kelby entra en su tercera semana', 'Texto: Ana Souza y Pablo Ortega', '6 de marzo de 2024'], spanish));
    expect(draft2.authors).toEqual([{ name: 'Ana Souza' }, { name: 'Pablo Ortega' }]);
  });
});
