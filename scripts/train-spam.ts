// Trains the spam classifier from test/fixtures/spam/*.csv and writes src/moderation/spam-model.json
// (deterministic: the same data and code give the same file byte for byte).
// Run: node bin/run-ts.js scripts/train-spam.ts   (the per-source figures: npm run eval:spam)
import fs from 'node:fs';
import path from 'node:path';
import { serialiseModel, trainFromFixtures } from '../src/moderation/classifier/training.ts';

const output = path.resolve(import.meta.dirname, '../src/moderation/spam-model.json');
const { model, examples } = trainFromFixtures();
const text = serialiseModel(model);
fs.writeFileSync(output, text);

console.log(`trained on ${examples.length} comments (${model.trainedOn.spam} spam) from ${model.trainedOn.sources.join(', ')}`);
console.log(`calibration: slope ${model.calibration.slope}, intercept ${model.calibration.intercept} (fitted on scores across sources)`);
console.log(`${Object.keys(model.weights).length} weights, ${text.length.toLocaleString('en-GB')} bytes → ${path.relative(process.cwd(), output)}`);
