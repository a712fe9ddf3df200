// The spam classifier: logistic regression over a comment's words and character trigrams, trained by
// plain batch gradient descent. Written out because it is sixty lines and the npm packages that offer
// a text classifier bring a language model or database drivers with them (see ../README.md).
//
// Why not naive Bayes, the textbook choice: it was tried first, and it scored ordinary newsroom
// comments ("The council vote deserves more coverage") as certain spam, because the collection's
// legitimate comments are all short remarks about two music videos and naive Bayes is confident
// about whatever is unfamiliar. Regularised logistic regression on length-normalised features gives
// unfamiliar text a middling score instead, and holds out as well on the collection itself.
import type { Example } from './dataset.ts';
import { featureCounts, type FeatureOptions } from './features.ts';

export interface TrainingOptions {
  features: FeatureOptions;
  /** Features seen in fewer training comments than this are left out: rare ones overfit. */
  minDocuments: number;
  /** L2 penalty on the weights: keeps any single word from deciding alone. */
  l2: number;
  learningRate: number;
  iterations: number;
  /** Of the learnt weights, keep only this many, the largest either way, to keep the file small. */
  maxFeatures: number;
}

export interface SpamModel {
  kind: 'logistic-regression';
  options: TrainingOptions;
  trainedOn: { spam: number; legitimate: number };
  bias: number;
  /** One weight per feature, rounded to keep the file small; positive means spam. */
  weights: Record<string, number>;
}

/**
 * Each feature the text has counts once, and the vector has unit length, so a long comment does not
 * pile up evidence just by being long.
 */
function featureVector(text: string, options: FeatureOptions): Array<[string, number]> {
  const features = [...featureCounts(text, options).keys()];
  const value = 1 / Math.sqrt(features.length || 1);
  return features.map((f) => [f, value]);
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const round = (x: number) => Math.round(x * 1000) / 1000;

export function trainSpamModel(examples: Example[], options: TrainingOptions): SpamModel {
  const vectors = examples.map((e) => featureVector(e.text, options.features));
  const documents = new Map<string, number>();
  for (const vector of vectors) for (const [f] of vector) documents.set(f, (documents.get(f) ?? 0) + 1);
  const index = new Map<string, number>();
  for (const [f, n] of documents) if (n >= options.minDocuments) index.set(f, index.size);
  const rows = vectors.map((v) => v.filter(([f]) => index.has(f)).map(([f, x]) => [index.get(f)!, x] as const));
  const labels = examples.map((e) => (e.spam ? 1 : 0));

  // Batch gradient descent from zero: no randomness, so the same data always gives the same model.
  const weights = new Float64Array(index.size);
  let bias = 0;
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const gradient = new Float64Array(index.size);
    let biasGradient = 0;
    rows.forEach((row, i) => {
      let z = bias;
      for (const [j, x] of row) z += weights[j] * x;
      const error = sigmoid(z) - labels[i];
      biasGradient += error;
      for (const [j, x] of row) gradient[j] += error * x;
    });
    for (let j = 0; j < weights.length; j++) weights[j] -= options.learningRate * (gradient[j] / rows.length + options.l2 * weights[j]);
    bias -= (options.learningRate * biasGradient) / rows.length;
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
    trainedOn: { spam, legitimate: labels.length - spam },
    bias: round(bias),
    weights: Object.fromEntries(kept.map(({ f, w }) => [f, w])),
  };
}

/** The probability, by the model, that the text is spam: in [0, 1]. */
export function scoreWithModel(model: SpamModel, text: string): number {
  let z = model.bias;
  for (const [f, x] of featureVector(text, model.options.features)) z += (model.weights[f] ?? 0) * x;
  return sigmoid(z);
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
  const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const example of examples) {
    const flagged = scoreWithModel(model, example.text) >= threshold;
    counts[flagged ? (example.spam ? 'tp' : 'fp') : example.spam ? 'fn' : 'tn']++;
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
