import { describe, expect, it } from 'vitest';
import { bySource, examplesFromCsv, loadExamples, parseCsv, plainText, stratifiedFolds } from '../../src/moderation/classifier/dataset.ts';

describe('spam data set', () => {
  it('parses quoted CSV fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"\nthere']]);
  });

  it('turns the scraped HTML remnants into the plain text a reader would have typed', () => {
    expect(plainText('Tom &amp; Jerry&#39;s &lt;3<br />next\ufeff')).toBe("Tom & Jerry's <3\nnext");
  });

  it('reads labels from the CLASS column and remembers the source', () => {
    const csv = 'COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\n1,a,d,"buy now",1\n2,b,d,"nice song",0\n';
    expect(examplesFromCsv(csv, 'clip')).toEqual([
      { id: '1', text: 'buy now', spam: true, source: 'clip' },
      { id: '2', text: 'nice song', spam: false, source: 'clip' },
    ]);
  });

  it('loads all 700 labelled comments from two sources', () => {
    const examples = loadExamples();
    expect(examples).toHaveLength(700);
    expect(examples.filter((e) => e.spam)).toHaveLength(350);
    expect([...bySource(examples)].map(([source, group]) => [source, group.length])).toEqual([
      ['youtube-01-psy', 350],
      ['youtube-04-katyperry', 350],
    ]);
  });

  it('makes the same stratified folds whatever the order of the examples', () => {
    const examples = loadExamples();
    const ids = (folds: ReturnType<typeof stratifiedFolds>) => folds.map((f) => f.map((e) => e.id).sort());
    const folds = stratifiedFolds(examples, 5);
    expect(ids(folds)).toEqual(ids(stratifiedFolds([...examples].reverse(), 5)));
    for (const fold of folds) expect(fold.filter((e) => e.spam)).toHaveLength(70);
  });
});
