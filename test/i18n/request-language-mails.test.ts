import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { enqueueAccountMail } from '../../src/accounts/mail-jobs.ts';
import { runCommand } from '../../src/events/command.ts';
import { createTranslator } from '../../src/i18n/index.ts';
import { GOOD_PASSWORD, mailTo, uniqueEmail, uniqueName } from '../accounts/helpers.ts';
import { dialects, startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import type { ReceivedMail } from '../helpers/mail.ts';
import { createTestUser } from '../helpers/users.ts';

// Issue 16: a person with no language of their own yet (just registered, or asking for a reset link)
// gets the mail in the language of the page they asked from, on a site whose default is English; an
// account's own choice still wins; a job queued without a language (before this) speaks the site's.
// The mails have an HTML part in the same language, and say which (Content-Language).

const fr = createTranslator('fr');
const FRENCH = { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' };

function header(mail: ReceivedMail, name: string): string {
  const head = mail.raw.slice(0, mail.raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
}

/** The mail's HTML part, as a browser would read it. */
function htmlOf(mail: ReceivedMail): Document {
  expect(mail.html, `an HTML part in "${mail.subject}"`).toBeDefined();
  return new JSDOM(mail.html!).window.document;
}

describe.each(dialects)('mails in the language of the page they were asked from (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(() => app.close());

  test('a French browser registers on the English site: its confirmation mail is in French, text and HTML', async () => {
    const browser = new TestClient(app.baseUrl);
    const email = uniqueEmail('francoise');
    // The registration page, as a French browser without JavaScript posts it.
    const form = new URLSearchParams({ email, displayName: uniqueName('Françoise'), password: GOOD_PASSWORD, _csrf: await browser.csrfToken() });
    const res = await browser.raw('/register', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...FRENCH }, body: form.toString() });
    expect(res.status).toBe(303);
    // The account has no language of its own: only the page's reached the mail.
    const stored = await app.ctx.db.kysely.selectFrom('users').select('locale').where('email', '=', email).executeTakeFirstOrThrow();
    expect(stored.locale).toBeNull();

    const mail = await mailTo(app, email, /./);
    expect(mail.subject).toBe(fr.t('email.verify.subject', { kind: 'new', site: 'Parley' }));
    expect(mail.text).toContain('Bienvenue\u00a0! Merci de confirmer que cette adresse est bien la vôtre.');
    expect(mail.text).toContain(fr.t('email.signature', { site: 'Parley' }));
    expect(header(mail, 'Content-Language')).toBe('fr');
    const doc = htmlOf(mail);
    expect([doc.documentElement.lang, doc.documentElement.dir]).toEqual(['fr', 'ltr']);
    const button = doc.querySelector('a')!;
    expect(button.textContent).toBe('Confirmer mon adresse');
    expect(button.getAttribute('href')).toBe(/http\S+\/verify-email\S+/.exec(mail.text)![0]);
    expect(doc.body.textContent).toContain('reste valable 48 heures');
    expect(doc.body.textContent).not.toMatch(/\b(?:the|link|you|this|Welcome)\b/);
  });

  test('the API: a French request gets its answers and its reset mail in French; the codes and shapes stay', async () => {
    const reader = await createTestUser(app.ctx);
    const client = new TestClient(app.baseUrl);
    const asked = await client.json('POST', '/api/v1/auth/password-reset', { email: reader.email }, { headers: FRENCH });
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ message: 'Si un compte utilise cette adresse, nous lui avons envoyé un lien pour choisir un nouveau mot de passe. Ce lien est valable 30 minutes.' });
    const english = await client.json('POST', '/api/v1/auth/password-reset', { email: uniqueEmail('nobody') });
    expect(english.body).toEqual({ message: 'If an account uses that address, we have sent it a link to choose a new password. The link works for 30 minutes.' });

    const mail = await mailTo(app, reader.email, /./);
    expect(mail.subject).toBe('Réinitialisation de votre mot de passe sur Parley');
    expect(header(mail, 'Content-Language')).toBe('fr');
    expect(htmlOf(mail).querySelector('a')!.textContent).toBe('Choisir un nouveau mot de passe');

    // "Send the link again", from a French browser signed in to an account that has not chosen a language.
    const registered = new TestClient(app.baseUrl);
    const again = uniqueEmail('again');
    expect((await registered.post('/api/v1/auth/register', { email: again, displayName: uniqueName('Again'), password: GOOD_PASSWORD })).status).toBe(201);
    await mailTo(app, again, /^Confirm your e-mail address for Parley$/);
    registered.resetCsrf();
    const resent = await registered.json('POST', '/api/v1/auth/verify-email/resend', {}, { headers: FRENCH });
    expect(resent.status).toBe(202);
    expect(resent.body).toEqual({ message: fr.t('accounts.notice.verify-sent') });
    expect(resent.body.message).toBe('Si votre adresse attend encore d’être confirmée, un nouveau lien est en route.');
    await mailTo(app, again, /^Confirmez votre adresse e-mail pour Parley$/);
  });

  test('an account’s own language wins over the page’s; a job queued without a language speaks the site’s', async () => {
    const english = await createTestUser(app.ctx);
    await app.ctx.db.kysely.updateTable('users').set({ locale: 'en' }).where('id', '=', english.id).execute();
    expect((await new TestClient(app.baseUrl).json('POST', '/api/v1/auth/password-reset', { email: english.email }, { headers: FRENCH })).status).toBe(202);
    const mail = await mailTo(app, english.email, /./);
    expect(mail.subject).toBe('Reset your Parley password');
    expect(header(mail, 'Content-Language')).toBe('en-GB');
    expect(htmlOf(mail).documentElement.lang).toBe('en-GB');

    // As queued before the page's language went with the job: no `locale` in its payload.
    const undecided = await createTestUser(app.ctx);
    await runCommand(app.ctx, (tx) => enqueueAccountMail(tx, { template: 'password_reset', email: undecided.email }));
    expect((await mailTo(app, undecided.email, /./)).subject).toBe('Reset your Parley password');
    // A language Parley does not speak in a payload is no language at all.
    const odd = await createTestUser(app.ctx);
    await runCommand(app.ctx, (tx) => enqueueAccountMail(tx, { template: 'password_reset', email: odd.email, locale: 'tlh' }));
    expect((await mailTo(app, odd.email, /./)).subject).toBe('Reset your Parley password');
  });
});
