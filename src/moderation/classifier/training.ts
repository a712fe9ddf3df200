// How the committed spam model is made and judged. scripts/train-spam.ts writes the result to
// src/moderation/spam-model.json; test/moderation/spam.test.ts checks that doing it again gives the
// same file, so the model never drifts from the code that scores with it.
//
// Judged across sources, never within one: comments collected under one page share its topic, its
// regulars and its spam campaigns, so a split of one file flatters any model that learns them. Each
// fold trains (weights and calibration) on every file but one and scores the file left out.
import { bySource, loadExamples, stratifiedFolds, type Example } from './dataset.ts';
import { fitPlatt } from './calibration.ts';
import { evaluateScores, exampleVector, rawScore, scoreWithModel, trainWeights, type Evaluation, type SpamModel, type TrainingOptions } from './logistic-regression.ts';

/**
 * Chosen by the cross-source folds below, and by the check that ordinary news comments, with and
 * without links, stay well below the hold threshold (test/fixtures/spam/newsroom-*.txt). Words weigh
 * little next to the cues (wordWeight) and their penalty is strong: the words of two music videos'
 * comment sections say more about the videos than about spam (more word weight, or character
 * n-grams, raised recall within a video and lowered precision on the other). Length cues were tried
 * and dropped: YouTube's legitimate comments are short, a newspaper's are not.
 *
 * `maxWeights` says what the collection cannot teach. Nearly every link in it that is not to a video
 * is spam, so a plain link learns a weight that holds any reader citing a source; capped, a link
 * counts only with what comes with it. Mentions are almost absent from the collection; answering
 * another reader by name is conversation, so a mention counts a little against spam.
 */
export const TRAINING_OPTIONS: TrainingOptions = {
  features: { wordWeight: 1 },
  minDocuments: 3,
  l2: 0.003,
  cueL2: 0.001,
  learningRate: 1,
  iterations: 500,
  maxFeatures: 800,
  maxWeights: { 'cue:link': 0.85, 'cue:mention': -0.35, 'cue:link-video': 0 },
};

/** Inner folds for calibration when the training data comes from one source only. */
const CALIBRATION_FOLDS = 5;

/**
 * Raw scores of every example by weights trained without it: by source when there are several (the
 * scores then look like those of a new site's comments), otherwise by stratified folds.
 */
export function outOfFoldScores(examples: Example[], options: TrainingOptions): Array<{ raw: number; spam: boolean }> {
  const sources = bySource(examples);
  const folds = sources.size > 1 ? [...sources.values()] : stratifiedFolds(examples, CALIBRATION_FOLDS);
  return folds.flatMap((fold) => {
    const held = new Set(fold);
    const weights = trainWeights(
      examples.filter((e) => !held.has(e)),
      options,
    );
    return fold.map((e) => ({ raw: rawScore(weights, exampleVector(e, options.features)), spam: e.spam }));
  });
}

export function trainSpamModel(examples: Example[], options: TrainingOptions = TRAINING_OPTIONS): SpamModel {
  return { ...trainWeights(examples, options), calibration: fitPlatt(outOfFoldScores(examples, options)) };
}

export function trainFromFixtures(dir?: string): { model: SpamModel; examples: Example[] } {
  const examples = loadExamples(dir);
  return { model: trainSpamModel(examples), examples };
}

export interface SourceFold {
  /** The file scored, which neither the weights nor the calibration saw. */
  heldOut: string;
  trainedOn: string[];
  evaluations: Evaluation[];
  /** Every comment of the held-out file with its calibrated score, to check the calibration. */
  scored: Array<{ spam: boolean; score: number }>;
}

/** Leave one source out, every way round: one fold per file, evaluated at each threshold. */
export function crossSourceFolds(examples: Example[], thresholds: number[], options: TrainingOptions = TRAINING_OPTIONS): SourceFold[] {
  const sources = bySource(examples);
  if (sources.size < 2) throw new Error('cross-source evaluation needs comments from at least two sources');
  return [...sources].map(([heldOut, test]) => {
    const model = trainSpamModel(
      examples.filter((e) => e.source !== heldOut),
      options,
    );
    const scored = test.map((e) => ({ spam: e.spam, score: scoreWithModel(model, exampleVector(e, options.features)) }));
    return { heldOut, trainedOn: model.trainedOn.sources, evaluations: thresholds.map((t) => evaluateScores(scored, t)), scored };
  });
}

/** The worst figures over the folds at a threshold: the lowest precision and the lowest recall, each from whichever fold did worst. */
export function worstFold(folds: SourceFold[], threshold: number): { precision: number; recall: number } {
  const at = folds.map((f) => f.evaluations.find((e) => e.threshold === threshold)!);
  return { precision: Math.min(...at.map((e) => e.precision)), recall: Math.min(...at.map((e) => e.recall)) };
}

/** The model as committed: stable key order and one feature per line, so a retrained model diffs readably. */
export function serialiseModel(model: SpamModel): string {
  const { weights, ...rest } = model;
  const head = JSON.stringify(rest, null, 2).replace(/\n}$/, '');
  const lines = Object.keys(weights)
    .sort()
    .map((f) => `    ${JSON.stringify(f)}: ${weights[f]}`);
  return `${head},\n  "weights": {\n${lines.join(',\n')}\n  }\n}\n`;
}
