import { describe, expect, it } from 'vitest';
import { keyedResult } from './recording.ts';

// A check written against a Translator (siteProblem, webhookUrlProblem) run once in English, its
// message remembered so a refusal can be said again in each reader's language.

describe('keyedResult', () => {
  it('remembers the message the check returned, not the ones it formatted for values', () => {
    const found = keyedResult(({ t }) => t('errors.sites.noSiteWithKey', { key: t('errors.notFound') }));
    expect(found).toEqual({ english: 'There is no site with the key “There is nothing at this address.”.', key: 'errors.sites.noSiteWithKey', values: { key: 'There is nothing at this address.' } });
  });

  it('is null when the check finds nothing, and keeps words that are not from the catalogs as English only', () => {
    expect(keyedResult(() => null)).toBeNull();
    expect(keyedResult(() => 'Something else.')).toEqual({ english: 'Something else.' });
  });
});
