import { describe, expect, it } from 'vitest';
import { extractQuotes } from './extract.ts';
import { findSpans } from './spans.ts';

// The attribution rules one by one, each on a few sentences written for the rule.

const pairs = (paragraphs: string[]) => extractQuotes(paragraphs).quotes.map((q) => [q.speaker, q.text]);

describe('quoted spans', () => {
  it('reads curly and straight quotation marks, and a quote carried over paragraphs', () => {
    const spans = findSpans(['He said "first one," then “second one”.', '“An open quote runs on', '“and closes here.”']);
    expect(spans.map((s) => s.text)).toEqual(['first one', 'second one', 'An open quote runs on', 'and closes here.']);
    expect(spans[2]).toMatchObject({ continues: true, continuation: false });
    expect(spans[3]).toMatchObject({ continues: false, continuation: true });
  });

  it('keeps apostrophes inside straight-quoted words', () => {
    expect(findSpans(['"We\'re not done," she said.']).map((s) => s.text)).toEqual(["We're not done"]);
  });
});

describe('attribution rules', () => {
  it('gives a quote split by its attribution, going on in lower case, to the same speaker', () => {
    expect(pairs(['Parents have rallied. Nora Briggs runs the appeal.', '“We raised half of it in a week,” Ms Briggs said, “and the rest will follow by spring.”'])).toEqual([
      ['Nora Briggs', 'We raised half of it in a week'],
      ['Nora Briggs', 'and the rest will follow by spring.'],
    ]);
    // A lower-case partial quote inside a sentence is still not a quote someone said.
    expect(pairs(['Nora Briggs said the appeal was “going well, so far” and would close soon.'])).toEqual([]);
  });

  it('reads "the minister said" as the one person named with that role, and "the 34-year-old said" as a pronoun', () => {
    expect(pairs(['Health Minister Ruth Okafor visited the ward on Monday.', '“Nobody should wait this long for a bed,” the minister said.'])).toEqual([
      ['Ruth Okafor', 'Nobody should wait this long for a bed'],
    ]);
    expect(pairs(['Tom Reyes, 34, has fished here all his life.', '“The quota will finish us off,” the 34-year-old said.'])).toEqual([['Tom Reyes', 'The quota will finish us off']]);
  });

  it('leaves a description that names nobody, or several people, unattributed', () => {
    // An organisation speaks; the council is not a person's role.
    expect(pairs(['Councillor Jo Hale chairs the planning panel.', '“The scheme has been withdrawn for now,” the council said.'])).toEqual([]);
    // Two spokespeople: "the spokesman" could be either.
    expect(
      pairs(['Ian Moss, a spokesman for the port, and Lee Grant, a spokesman for the union, met on Monday.', '“Talks will resume after the holiday,” the spokesman said.']),
    ).toEqual([]);
  });

  it('resolves a title and surname to the full name given earlier', () => {
    expect(pairs(['Rex Tillerson flew to Manila.', '“We talked about it at length yesterday,” Mr Tillerson said.'])).toEqual([['Rex Tillerson', 'We talked about it at length yesterday']]);
  });

  it('reads the verb before the name, with the role in apposition', () => {
    const { quotes, people } = extractQuotes(['“Crews will keep working through the night,” said Alan Brierley, a spokesman for Eastern Grid.']);
    expect(quotes).toEqual([{ paragraph: 0, speaker: 'Alan Brierley', text: 'Crews will keep working through the night' }]);
    expect(people).toEqual([{ name: 'Alan Brierley', role: 'spokesman for Eastern Grid' }]);
  });

  it('takes the role from a title before the full name', () => {
    const { people } = extractQuotes(['Secretary of State Rex Tillerson met his counterpart.', '“It was a useful meeting for both of us,” Mr Tillerson said.']);
    expect(people).toEqual([{ name: 'Rex Tillerson', role: 'Secretary of State' }]);
  });

  it('gives "he added" to the last speaker', () => {
    expect(pairs(['“The first thing we did was listen,” John Doe said.', '“And then we acted on what we heard,” he added.'])).toEqual([
      ['John Doe', 'The first thing we did was listen'],
      ['John Doe', 'And then we acted on what we heard'],
    ]);
  });

  it('gives a pronoun to the person the paragraph named before the quote, not to a name inside an earlier quote', () => {
    expect(
      pairs([
        '“We met Minister Lavrov and told him so,” Mr Tillerson said, according to CNN.',
        'His neighbour, Priya Chandran, spoke next. “For many children there is no quiet place at home,” she said.',
      ]),
    ).toEqual([
      ['Mr Tillerson', 'We met Minister Lavrov and told him so'],
      ['Priya Chandran', 'For many children there is no quiet place at home'],
    ]);
  });

  it('reads "according to X", "X told Y" and "X said:"', () => {
    expect(
      pairs([
        'Maria Okonkwo chairs the committee and Tom Hargreaves leads the council.',
        '“Nobody wanted to be here tonight,” according to Ms Okonkwo.',
        '“It sounded like a train going past,” Mr Hargreaves told the Gazette.',
        'Mr Hargreaves said: “We have a legal duty to balance the books.”',
      ]),
    ).toEqual([
      ['Maria Okonkwo', 'Nobody wanted to be here tonight'],
      ['Tom Hargreaves', 'It sounded like a train going past'],
      ['Tom Hargreaves', 'We have a legal duty to balance the books.'],
    ]);
  });

  it('keeps a quote over several sentences whole, and gives the next quote in the paragraph to the same speaker', () => {
    expect(pairs(['“It is not the end. It is the start of the end,” said Joanna Reyes. “Faster tests mean faster treatment.”'])).toEqual([
      ['Joanna Reyes', 'It is not the end. It is the start of the end'],
      ['Joanna Reyes', 'Faster tests mean faster treatment.'],
    ]);
  });

  it('carries a quote over paragraphs that open with a quotation mark', () => {
    expect(pairs(['“We want to be everywhere by next year,” said Joseph Abara. “It is ambitious.', '“The hard part is training installers.”'])).toEqual([
      ['Joseph Abara', 'We want to be everywhere by next year'],
      ['Joseph Abara', 'It is ambitious.'],
      ['Joseph Abara', 'The hard part is training installers.'],
    ]);
  });

  it('gives the quote opening a paragraph to the speaker the previous paragraph introduced with a colon', () => {
    expect(pairs(['Donald Trump said in a statement:', '“I can make far better deals than Congress.”'])).toEqual([['Donald Trump', 'I can make far better deals than Congress.']]);
  });

  it('does not count partial quotes inside a sentence, nor scare quotes, nor people only mentioned', () => {
    const { quotes, people } = extractQuotes([
      'Secretary of State Rex Tillerson told Sergei Lavrov, Russia’s Foreign Minister, that the interference “created serious mistrust” between them.',
      'Mr Trump said the bill “remains seriously flawed” and signed it.',
      'Fans held up banners reading “Safe hands” in the stands.',
    ]);
    expect(quotes).toEqual([]);
    expect(people).toEqual([]);
  });

  it('does not list organisations or unnamed sources as speakers', () => {
    expect(pairs(['“Every study we have seen says faster roads kill,” the charity said.', '“We are delighted to help,” Acme Corp said.'])).toEqual([]);
  });

  it('reads an attribution that closes the sentence the quote opened', () => {
    expect(pairs(['Lotfi Azzouz works for Amnesty.', '“We must pay attention to what is written” in that law, Azzouz said.'])).toEqual([['Lotfi Azzouz', 'We must pay attention to what is written']]);
  });

  it('does not take an abbreviation’s full stop for the end of the attribution', () => {
    expect(pairs(['“There is no reason to believe they have changed,” said Mr. Reeves, a fellow at Harvard.', 'Eric Reeves has studied Sudan for decades.'])).toEqual([
      ['Eric Reeves', 'There is no reason to believe they have changed'],
    ]);
  });

  it('drops the words before a name that are not part of it', () => {
    expect(pairs(['Goalkeeper Marcus Feld retired on Friday.', '“My knees have been telling me for a while,” Feld said.', 'As Feld left, fans cheered. “I owe them a lot,” he said.'])).toEqual([
      ['Marcus Feld', 'My knees have been telling me for a while'],
      ['Marcus Feld', 'I owe them a lot'],
    ]);
  });
});

describe('pronouns and first names', () => {
  it('gives "she" to the woman named before the quote rather than the man named after her', () => {
    expect(pairs(['Joanna Reyes met Tom Hargreaves on Monday.', '“We agreed on almost everything that matters,” she said.'])).toEqual([['Joanna Reyes', 'We agreed on almost everything that matters']]);
  });
});
