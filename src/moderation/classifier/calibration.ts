// Platt scaling: the probability that a comment is spam is sigmoid(slope × raw + intercept), with the
// two numbers fitted on raw scores of comments the weights were NOT trained on (training.ts gets them
// by cross-validation, across sources when there are several). A regularised model's raw scores are
// too timid on its own data and too bold on a new site's; fitted this way, "holds at 0.7" means that
// of the comments scoring 0.7, about seven in ten were spam on comments from elsewhere.

export interface Calibration {
  method: 'platt';
  slope: number;
  intercept: number;
}

export const IDENTITY_CALIBRATION: Calibration = { method: 'platt', slope: 1, intercept: 0 };

export function applyCalibration(calibration: Calibration, raw: number): number {
  return 1 / (1 + Math.exp(-(calibration.slope * raw + calibration.intercept)));
}

/**
 * Fits slope and intercept by Newton's method on the log-loss, with Platt's smoothed targets
 * ((n₊ + 1) / (n₊ + 2) rather than 1) so that a perfectly separated sample does not give an infinite
 * slope. Deterministic: starts from the same point and takes the same steps every time.
 */
export function fitPlatt(scored: Array<{ raw: number; spam: boolean }>): Calibration {
  const positives = scored.filter((s) => s.spam).length;
  const negatives = scored.length - positives;
  const high = (positives + 1) / (positives + 2);
  const low = 1 / (negatives + 2);
  let slope = 1;
  let intercept = Math.log((positives + 1) / (negatives + 1));
  for (let step = 0; step < 100; step++) {
    // Gradient and Hessian of the log-loss in (slope, intercept), with a small ridge for stability.
    let gA = 0;
    let gB = 0;
    let hAA = 1e-9;
    let hAB = 0;
    let hBB = 1e-9;
    for (const { raw, spam } of scored) {
      const p = 1 / (1 + Math.exp(-(slope * raw + intercept)));
      const t = spam ? high : low;
      const d = p - t;
      const w = p * (1 - p);
      gA += d * raw;
      gB += d;
      hAA += w * raw * raw;
      hAB += w * raw;
      hBB += w;
    }
    const det = hAA * hBB - hAB * hAB;
    if (!(det > 0)) break;
    const dA = (hBB * gA - hAB * gB) / det;
    const dB = (hAA * gB - hAB * gA) / det;
    slope -= dA;
    intercept -= dB;
    if (Math.abs(dA) < 1e-10 && Math.abs(dB) < 1e-10) break;
  }
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return { method: 'platt', slope: round(slope), intercept: round(intercept) };
}
