import { afterEach, describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/index.ts';
import { HttpError } from '../http/errors.ts';
import { sanctionRefusal, type Sanction } from './sanctions.ts';

// A suspension's end is a moment, not English text: each reader reads it in their language's form,
// in UTC with the zone named, whatever the server's own zone (issue 16).

const en = createTranslator('en');
const fr = createTranslator('fr');
const now = new Date('2031-03-01T12:00:00.000Z');
const suspension = (until: string): Sanction => ({ kind: 'suspend', until: new Date(until), reason: 'Cool off', acknowledgedAt: null, createdAt: now });
const zone = process.env.TZ;

afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('the refusal of a suspended reader', () => {
  it('carries the end as a date, said in each language', () => {
    const refused = sanctionRefusal(suspension('2031-03-05T09:05:00.000Z'), now)!;
    expect(refused.code).toBe('author_suspended');
    expect(refused.values?.until).toBeInstanceOf(Date);
    expect(refused.message).toBe('You are suspended from commenting until 5 March 2031 at 09:05 UTC.');
    const error = HttpError.translated(refused.status, refused.code, refused.key, refused.values);
    expect(error.messageIn(en)).toBe('You are suspended from commenting until 5 March 2031 at 09:05 UTC.');
    expect(error.messageIn(fr)).toBe('Votre droit de commenter est suspendu jusqu’au 5 mars 2031 à 09:05 UTC.');
  });

  it('reads the same day and hour whatever zone the server runs in', () => {
    // 23:30 UTC is already the next day in Auckland and still the same day in Los Angeles.
    for (const tz of ['Pacific/Auckland', 'America/Los_Angeles', 'UTC']) {
      process.env.TZ = tz;
      const refused = sanctionRefusal(suspension('2031-12-31T23:30:00.000Z'), now)!;
      expect(en.t(refused.key, refused.values), tz).toBe('You are suspended from commenting until 31 December 2031 at 23:30 UTC.');
      expect(fr.t(refused.key, refused.values), tz).toBe('Votre droit de commenter est suspendu jusqu’au 31 décembre 2031 à 23:30 UTC.');
    }
  });

  it('is no refusal once the suspension has ended', () => {
    expect(sanctionRefusal(suspension('2031-02-28T12:00:00.000Z'), now)).toBeNull();
  });
});
