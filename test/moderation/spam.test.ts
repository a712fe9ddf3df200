// The committed spam model, judged on comments from sources it was not trained on. If a change to the
// features, the training or the data lowers these figures, this fails; run `npm run eval:spam`, look,
// and only then think about the floors.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPAM_FIXTURES, loadExamples } from '../../src/moderation/classifier/dataset.ts';
import { featureVector } from '../../src/moderation/classifier/features.ts';
import { crossSourceFolds, serialiseModel, trainFromFixtures, worstFold } from '../../src/moderation/classifier/training.ts';
import { DEFAULT_MODERATION_SETTINGS } from '../../src/moderation/model.ts';
import { SPAM_MODEL, spamScore } from '../../src/moderation/spam.ts';

const MODEL_FILE = path.resolve(import.meta.dirname, '../../src/moderation/spam-model.json');
const lines = (file: string) => fs.readFileSync(path.join(SPAM_FIXTURES, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
const threshold = DEFAULT_MODERATION_SETTINGS.spamHoldThreshold;

describe('spam classifier across sources', () => {
  // Each fold trains weights and calibration on one video's comments and scores the other's.
  // Reached when written: worst fold at 0.7, precision 98.7% and recall 87.4%.
  const folds = crossSourceFolds(loadExamples(), [0.5, threshold]);

  it('has one fold per source, each scoring a source it was not trained on', () => {
    expect(folds.map((f) => f.heldOut)).toEqual([...new Set(loadExamples().map((e) => e.source))].sort());
    expect(folds.length).toBeGreaterThanOrEqual(2);
    for (const fold of folds) expect(fold.trainedOn).not.toContain(fold.heldOut);
  });

  it('keeps worst-fold precision ≥ 97% and recall ≥ 85% at the default hold threshold', () => {
    const worst = worstFold(folds, threshold);
    expect(worst.precision).toBeGreaterThanOrEqual(0.97);
    expect(worst.recall).toBeGreaterThanOrEqual(0.85);
  });

  it('is calibrated: on every fold, of the comments held at a threshold, at least that share is spam', () => {
    for (const fold of folds) for (const e of fold.evaluations) expect(e.precision).toBeGreaterThanOrEqual(e.threshold);
  });
});

describe('spam classifier on newsroom comments (never trained on)', () => {
  it('holds nothing of a normal comment with two links and a mention', () => {
    const text =
      "@maria_k the full report is here https://www.ons.gov.uk/economy/inflation and the council's reply is at https://www.leeds.gov.uk/news, worth reading both before deciding.";
    expect(spamScore(text)).toBeLessThan(threshold - 0.05);
  });

  it('leaves ordinary news comments, with and without links, well under the threshold', () => {
    const plain = lines('newsroom-legitimate.txt');
    const linked = lines('newsroom-legitimate-links.txt');
    expect(plain).toHaveLength(20);
    expect(linked.length).toBeGreaterThanOrEqual(14);
    for (const text of [...plain, ...linked]) expect(spamScore(text), text).toBeLessThan(threshold - 0.05);
  });

  it('still holds the spam posted under articles', () => {
    const held = lines('newsroom-spam.txt').filter((text) => spamScore(text) >= threshold);
    expect(held.length).toBeGreaterThanOrEqual(5);
  });

  it('takes time in proportion to the text, never its square (every pattern is bounded)', () => {
    // Each took 0.3–2 s with unbounded patterns; now a few milliseconds (the bound is for a busy machine).
    for (const text of ['1-'.repeat(5000), 'a.'.repeat(5000), 'ab-'.repeat(5000), 'www.'.repeat(3000), 'a@'.repeat(5000), 'I am a '.repeat(2000)]) {
      const started = performance.now();
      spamScore(text);
      expect(performance.now() - started, text.slice(0, 12)).toBeLessThan(500);
    }
  });

  it('gives a probability for any text', () => {
    for (const text of ['', '😀', 'a'.repeat(20_000), 'http://'.repeat(500), '@'.repeat(1000), '1-'.repeat(5000)]) {
      const score = spamScore(text);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });
});

describe('spam features', () => {
  const cues = (text: string) => [...featureVector(text, SPAM_MODEL.options.features).keys()].filter((f) => f.startsWith('cue:'));
  const words = (text: string) => [...featureVector(text, SPAM_MODEL.options.features).keys()].filter((f) => f.startsWith('w:'));

  it('takes links, addresses and numbers out of the words, so none is learnt as such', () => {
    const text = 'Mail me at jo@shop.example, call +44 20 7946 0958, see www.cheap-pills.biz/x?ref=12 or cheap . com for $50';
    expect(cues(text)).toEqual(expect.arrayContaining(['cue:email', 'cue:phone', 'cue:link', 'cue:link-tracking', 'cue:link-spelt', 'cue:money']));
    expect(words(text).join(' ')).not.toMatch(/cheap|pills|shop|biz|7946|50/);
  });

  it('does not read the end of a sentence as a host', () => {
    expect(cues('That is my opinion. It stands.')).not.toContain('cue:link-spelt');
    expect(cues('That is my opinion. It stands.')).not.toContain('cue:link');
  });

  it('counts "please" and "everyone" only with a link or self-promotion', () => {
    expect(cues('Please, everyone, read the whole piece before commenting.')).toEqual([]);
    expect(cues('Please everyone subscribe to my channel')).toEqual(expect.arrayContaining(['cue:subscribe', 'cue:self-promo', 'cue:promotion+appeal']));
  });

  it('tells the imperative "subscribe" from a reader talking about subscribing', () => {
    expect(cues('Subscribe to my channel')).toContain('cue:subscribe');
    expect(cues('Subscribing was worth it for this investigation alone.')).not.toContain('cue:subscribe');
    expect(cues('This piece made me subscribe again.')).not.toContain('cue:subscribe');
  });
});

describe('committed spam model', () => {
  it('is reproduced exactly by retraining, and stays small', () => {
    const committed = fs.readFileSync(MODEL_FILE, 'utf8');
    expect(serialiseModel(trainFromFixtures().model)).toBe(committed);
    expect(committed.length).toBeLessThan(30_000);
  });

  it('is calibrated on scores from other sources', () => {
    expect(SPAM_MODEL.trainedOn.sources).toEqual(['youtube-01-psy', 'youtube-04-katyperry']);
    expect(SPAM_MODEL.calibration.method).toBe('platt');
    expect(SPAM_MODEL.calibration.slope).toBeGreaterThan(0);
  });
});
