import { keyedReason, type Phase } from '../model.ts';

/** A reader's comments are held until a moderator has approved a set number of them. */
export const newReader: Phase = {
  name: 'new-reader',
  run({ author, settings }) {
    const needed = settings.newReaderHoldCount;
    if (needed <= 0 || author.approvedCount >= needed) return undefined;
    return {
      status: 'held',
      reason: keyedReason('new_reader', 'moderation.detail.newReader', { approved: author.approvedCount, needed }),
      tags: ['new_reader'],
    };
  },
};
