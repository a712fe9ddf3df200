import { keyedReason, type Phase } from '../model.ts';

/**
 * A comment several readers have reported goes back to the queue when it is edited: otherwise an
 * author could swap reported text for new text and keep it up without a moderator seeing either.
 */
export const reports: Phase = {
  name: 'reports',
  run({ reportCount, settings }) {
    const threshold = settings.reportHoldThreshold;
    if (threshold <= 0 || reportCount < threshold) return undefined;
    return { status: 'held', reason: keyedReason('reported', 'moderation.detail.reported', { count: reportCount }) };
  },
};
