import { describe, expect, it } from 'vitest';
import { examplesFromCsv, loadExamples, parseCsv, plainText, splitExamples } from '../../src/moderation/classifier/dataset.ts';

describe('spam data set', () => {
  it('parses quoted CSV fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"\nthere']]);
  });

  it('turns the scraped HTML remnants into the plain text a reader would have typed', () => {
    expect(plainText('Tom &amp; Jerry&#39;s &lt;3<br />next\ufeff')).toBe("Tom & Jerry's <3\nnext");
  });

  it('reads labels from the CLASS column', () => {
    const csv = 'COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\n1,a,d,"buy now",1\n2,b,d,"nice song",0\n';
    expect(examplesFromCsv(csv)).toEqual([
      { id: '1', text: 'buy now', spam: true },
      { id: '2', text: 'nice song', spam: false },
    ]);
  });

  it('loads all 700 labelled comments and splits them the same way every time', () => {
    const examples = loadExamples();
    expect(examples).toHaveLength(700);
    expect(examples.filter((e) => e.spam)).toHaveLength(350);
    const ids = (s: ReturnType<typeof splitExamples>) => s.heldOut.map((e) => e.id);
    expect(ids(splitExamples(examples))).toEqual(ids(splitExamples([...examples].reverse())));
    expect(ids(splitExamples(examples, 1))).not.toEqual(ids(splitExamples(examples)));
  });
});
