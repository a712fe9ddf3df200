import { characterCount, type Phase } from '../model.ts';

/** Empty and overlong comments are refused before anything else looks at them. */
export const length: Phase = {
  name: 'length',
  run({ body, settings }) {
    const count = characterCount(body);
    if (count < settings.minLength) {
      return { status: 'rejected', reason: { code: 'too_short', detail: `${count} characters; the shortest allowed is ${settings.minLength}.` } };
    }
    if (count > settings.maxLength) {
      return { status: 'rejected', reason: { code: 'too_long', detail: `${count} characters; the longest allowed is ${settings.maxLength}.` } };
    }
    return undefined;
  },
};
