// Trains the spam classifier from test/fixtures/spam/*.csv and writes src/moderation/spam-model.json.
// Run: node bin/run-ts.js scripts/train-spam.ts
import fs from 'node:fs';
import path from 'node:path';
import { evaluate } from '../src/moderation/classifier/logistic-regression.ts';
import { serialiseModel, trainFromFixtures } from '../src/moderation/classifier/training.ts';
import { DEFAULT_MODERATION_SETTINGS } from '../src/moderation/model.ts';

const output = path.resolve(import.meta.dirname, '../src/moderation/spam-model.json');
const { model, train, heldOut } = trainFromFixtures();
const text = serialiseModel(model);
fs.writeFileSync(output, text);

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`trained on ${train.length} comments (${model.trainedOn.spam} spam), held out ${heldOut.length}`);
console.log(`${Object.keys(model.weights).length} features, ${text.length.toLocaleString('en-GB')} bytes → ${path.relative(process.cwd(), output)}`);
for (const threshold of [0.5, DEFAULT_MODERATION_SETTINGS.spamHoldThreshold, 0.9]) {
  const e = evaluate(model, heldOut, threshold);
  console.log(
    `held out, score ≥ ${threshold}: precision ${percent(e.precision)}, recall ${percent(e.recall)} ` +
      `(${e.truePositives} spam caught, ${e.falseNegatives} missed, ${e.falsePositives} legitimate held, ${e.trueNegatives} passed)`,
  );
}
