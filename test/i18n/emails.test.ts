import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyEmailMail } from '../../src/accounts/emails.ts';
import { kindLabel, notificationSentence } from '../../src/community/notification-text.ts';
import { createTranslator } from '../../src/i18n/index.ts';
import { mailTo, registerReader, tokenIn } from '../accounts/helpers.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { createTestUser, signedInClient } from '../helpers/users.ts';

// The English text as it was before the catalogs: converting must not change a word of it.
const englishVerification = (link: string) =>
  'Welcome! Please confirm that this address is yours.\n\n' +
  `Open this link to confirm it:\n${link}\n\n` +
  'The link works once and for 48 hours. If you did not ask for this, ignore this mail.' +
  '\n\n— Parley\nYou receive this because someone entered this address on Parley.';

describe('mail words from the catalogs', () => {
  test('the English verification mail is word for word what it was', () => {
    const mail = verifyEmailMail(createTranslator('en'), 'a@example.com', 'http://x.test/verify-email?token=t', 'Parley', false);
    expect(mail.subject).toBe('Confirm your e-mail address for Parley');
    expect(mail.text).toBe(englishVerification('http://x.test/verify-email?token=t'));
    expect(verifyEmailMail(createTranslator('en'), 'a@example.com', 'l', 'Parley', true).subject).toBe('Confirm your new e-mail address for Parley');
  });

  test('notification sentences: English as before, French with its own quotes and counts', () => {
    const reaction = { kind: 'reaction', actorName: 'Ann', actorCount: 3, headline: 'Rain' };
    expect(notificationSentence(reaction)).toBe('3 people respected your comment on “Rain”.');
    expect(notificationSentence({ ...reaction, actorCount: 1, headline: null })).toBe('Ann respected your comment.');
    expect(notificationSentence({ ...reaction, kind: 'reply', actorName: null })).toBe('A reader who has left replied to your comment on “Rain”.');
    const fr = createTranslator('fr');
    expect(notificationSentence(reaction, fr)).toBe('3 personnes ont salué votre commentaire sur «\u00a0Rain\u00a0».');
    expect(notificationSentence({ ...reaction, kind: 'reply', actorName: null, headline: null }, fr)).toBe('Un lecteur qui a quitté le site a répondu à votre commentaire.');
    expect(kindLabel('new_follower', fr)).toBe('Nouveaux abonnés');
  });
});

describe.each(dialects)('mails in the recipient’s language (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(() => app.close());

  // No settings page for the language yet: the preference is set as that page will set it.
  async function setLocale(email: string, locale: string | null) {
    const result = await app.ctx.db.kysely.updateTable('users').set({ locale }).where('email', '=', email).executeTakeFirstOrThrow();
    expect(Number(result.numUpdatedRows)).toBe(1);
  }

  test('a reader who chose French gets the verification mail in French; an English reader’s is unchanged', async () => {
    const english = await registerReader(app);
    const englishMail = await mailTo(app, english.email, /Confirm your e-mail address for Parley/);
    expect(englishMail.subject).toBe('Confirm your e-mail address for Parley');
    const link = /http\S+verify-email\S+/.exec(englishMail.text)![0];
    expect(englishMail.text.trim()).toBe(englishVerification(link));

    const french = await registerReader(app);
    // Each verification mail issues a new link and retires the earlier ones: the registration's own mail
    // must have gone before the resend, or (when the job runner is slow) it would retire the French link.
    await mailTo(app, french.email, /Confirm your e-mail address for Parley/);
    await setLocale(french.email, 'fr');
    expect((await french.client.post('/api/v1/auth/verify-email/resend')).status).toBe(202);
    const mail = await mailTo(app, french.email, /^Confirmez votre adresse e-mail pour Parley$/);
    expect(mail.text).toContain('Bienvenue\u00a0! Merci de confirmer que cette adresse est bien la vôtre.');
    expect(mail.text).toContain('reste valable 48 heures');
    expect(mail.text).toContain('Vous recevez ce message parce que quelqu’un a saisi cette adresse sur Parley.');
    expect(mail.text).not.toMatch(/\b(?:the|link|you|this)\b/i);

    const page = await french.client.raw(`/verify-email?token=${tokenIn(mail, '/verify-email')}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
  });

  test('a French site writes to readers who chose nothing in French, and keeps a reader’s own choice', async () => {
    const admin = await signedInClient(app.ctx, app.baseUrl, await createTestUser(app.ctx, { role: 'admin' }));
    const refused = await admin.put('/api/v1/admin/settings', { locale: 'tlh' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/locale must be one of en, fr/);
    expect((await admin.put('/api/v1/admin/settings', { locale: 'fr' })).status).toBe(200);
    try {
      const undecided = await registerReader(app);
      await mailTo(app, undecided.email, /^Confirmez votre adresse e-mail pour Parley$/);

      const english = await registerReader(app);
      await setLocale(english.email, 'en');
      await english.client.post('/api/v1/auth/verify-email/resend');
      await mailTo(app, english.email, /^Confirm your e-mail address for Parley$/);
    } finally {
      expect((await admin.put('/api/v1/admin/settings', { locale: 'en' })).status).toBe(200);
    }
  });
});
