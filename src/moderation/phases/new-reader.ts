import type { Phase } from '../model.ts';

/** A reader's comments are held until a moderator has approved a set number of them. */
export const newReader: Phase = {
  name: 'new-reader',
  run({ author, settings }) {
    const needed = settings.newReaderHoldCount;
    if (needed <= 0 || author.approvedCount >= needed) return undefined;
    return {
      status: 'held',
      reason: { code: 'new_reader', detail: `The author has ${author.approvedCount} approved comments; comments are held until ${needed}.` },
      tags: ['new_reader'],
    };
  },
};
