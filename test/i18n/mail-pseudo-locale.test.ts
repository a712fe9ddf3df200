import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recipientTranslator } from '../../src/email/recipient-locale.ts';
import { createTranslator } from '../../src/i18n/index.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { startSmtpServer, waitFor, type TestSmtpServer } from '../helpers/mail.ts';
import { createTestUser } from '../helpers/users.ts';

// The pseudo-locale reaches mails only where the server offers it (PARLEY_PSEUDO_LOCALE, PARLEY_E2E):
// e2e/i18n-mails.spec.ts reads every mail in it to find words that skipped the catalogs.

describe.each(dialects)('mails in the pseudo-locale (%s)', (dialect) => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp(dialect, { SMTP_URL: smtp.url, PARLEY_PSEUDO_LOCALE: '1' });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('an account whose language is en-XA gets its mails in it, the long folded subject read back whole', async () => {
    const reader = await createTestUser(app.ctx);
    await app.ctx.db.kysely.updateTable('users').set({ locale: 'en-XA' }).where('id', '=', reader.id).execute();
    expect((await new TestClient(app.baseUrl).post('/api/v1/auth/password-reset', { email: reader.email })).status).toBe(202);
    const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes(reader.email)), 'the reset mail');
    // Longer than one encoded word: the subject comes folded, and reads back without a space between the words.
    expect(mail.subject).toBe(createTranslator('en-XA').t('email.passwordReset.subject', { site: 'Parley' }));
    expect(mail.text).toContain('⟦');
  });

  it('only when offered, and never over a real language', async () => {
    const pseudo = await createTestUser(app.ctx);
    await app.ctx.db.kysely.updateTable('users').set({ locale: 'en-XA' }).where('id', '=', pseudo.id).execute();
    const french = await createTestUser(app.ctx);
    await app.ctx.db.kysely.updateTable('users').set({ locale: 'fr' }).where('id', '=', french.id).execute();
    const db = app.ctx.db.kysely;
    expect((await recipientTranslator(db, { userId: pseudo.id })).locale).toBe('en');
    expect((await recipientTranslator(db, { userId: pseudo.id }, null, { pseudo: true })).locale).toBe('en-XA');
    expect((await recipientTranslator(db, { email: french.email }, null, { pseudo: true })).locale).toBe('fr');
  });
});
