// A multinomial naive Bayes spam classifier, written out because it is forty lines: the npm packages
// that offer one bring a language model or database drivers with them (see src/moderation/README.md).
//
// With two classes, naive Bayes reduces to a sum: the log prior odds plus, for each feature in the
// text, log P(feature | spam) − log P(feature | legitimate). The model therefore stores one number per
// feature, and scoring a comment is a lookup per feature — no training data is kept at run time.
import type { Example } from './dataset.ts';
import { featureCounts, type FeatureOptions } from './features.ts';

export interface TrainingOptions {
  features: FeatureOptions;
  /** Count each feature once per comment ("boolean" naive Bayes), so one word repeated ten times does not shout. */
  binary: boolean;
  /** Laplace smoothing added to every feature count. */
  alpha: number;
  /** Features seen in fewer training comments than this are dropped: rare ones overfit and bloat the file. */
  minDocuments: number;
  /** Of the rest, keep only this many, those whose evidence is strongest either way. */
  maxFeatures: number;
}

export interface SpamModel {
  kind: 'multinomial-naive-bayes';
  options: TrainingOptions;
  trainedOn: { spam: number; legitimate: number };
  /** Log prior odds of spam. */
  bias: number;
  /** Per feature: log P(f | spam) − log P(f | legitimate), rounded to keep the file small. */
  weights: Record<string, number>;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function countsOf(text: string, options: TrainingOptions): Map<string, number> {
  const counts = featureCounts(text, options.features);
  if (options.binary) for (const key of counts.keys()) counts.set(key, 1);
  return counts;
}

export function trainSpamModel(examples: Example[], options: TrainingOptions): SpamModel {
  const documents = new Map<string, number>();
  const perClass = { spam: new Map<string, number>(), legitimate: new Map<string, number>() };
  for (const example of examples) {
    const target = example.spam ? perClass.spam : perClass.legitimate;
    for (const [feature, n] of countsOf(example.text, options)) {
      documents.set(feature, (documents.get(feature) ?? 0) + 1);
      target.set(feature, (target.get(feature) ?? 0) + n);
    }
  }
  const vocabulary = [...documents].filter(([, df]) => df >= options.minDocuments).map(([f]) => f);
  const total = (m: Map<string, number>) => vocabulary.reduce((sum, f) => sum + (m.get(f) ?? 0), 0);
  const denominator = {
    spam: total(perClass.spam) + options.alpha * vocabulary.length,
    legitimate: total(perClass.legitimate) + options.alpha * vocabulary.length,
  };
  const weighted = vocabulary.map((f) => {
    const spam = ((perClass.spam.get(f) ?? 0) + options.alpha) / denominator.spam;
    const legitimate = ((perClass.legitimate.get(f) ?? 0) + options.alpha) / denominator.legitimate;
    return { f, w: Math.log(spam) - Math.log(legitimate) };
  });
  // Strongest evidence first; ties broken by name so that training is deterministic.
  weighted.sort((a, b) => Math.abs(b.w) - Math.abs(a.w) || (a.f < b.f ? -1 : 1));
  const kept = weighted.slice(0, options.maxFeatures).sort((a, b) => (a.f < b.f ? -1 : 1));
  const spamCount = examples.filter((e) => e.spam).length;
  const legitimateCount = examples.length - spamCount;
  return {
    kind: 'multinomial-naive-bayes',
    options,
    trainedOn: { spam: spamCount, legitimate: legitimateCount },
    bias: round(Math.log((spamCount + 1) / (legitimateCount + 1))),
    weights: Object.fromEntries(kept.map(({ f, w }) => [f, round(w)])),
  };
}

/** The probability, by the model, that the text is spam: in [0, 1]. */
export function scoreWithModel(model: SpamModel, text: string): number {
  let logOdds = model.bias;
  for (const [feature, n] of countsOf(text, model.options)) {
    const weight = model.weights[feature];
    if (weight !== undefined) logOdds += n * weight;
  }
  return 1 / (1 + Math.exp(-logOdds));
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
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const example of examples) {
    const flagged = scoreWithModel(model, example.text) >= threshold;
    if (flagged && example.spam) tp++;
    else if (flagged) fp++;
    else if (example.spam) fn++;
    else tn++;
  }
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
