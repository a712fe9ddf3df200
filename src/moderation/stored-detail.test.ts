import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/index.ts';
import { importedReason, keyedReason, parseStoredDetail, storedDetail } from './model.ts';
import { whyHere } from './views.tsx';

// The pipeline's reasons as a catalog key and values (moderation_detail_values, migration 0029):
// English stays what the rules always wrote, the stored form reads back, and a moderator's queue
// says it in their language, or in the stored English for rows older than the column.

const en = createTranslator('en');
const fr = createTranslator('fr');
const NNBSP = '\u202f';

describe('reasons stored as a key and values', () => {
  it('keeps the English the rules wrote, and reads back what it stores', () => {
    const reason = keyedReason('suspect_word', 'moderation.detail.suspectWord', { term: 'idiot', found: 'IDIOT' });
    expect(reason.detail).toBe('Contains the suspect term "idiot" (as "IDIOT").');
    expect(parseStoredDetail(storedDetail(reason))).toEqual({ key: 'moderation.detail.suspectWord', values: { term: 'idiot', found: 'IDIOT' } });
    expect(storedDetail({ detailKey: undefined })).toBeNull();
    expect(importedReason('Disqus', 'spam').detail).toBe('Imported from Disqus (spam).');
    expect(importedReason('Disqus', null).detail).toBe('Imported from Disqus.');
  });

  it('ignores stored text that is not one of its own keys with plain values', () => {
    expect(parseStoredDetail(null)).toBeNull();
    expect(parseStoredDetail('not json')).toBeNull();
    expect(parseStoredDetail(JSON.stringify({ key: 'errors.internal', values: {} }))).toBeNull();
    expect(parseStoredDetail(JSON.stringify({ key: 'moderation.detail.nope', values: {} }))).toBeNull();
    expect(parseStoredDetail(JSON.stringify({ key: 'moderation.detail.reported', values: [3] }))).toBeNull();
    expect(parseStoredDetail(JSON.stringify({ key: 'moderation.detail.reported', values: { count: 3, extra: { x: 1 } } }))).toEqual({ key: 'moderation.detail.reported', values: { count: 3 } });
  });

  it('says why a comment waits in the moderator’s language, falling back to the stored English', () => {
    const reported = keyedReason('reported', 'moderation.detail.reported', { count: 3 });
    const item = { reason: { code: 'reported', detail: reported.detail, detailValues: parseStoredDetail(storedDetail(reported)), phase: 'reports' }, rejectionReason: null };
    expect(whyHere(en.t, item)).toBe('Reported by 3 readers');
    expect(whyHere(fr.t, item)).toBe('Signalé par 3 lecteurs');
    const spam = keyedReason('spam', 'moderation.detail.spam', { score: 0.8512, threshold: 0.7 });
    expect(spam.detail).toBe('Spam score 0.85 (holds at 0.7).');
    expect(whyHere(fr.t, { reason: { code: 'spam', detail: spam.detail, detailValues: parseStoredDetail(storedDetail(spam)), phase: 'spam-score' }, rejectionReason: null })).toBe(
      'Score de spam de 0,85 (retenu à partir de 0,7)',
    );
    const old = { reason: { code: 'suspect_word', detail: 'Contains the suspect term "idiot" (as "idiot").', detailValues: null, phase: 'suspect-words' }, rejectionReason: null };
    expect(whyHere(fr.t, old)).toBe('Contains the suspect term "idiot" (as "idiot")');
    const words = keyedReason('suspect_word', 'moderation.detail.suspectWord', { term: 'idiot', found: 'idiot' });
    expect(whyHere(fr.t, { ...old, reason: { ...old.reason, detailValues: parseStoredDetail(storedDetail(words)) } })).toBe(
      `Contient le terme suspect «${NNBSP}idiot${NNBSP}» (sous la forme «${NNBSP}idiot${NNBSP}»)`,
    );
  });
});
