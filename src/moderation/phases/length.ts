import { characterCount, keyedReason, type Phase } from '../model.ts';

/** Empty and overlong comments are refused before anything else looks at them. */
export const length: Phase = {
  name: 'length',
  run({ body, settings }) {
    const count = characterCount(body);
    if (count < settings.minLength) {
      return { status: 'rejected', reason: keyedReason('too_short', 'moderation.detail.tooShort', { count, min: settings.minLength }) };
    }
    if (count > settings.maxLength) {
      return { status: 'rejected', reason: keyedReason('too_long', 'moderation.detail.tooLong', { count, max: settings.maxLength }) };
    }
    return undefined;
  },
};
