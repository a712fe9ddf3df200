// The committed spam model, checked against the data it was made from. If a change to the features,
// the training or the data lowers these figures, this fails; retrain and look before lowering them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPAM_FIXTURES } from '../../src/moderation/classifier/dataset.ts';
import { evaluate } from '../../src/moderation/classifier/logistic-regression.ts';
import { serialiseModel, trainFromFixtures } from '../../src/moderation/classifier/training.ts';
import { DEFAULT_MODERATION_SETTINGS } from '../../src/moderation/model.ts';
import { SPAM_MODEL, spamScore } from '../../src/moderation/spam.ts';

const MODEL_FILE = path.resolve(import.meta.dirname, '../../src/moderation/spam-model.json');
const lines = (file: string) => fs.readFileSync(path.join(SPAM_FIXTURES, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
const threshold = DEFAULT_MODERATION_SETTINGS.spamHoldThreshold;

describe('spam classifier', () => {
  const { heldOut, train } = trainFromFixtures();

  it('holds out a fifth of each class', () => {
    expect(heldOut).toHaveLength(140);
    expect(heldOut.filter((e) => e.spam)).toHaveLength(70);
    const trained = new Set(train.map((e) => e.id));
    expect(heldOut.filter((e) => trained.has(e.id))).toEqual([]);
  });

  // Reached by the committed model: at 0.7, precision 100% and recall 78.6% (55 of 70);
  // at 0.5, precision 100% and recall 91.4% (64 of 70). The floors leave room for one or two comments.
  it('keeps its held-out precision and recall at the default hold threshold', () => {
    const e = evaluate(SPAM_MODEL, heldOut, threshold);
    expect(e.precision).toBeGreaterThanOrEqual(0.97);
    expect(e.recall).toBeGreaterThanOrEqual(0.75);
  });

  it('keeps its held-out precision and recall at an even-odds threshold', () => {
    const e = evaluate(SPAM_MODEL, heldOut, 0.5);
    expect(e.precision).toBeGreaterThanOrEqual(0.97);
    expect(e.recall).toBeGreaterThanOrEqual(0.88);
  });

  it('leaves ordinary news comments, which it never trained on, well under the threshold', () => {
    const scores = lines('newsroom-legitimate.txt').map(spamScore);
    expect(scores).toHaveLength(20);
    expect(Math.max(...scores)).toBeLessThan(threshold - 0.05);
  });

  it('still holds most spam of the kind posted under articles', () => {
    const held = lines('newsroom-spam.txt').filter((text) => spamScore(text) >= threshold);
    expect(held.length).toBeGreaterThanOrEqual(4);
  });

  it('gives a probability for any text', () => {
    for (const text of ['', '😀', 'a'.repeat(20_000), 'http://'.repeat(500)]) {
      const score = spamScore(text);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });

  it('is reproduced exactly by retraining, and stays small', () => {
    const committed = fs.readFileSync(MODEL_FILE, 'utf8');
    expect(serialiseModel(trainFromFixtures().model)).toBe(committed);
    expect(committed.length).toBeLessThan(30_000);
  });
});
