// The spam classifier: L2-regularised logistic regression over the cues and words of a comment
// (features.ts), trained by plain batch gradient descent, and a calibration (calibration.ts) that
// turns its raw score into the probability the hold threshold is compared with. Written out because
// it is a hundred lines and the npm packages that offer a text classifier bring a language model or
// database drivers with them (see ../README.md).
//
// Why not naive Bayes, the textbook choice: it was tried first, and it scored ordinary newsroom
// comments as certain spam, because the collection's legitimate comments are all short remarks about
// music videos and naive Bayes is confident about whatever is unfamiliar.
import type { Example } from './dataset.ts';
import { featureVector, type FeatureOptions } from './features.ts';
import { applyCalibration, type Calibration } from './calibration.ts';

export interface TrainingOptions {
  features: FeatureOptions;
  /** Words seen in fewer training comments than this are left out: rare ones are names and in-jokes. */
  minDocuments: number;
  /** L2 penalty on the word weights: keeps any single word from deciding alone. */
  l2: number;
  /** L2 penalty on the cue weights, lighter: cues are few, and meant to carry the decision. */
  cueL2: number;
  learningRate: number;
  iterations: number;
  /** Of the learnt weights, keep only this many, the largest either way, to keep the file small. */
  maxFeatures: number;
  /**
   * Upper bounds on the weight of some features: what the training data cannot teach. In the
   * collection nearly every link off the video's page is spam, but under an article readers cite
   * sources and answer each other, so a link alone, or a mention, may only count for so much.
   */
  maxWeights: Record<string, number>;
}

export interface SpamModel {
  kind: 'logistic-regression';
  options: TrainingOptions;
  trainedOn: { spam: number; legitimate: number; sources: string[] };
  bias: number;
  /** One weight per feature, rounded to keep the file small; positive means spam. */
  weights: Record<string, number>;
  /** Maps the raw score to a probability; learnt on comments the weights were not trained on. */
  calibration: Calibration;
}

export type UncalibratedModel = Omit<SpamModel, 'calibration'>;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Feature vectors of training examples, kept while the examples live: cross-validation trains a dozen
 * times on overlapping sets, and reading the text is most of the cost.
 */
const vectorCache = new WeakMap<Example, { key: string; vector: Map<string, number> }>();

export function exampleVector(example: Example, features: FeatureOptions): Map<string, number> {
  const key = JSON.stringify(features);
  const cached = vectorCache.get(example);
  if (cached?.key === key) return cached.vector;
  const vector = featureVector(example.text, features);
  vectorCache.set(example, { key, vector });
  return vector;
}

export function trainWeights(examples: Example[], options: TrainingOptions): UncalibratedModel {
  const vectors = examples.map((e) => exampleVector(e, options.features));
  const documents = new Map<string, number>();
  for (const vector of vectors) for (const f of vector.keys()) documents.set(f, (documents.get(f) ?? 0) + 1);
  const index = new Map<string, number>();
  for (const f of [...documents.keys()].sort()) {
    if (f.startsWith('cue:') || documents.get(f)! >= options.minDocuments) index.set(f, index.size);
  }
  // The rows packed into flat typed arrays (row i is offsets[i] … offsets[i + 1]): the loop below runs
  // hundreds of times over every row, and array-of-tuples access was most of the training time.
  const offsets = new Int32Array(vectors.length + 1);
  const columns: number[] = [];
  const values: number[] = [];
  vectors.forEach((v, i) => {
    for (const [f, x] of v) {
      const j = index.get(f);
      if (j !== undefined) columns.push(j), values.push(x);
    }
    offsets[i + 1] = columns.length;
  });
  const column = Int32Array.from(columns);
  const value = Float64Array.from(values);
  const labels = examples.map((e) => (e.spam ? 1 : 0));

  // Batch gradient descent from zero: no randomness, so the same data always gives the same model.
  const weights = new Float64Array(index.size);
  const penalties = Float64Array.from([...index.keys()], (f) => (f.startsWith('cue:') ? options.cueL2 : options.l2));
  const caps = [...index].filter(([f]) => f in options.maxWeights).map(([f, j]) => [j, options.maxWeights[f]] as const);
  const gradient = new Float64Array(index.size);
  let bias = 0;
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    gradient.fill(0);
    let biasGradient = 0;
    for (let i = 0; i < labels.length; i++) {
      let z = bias;
      for (let k = offsets[i]; k < offsets[i + 1]; k++) z += weights[column[k]] * value[k];
      const error = sigmoid(z) - labels[i];
      biasGradient += error;
      for (let k = offsets[i]; k < offsets[i + 1]; k++) gradient[column[k]] += error * value[k];
    }
    for (let j = 0; j < weights.length; j++) weights[j] -= options.learningRate * (gradient[j] / labels.length + penalties[j] * weights[j]);
    bias -= (options.learningRate * biasGradient) / labels.length;
    for (const [j, cap] of caps) weights[j] = Math.min(weights[j], cap);
  }

  // Largest weights first, ties by name so that training is deterministic; stored in name order.
  const kept = [...index]
    .map(([f, j]) => ({ f, w: round(weights[j]) }))
    .filter(({ w }) => w !== 0)
    .sort((a, b) => Math.abs(b.w) - Math.abs(a.w) || (a.f < b.f ? -1 : 1))
    .slice(0, options.maxFeatures)
    .sort((a, b) => (a.f < b.f ? -1 : 1));
  const spam = labels.filter((l) => l === 1).length;
  return {
    kind: 'logistic-regression',
    options,
    trainedOn: { spam, legitimate: labels.length - spam, sources: [...new Set(examples.map((e) => e.source))].sort() },
    bias: round(bias),
    weights: Object.fromEntries(kept.map(({ f, w }) => [f, w])),
  };
}

/** The model's raw log-odds for the text (or its feature vector), before calibration. */
export function rawScore(model: UncalibratedModel, text: string | Map<string, number>): number {
  let z = model.bias;
  for (const [f, x] of typeof text === 'string' ? featureVector(text, model.options.features) : text) z += (model.weights[f] ?? 0) * x;
  return z;
}

/** The probability, by the model, that the text is spam: in [0, 1]. */
export function scoreWithModel(model: SpamModel, text: string | Map<string, number>): number {
  return applyCalibration(model.calibration, rawScore(model, text));
}

export interface Evaluation {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
}

/** Precision and recall when every comment scoring at or above the threshold is called spam. */
export function evaluate(model: SpamModel, examples: Example[], threshold: number): Evaluation {
  return evaluateScores(
    examples.map((e) => ({ spam: e.spam, score: scoreWithModel(model, e.text) })),
    threshold,
  );
}

export function evaluateScores(scored: Array<{ spam: boolean; score: number }>, threshold: number): Evaluation {
  const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const { spam, score } of scored) {
    const flagged = score >= threshold;
    counts[flagged ? (spam ? 'tp' : 'fp') : spam ? 'fn' : 'tn']++;
  }
  const { tp, fp, fn, tn } = counts;
  return {
    threshold,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: tn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  };
}
