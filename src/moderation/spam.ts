// The spam score the pipeline uses: the committed model (spam-model.json, made by
// scripts/train-spam.ts) applied to a comment's text. Loaded once, when this module is first imported.
import committed from './spam-model.json' with { type: 'json' };
import { scoreWithModel, type SpamModel } from './classifier/logistic-regression.ts';

function checked(model: unknown): SpamModel {
  const m = model as SpamModel;
  if (m?.kind !== 'logistic-regression' || typeof m.bias !== 'number' || typeof m.weights !== 'object' || typeof m.calibration?.slope !== 'number') {
    throw new Error('src/moderation/spam-model.json is not a spam model: run node bin/run-ts.js scripts/train-spam.ts');
  }
  return m;
}

export const SPAM_MODEL: SpamModel = checked(committed);

/** The probability, 0–1, that the text is spam, by the committed model, calibrated on comments from other sources. */
export function spamScore(text: string): number {
  return scoreWithModel(SPAM_MODEL, text);
}
