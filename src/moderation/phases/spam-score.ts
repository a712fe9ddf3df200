import { keyedReason, type Phase } from '../model.ts';

/** Every comment that gets this far gets a spam score; a high one holds it. The scorer is injected. */
export const spamScore: Phase = {
  name: 'spam-score',
  async run({ body, settings }, deps) {
    const score = await deps.spamScore(body);
    if (settings.spamHoldThreshold >= 1 || score < settings.spamHoldThreshold) return { spamScore: score };
    return {
      status: 'held',
      reason: keyedReason('spam', 'moderation.detail.spam', { score, threshold: settings.spamHoldThreshold }),
      spamScore: score,
    };
  },
};
