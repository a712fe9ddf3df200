import { describe, expect, test } from 'vitest';
import { CommandRefused } from '../events/command.ts';
import { asHttpError, HttpError } from '../http/errors.ts';
import { KeyedError, listIn, sayIn } from './keyed-error.ts';
import { createTranslator } from './translator.ts';

// A refusal made of several catalog messages (issue 16): each is said in the reader's language and
// the list is joined as that language lists things, never as English pasted into a sentence.

const en = createTranslator('en');
const fr = createTranslator('fr');
const NBSP = '\u00a0';

const problems = [
  { key: 'errors.settings.range', values: { key: 'editWindowMinutes', min: 0, max: 1440 } },
  { key: 'errors.settings.unknown', values: { key: 'nope' } },
  { key: 'errors.settings.bool', values: { key: 'holdLinks' } },
] as const;

class TestRefused extends CommandRefused {}

describe('keyed errors with parts', () => {
  test('a list of problems reads as one sentence in each language, English in `message`', () => {
    const error = new KeyedError({ key: 'errors.settings.several', parts: { problems } });
    expect(error.message).toBe('Nothing was saved: editWindowMinutes must be from 0 to 1440, nope is not a setting and holdLinks must be true or false.');
    expect(error.messageIn(fr)).toBe(
      `Rien n’a été enregistré${NBSP}: editWindowMinutes doit être compris entre 0 et 1${'\u202f'}440, nope n’est pas un réglage et holdLinks doit valoir true ou false.`,
    );
  });

  test('two items are joined by the conjunction alone; one item is itself', () => {
    expect(listIn(en, problems.slice(0, 2))).toBe('editWindowMinutes must be from 0 to 1440 and nope is not a setting');
    expect(listIn(fr, problems.slice(1, 3))).toBe('nope n’est pas un réglage et holdLinks doit valoir true ou false');
    expect(listIn(fr, problems.slice(1, 2))).toBe('nope n’est pas un réglage');
  });

  test('the pseudo-locale frames every item and accents the glue, so no English is left outside the frames', () => {
    const said = listIn(createTranslator('en-XA'), problems.slice(0, 2));
    expect(said).toMatch(/^⟦.*⟧ àñđ ⟦.*⟧$/);
    expect(said.replace(/⟦[^⟧]*⟧/g, ' ')).not.toMatch(/[A-Za-z]{2,}/);
  });

  test('a single part is said in the language of the sentence around it', () => {
    const message = { key: 'errors.sso.invalidName', parts: { problem: { key: 'accounts.problem.nameNoLetter' } } } as const;
    expect(sayIn(en, message)).toBe('The display name in the sign-in token cannot be used: A display name needs at least one letter or digit.');
    expect(sayIn(fr, message)).toBe(`Le nom d’affichage du jeton de connexion n’est pas utilisable${NBSP}: Un nom d’affichage doit contenir au moins une lettre ou un chiffre.`);
  });

  test('a refusal keeps its parts when it becomes the HTTP answer', () => {
    const refused = new TestRefused(400, 'invalid_settings', { key: 'errors.settings.several', parts: { problems: problems.slice(0, 2) } });
    const http = asHttpError(refused) as HttpError;
    expect(http).toBeInstanceOf(HttpError);
    expect(http.code).toBe('invalid_settings');
    expect(http.statusCode).toBe(400);
    expect(http.message).toBe(refused.message);
    expect(http.messageIn(fr)).toBe(`Rien n’a été enregistré${NBSP}: editWindowMinutes doit être compris entre 0 et 1${'\u202f'}440 et nope n’est pas un réglage.`);
  });

  test('plain English and plain keyed errors are as before', () => {
    expect(new KeyedError('Just English.').messageIn(fr)).toBe('Just English.');
    const keyed = HttpError.translated(403, 'own_account', 'errors.admin.ownRole');
    expect(keyed.words).toEqual({ key: 'errors.admin.ownRole', values: undefined, parts: undefined });
    expect(keyed.messageIn(fr)).toBe(fr.t('errors.admin.ownRole'));
  });
});
