import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { TOKEN_LIFETIME_MS } from '../src/accounts/tokens.ts';
import { NOTIFICATION_KINDS } from '../src/community/model.ts';
import { createTranslator, type MessageKey, type Translator } from '../src/i18n/index.ts';
import { waitFor, type ReceivedMail, outboxMails } from '../test/helpers/mail.ts';
import { runFixture } from './helpers.ts';
import { contextIn, shot, unextracted } from './i18n-helpers.ts';

// Issue 16 in Chromium, the mails: every kind Parley sends — the account mails (confirming an address,
// a new one, a password reset, a changed password, a change of address and its warnings, a second
// registration) and the notification mails (each of the ten kinds, and the daily digest) — to a
// reader whose own language is French reads in French: subject, text part, and both parts as a
// reader's client shows them in Chromium — the text, and the HTML part rendered as it is (screenshots
// of each in the results). The same mails to a reader in the pseudo-locale en-XA show no English that
// skipped the catalogs, in either part.
//
// The account mails come from the real pages; the notifications from the same commands the pages run
// (e2e/fixtures/i18n-mails-fixture.ts), fanned out and mailed by the e2e server, which writes every
// mail to its outbox (DATA_DIR/outbox) since it has no SMTP server.

const dataDir = process.env.PARLEY_E2E_DATA_DIR!;
const PASSWORD = 'purple elephant marmalade';
const NEW_PASSWORD = 'orange giraffe lemonade';
const SITE = 'Parley';
const unique = () => randomBytes(4).toString('hex');

type MailKind = string;
interface Mail extends ReceivedMail {
  /** The language the mail should read in. */
  locale: string;
  kind: MailKind;
}

// ——— Reading the outbox ———

const mailsTo = (to: string) => outboxMails(dataDir).filter((m) => m.to.toLowerCase() === to.toLowerCase());

/** The `n`th mail (from 0) to this address, once it has come. */
const nthMailTo = (to: string, n: number, what: string) => waitFor(() => mailsTo(to)[n], `${what} (mail ${n + 1} to ${to})`, 30_000);

function header(raw: string, name: string): string {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
}

/** The notification kind (or "digest") a notification mail's one-click unsubscribe link names. */
const unsubscribeKind = (m: ReceivedMail) => /\/unsubscribe\/\d+\.([a-z_]+)\./.exec(header(m.raw, 'List-Unsubscribe'))?.[1] ?? null;

// ——— What the catalogs say ———

const catalog = (locale: string, area: string): Record<string, string> =>
  JSON.parse(fs.readFileSync(path.join('src', 'i18n', 'messages', locale, `${area}.json`), 'utf8'));
const MAIL_AREAS = ['email', 'notification'];

function literals(elements: MessageFormatElement[]): string[] {
  return elements.flatMap((el) =>
    el.type === TYPE.literal ? [el.value] : el.type === TYPE.plural || el.type === TYPE.select ? Object.values(el.options).flatMap((o) => literals(o.value)) : [],
  );
}

/**
 * English phrases of the mails' messages (two words or more, e.g. "replied to your comment"), which a
 * mail in another language must not contain. Phrases the other language's message shares are left out.
 */
function englishPhrases(locale: string): string[] {
  const phrases = new Set<string>();
  for (const area of MAIL_AREAS) {
    const en = catalog('en', area);
    const other = catalog(locale, area);
    for (const [key, message] of Object.entries(en)) {
      for (const literal of literals(parse(message, { ignoreTag: true }))) {
        for (const piece of literal.split(/[\n.:;,!?“”"()—]+/)) {
          const phrase = piece.trim();
          if (/[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(phrase) && !(other[key] ?? '').includes(phrase)) phrases.add(phrase);
        }
      }
    }
  }
  return [...phrases];
}

/** The message, with each value named in `cut` replaced by a gap: the pieces a mail must contain in order. */
function pieces(i18n: Translator, key: string, values: Record<string, string | number>, cut: string[]): string[] {
  const GAP = '\u0000';
  const text = i18n.t(key as MessageKey, { ...values, ...Object.fromEntries(cut.map((name) => [name, GAP])) });
  return text.split(GAP).filter((p) => p !== '');
}

function expectInOrder(text: string, parts: string[], what: string): void {
  let at = 0;
  for (const part of parts) {
    const found = text.indexOf(part, at);
    expect(found, `${what}: "${part}" in\n${text}`).toBeGreaterThanOrEqual(0);
    at = found + part.length;
  }
}

// ——— Showing a mail in Chromium ———

/** The language a mail in `locale` names in Content-Language and `<html lang>` (Parley's English is British). */
const langOf = (locale: string) => (locale === 'en' ? 'en-GB' : locale);

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The text part as a reader's client shows it: the sender's name, the subject, then the text (links
 * made links). Addresses are marked as data (`code`) for the pseudo check; the sender's name is the
 * page's `.site-name`, which that check leaves out.
 */
function asPage(mail: Mail): string {
  const text = escapeHtml(mail.text).replace(/https?:\/\/[^\s<]+|[\w.+-]+@[\w.-]+\.\w+/g, (url) =>
    url.includes('@') && !url.startsWith('http') ? `<code>${url}</code>` : `<a href="${url}"><code>${url}</code></a>`,
  );
  return `<!doctype html><html lang="${mail.locale}"><head><meta charset="utf-8"><title>${escapeHtml(mail.subject)}</title>
    <style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:1.5rem auto;padding:0 1rem;color:#222}
    .site-name{color:#555;margin:0}h1{font-size:1.3rem;margin:.25rem 0 1rem}pre{white-space:pre-wrap;font:inherit;border-top:1px solid #ccc;padding-top:1rem}
    code{font:inherit}a{color:#1a4fa3}</style></head>
    <body><p class="site-name">${SITE}</p><h1>${escapeHtml(mail.subject)}</h1><pre>${text}</pre></body></html>`;
}

/**
 * Shows the mail in Chromium twice — its text part, then its HTML part as the mail's own document —
 * checks what the reader sees in each with `check` (the HTML part's with its title, the subject), and
 * attaches a screenshot of each.
 */
async function showMail(page: Page, testInfo: TestInfo, mail: Mail, n: number, check: (shown: string) => Promise<void> | void): Promise<void> {
  const name = `mail-${mail.locale}-${String(n + 1).padStart(2, '0')}-${mail.kind}`;
  await page.setContent(asPage(mail));
  await expect(page.locator('html')).toHaveAttribute('lang', mail.locale);
  await check(await page.locator('body').innerText());
  await shot(page, testInfo, `${name}-text`);

  // The HTML part, in the recipient's language, laid out from the same messages as the text.
  expect(mail.html, `${mail.kind}: an HTML part`).toBeTruthy();
  expect(header(mail.raw, 'Content-Language'), mail.kind).toBe(langOf(mail.locale));
  await page.setContent(mail.html!);
  await expect(page.locator('html')).toHaveAttribute('lang', langOf(mail.locale));
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  expect(await page.title(), mail.kind).toBe(mail.subject);
  // Nothing the mail loads from elsewhere, and every address of the text part is a real link there.
  expect(await page.locator('img, script, link, iframe, style').count(), mail.kind).toBe(0);
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const urls = mail.text.match(/https?:\/\/\S+/g) ?? [];
  for (const url of urls) expect(hrefs, `${mail.kind}: a link to ${url}`).toContain(new URL(url).href);
  // The main action of a mail that has one is a button (a link styled as one) with words of its own.
  if (['verify_email', 'verify_email_change', 'password_reset', ...NOTIFICATION_KINDS].includes(mail.kind)) {
    const button = page.locator('a[style*="inline-block"]');
    await expect(button, mail.kind).toHaveCount(1);
    expect(await button.innerText(), mail.kind).not.toMatch(/^https?:/);
  }
  // A link showing its own address is data, like addresses in the text part: marked so for the pseudo check.
  await page.locator('a[href]').evaluateAll((as) => {
    for (const a of as) if (a.textContent?.trim() === a.getAttribute('href')) a.innerHTML = `<code>${a.innerHTML}</code>`;
  });
  await check(`${await page.title()}\n${await page.locator('body').innerText()}`);
  await shot(page, testInfo, `${name}-html`);
}

// ——— Making every kind of mail ———

/** The form on the current page whose action is `action`, filled and sent. */
async function submit(page: Page, action: string, fields: Record<string, string> = {}): Promise<void> {
  const form = page.locator(`form[action="${action}"]`);
  for (const [name, value] of Object.entries(fields)) await form.locator(`[name="${name}"]`).fill(value);
  await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === action), form.locator('button[type="submit"]').click()]);
  await page.waitForLoadState();
}

/**
 * The account mails, through the pages (any language: forms are found by their action): a reader
 * registers, takes `locale` as their own language, asks for the confirmation link again, confirms,
 * changes the password, tries another reader's address, moves to a new one, forgets the password,
 * and someone registers with their address again.
 */
async function accountMails(browser: Browser, locale: string, browserLocale: string): Promise<Mail[]> {
  const u = unique();
  const email = `mails-${u}@example.test`;
  const newEmail = `mails-new-${u}@example.test`;
  const owner = (await runFixture('i18n-mails-fixture', 'readers', locale, `Olga ${u}`))[`Olga ${u}`] as { email: string };
  const name = `Mael ${u}`;
  const mails: Mail[] = [];
  const got = (m: ReceivedMail, kind: MailKind) => mails.push({ ...m, locale, kind });

  const { context, page } = await contextIn(browser, browserLocale);
  await page.goto('/register');
  await submit(page, '/register', { email, displayName: name, password: PASSWORD });
  await expect(page).toHaveURL(/\/account/);
  // Registered with no language of their own, the first link spoke the page's (the browser's); now they choose theirs.
  const first = await nthMailTo(email, 0, 'the first confirmation link');
  const pageLocale = browserLocale === 'en-XA' ? 'en-XA' : browserLocale.split('-')[0]!;
  expect(first.subject, 'the first confirmation, in the language of the page').toBe(createTranslator(pageLocale).t('email.verify.subject', { kind: 'new', site: SITE }));
  expect(header(first.raw, 'Content-Language')).toBe(langOf(pageLocale));
  if (locale === 'en-XA') await runFixture('i18n-mails-fixture', 'locale', email, locale);
  else {
    await page.goto('/account');
    await page.locator(`form[action="/account/language"] input[name="locale"][value="${locale}"]`).check();
    await submit(page, '/account/language');
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
  }
  await page.goto('/account');
  await submit(page, '/account/verify-email/resend');
  const verify = await nthMailTo(email, 1, 'the confirmation link, again');
  got(verify, 'verify_email');
  const link = /https?:\/\/\S+\/verify-email\?token=\S+/.exec(verify.text)?.[0];
  expect(link, verify.text).toBeTruthy();
  await page.goto(new URL(link!).pathname + new URL(link!).search);

  await page.goto('/account');
  await submit(page, '/account/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
  got(await nthMailTo(email, 2, 'the password changed'), 'password_changed');

  await page.goto('/account');
  await submit(page, '/account/email', { email: owner.email, currentPassword: NEW_PASSWORD });
  got(await nthMailTo(owner.email, 0, 'someone tried your address'), 'address_in_use');
  got(await nthMailTo(email, 3, 'the address is changing'), 'email_change_notice');

  await page.goto('/account');
  await submit(page, '/account/email', { email: newEmail, currentPassword: NEW_PASSWORD });
  got(await nthMailTo(newEmail, 0, 'the new address to confirm'), 'verify_email_change');
  got(await nthMailTo(email, 4, 'the address is changing, again'), 'email_change_notice');
  await context.close();

  const stranger = await contextIn(browser, browserLocale);
  await stranger.page.goto('/forgot-password');
  await submit(stranger.page, '/forgot-password', { email });
  got(await nthMailTo(email, 5, 'the password reset link'), 'password_reset');
  await stranger.page.goto('/register');
  await submit(stranger.page, '/register', { email, displayName: `Someone ${u}`, password: PASSWORD });
  got(await nthMailTo(email, 6, 'someone registered with your address'), 'already_registered');
  await stranger.context.close();
  return mails;
}

/** The notification mails: every kind at once to one reader, and the daily digest of every kind to another. */
async function notificationMails(locale: string): Promise<Mail[]> {
  const made = await runFixture('i18n-mails-fixture', 'notify', locale, unique()) as {
    immediate: { email: string; name: string };
    digest: { email: string; name: string };
  };
  const byKind = await waitFor(
    () => {
      const found = new Map<string, ReceivedMail>();
      for (const m of mailsTo(made.immediate.email)) {
        const kind = unsubscribeKind(m);
        if (kind && !found.has(kind)) found.set(kind, m);
      }
      return found.size === NOTIFICATION_KINDS.length ? found : null;
    },
    `a mail of every notification kind to ${made.immediate.email}`,
    90_000,
  );
  const mails: Mail[] = NOTIFICATION_KINDS.map((kind) => ({ ...byKind.get(kind)!, locale, kind }));
  // The digest is due at midnight: brought forward once every notification has been fanned out (the
  // fixture is two queries in this process: asked again every quarter of a second, for up to a minute).
  for (let tries = 0; ((await runFixture('i18n-mails-fixture', 'digest-now', made.digest.email)) as { moved: number }).moved === 0; tries++) {
    expect(tries, 'the digest job, with a notification of every kind').toBeLessThan(240);
    await new Promise((r) => setTimeout(r, 250));
  }
  const digest = await nthMailTo(made.digest.email, 0, 'the daily digest');
  expect(unsubscribeKind(digest)).toBe('digest');
  mails.push({ ...digest, locale, kind: 'digest' });
  return mails;
}

// ——— What each mail must say ———

const ACCOUNT_KINDS = new Set(['verify_email', 'verify_email_change', 'password_reset', 'password_changed', 'address_in_use', 'email_change_notice', 'already_registered']);

/** The day the digest covers, as the recipient's language writes it (English ones as en-GB, like the site's dates). */
const today = (locale: string) =>
  new Intl.DateTimeFormat(/^en(?:-|$)/.test(locale) ? 'en-GB' : locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date());

/** The mail's subject and text are exactly the recipient's catalog messages (links and counts aside). */
function expectCatalogWords(mail: Mail): void {
  const i18n = createTranslator(mail.locale);
  const what = `${mail.locale} ${mail.kind}`;
  const signature = i18n.t('email.signature', { site: SITE });
  const account = (subject: string, body: string, values: Record<string, string | number>, cut: string[] = []) => {
    expect(mail.subject, what).toBe(i18n.t(subject as MessageKey, { site: SITE, ...values }));
    expectInOrder(mail.text, [...pieces(i18n, body, { site: SITE, ...values }, cut), signature], what);
  };
  const hours = TOKEN_LIFETIME_MS.verify_email / 3_600_000;
  const minutes = TOKEN_LIFETIME_MS.password_reset / 60_000;
  switch (mail.kind) {
    case 'verify_email':
      return account('email.verify.subject', 'email.verify.body', { kind: 'new', hours }, ['link']);
    case 'verify_email_change':
      return account('email.verify.subject', 'email.verify.body', { kind: 'change', hours }, ['link']);
    case 'password_reset':
      return account('email.passwordReset.subject', 'email.passwordReset.body', { minutes }, ['link']);
    case 'already_registered':
      return account('email.alreadyRegistered.subject', 'email.alreadyRegistered.body', {}, ['signInLink', 'resetLink']);
    case 'address_in_use':
      return account('email.addressInUse.subject', 'email.addressInUse.body', {});
    case 'email_change_notice':
      return account('email.emailChangeNotice.subject', 'email.emailChangeNotice.body', {});
    case 'password_changed':
      return account('email.passwordChanged.subject', 'email.passwordChanged.body', {});
  }
  // A notification or the digest: greeting, what happened, then the footer with its three links.
  const digest = mail.kind === 'digest';
  const label = digest ? '' : i18n.t(`notification.kind.${mail.kind}` as MessageKey);
  expectInOrder(mail.text, pieces(i18n, 'email.notification.greeting', {}, ['name']), what);
  const footer = pieces(i18n, 'email.notification.footer', { kind: digest ? 'digest' : 'notification', label }, ['notificationsUrl', 'preferencesUrl', 'unsubscribeUrl']);
  expectInOrder(mail.text, footer, what);
  if (digest) {
    const day = today(mail.locale);
    expectInOrder(mail.text, [i18n.t('email.digest.intro', { day })], what);
    // One line and one link for each notification, between the intro and the footer.
    const count = mail.text.split('\n—\n')[0]!.match(/^https?:\/\//gm)?.length ?? 0;
    expect(count, what).toBeGreaterThanOrEqual(NOTIFICATION_KINDS.length);
    expect(mail.subject, what).toBe(i18n.t('email.digest.subject', { day, count, site: SITE }));
  } else {
    expectInOrder(mail.subject, pieces(i18n, 'email.notification.subject', { site: SITE }, ['summary']), what);
  }
}

// Words a French reader reads in each mail, from fr.json: they would not be there in English, nor in a
// French catalog that was only copied from the English one.
const FRENCH: Record<string, string[]> = {
  verify_email: ['Confirmez votre adresse e-mail', 'Bienvenue ! Merci de confirmer', 'Pour la confirmer, ouvrez ce lien'],
  verify_email_change: ['Confirmez votre nouvelle adresse e-mail', 'Vous avez demandé à utiliser cette adresse'],
  password_reset: ['Réinitialisation de votre mot de passe', 'Choisissez un nouveau mot de passe ici'],
  password_changed: ['Le mot de passe de votre compte', 'a été modifié', 'Mot de passe oublié ?'],
  address_in_use: ['Quelqu’un a tenté de rattacher un compte', 'elle appartient déjà au vôtre'],
  email_change_notice: ['Changement de l’adresse e-mail', 'changez votre mot de passe sans attendre'],
  already_registered: ['Quelqu’un a tenté de s’inscrire', 'Pour vous connecter', 'Mot de passe oublié ?'],
  reply: ['a répondu à votre commentaire', 'Réponses à mes commentaires'],
  mention: ['a mentionné votre nom', 'Mentions de mon nom'],
  followed_reader_comment: ['que vous suivez, a commenté', 'Commentaires des lecteurs que je suis'],
  reaction: ['a salué votre commentaire', 'Réactions à mes commentaires'],
  new_follower: ['vous suit désormais', 'Nouveaux abonnés'],
  followed_article_comment: ['une conversation que vous suivez', 'Nouveaux commentaires dans les conversations que je suis'],
  followed_author_article: ['Nouvel article d’un auteur que vous suivez', 'Nouveaux articles des auteurs que je suis'],
  comment_approved: ['Un modérateur a publié votre commentaire', 'Mes commentaires en attente publiés'],
  comment_rejected: ['Un modérateur a refusé votre commentaire', 'le motif est indiqué sous le commentaire'],
  comment_featured: ['Un modérateur a mis en avant votre commentaire', 'Mes commentaires mis en avant'],
  digest: ['Votre résumé quotidien du', 'Ce qui s’est passé le', 'le résumé quotidien', ...['a répondu à votre commentaire', 'a mentionné votre nom', 'que vous suivez, a commenté', 'a salué votre commentaire', 'vous suit désormais', 'une conversation que vous suivez', 'Nouvel article d’un auteur que vous suivez', 'Un modérateur a publié', 'Un modérateur a refusé', 'Un modérateur a mis en avant']],
};
const FRENCH_EVERY_NOTIFICATION = ['Bonjour', 'Toutes vos notifications', 'Choisir les e-mails que vous recevez', 'en un clic'];

function expectFrench(text: string, mail: Mail, english: string[]): void {
  const what = `fr ${mail.kind}`;
  // French sets narrow no-break spaces before « ! ? : » and inside quotes; the phrases here are typed with plain ones.
  const shown = text.replace(/[\u00a0\u202f]/g, ' ');
  const wanted = [...FRENCH[mail.kind]!, ...(ACCOUNT_KINDS.has(mail.kind) ? [] : FRENCH_EVERY_NOTIFICATION)];
  for (const phrase of wanted) expect(shown, `${what}: "${phrase}"`).toContain(phrase);
  expect(english.filter((phrase) => shown.includes(phrase)), `${what}: English phrases in\n${shown}`).toEqual([]);
}

/** Words in the pseudo-locale text outside the ⟦…⟧ frames (nested frames too), links, addresses and the site's name. */
function unframed(text: string): string[] {
  let rest = text;
  for (let before = ''; before !== rest; ) [before, rest] = [rest, rest.replace(/⟦[^⟦⟧]*⟧/g, ' ')];
  rest = rest.replace(/https?:\/\/\S+/g, ' ').replace(/[\w.+-]+@[\w.-]+\.\w+/g, ' ').split(SITE).join(' ');
  return rest.match(/[A-Za-z]{2,}(?:[' ][A-Za-z]{2,})*/g) ?? [];
}

const EVERY_KIND = [...ACCOUNT_KINDS, ...NOTIFICATION_KINDS, 'digest'].sort();

test('every mail Parley sends reads in French to a reader who chose French: subject, text and HTML parts, in Chromium', async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  // An English browser: the mails follow the reader's own language, not the browser they last used.
  const mails = [...(await accountMails(browser, 'fr', 'en-GB')), ...(await notificationMails('fr'))];
  expect([...new Set(mails.map((m) => m.kind))].sort()).toEqual(EVERY_KIND);
  const english = englishPhrases('fr');
  expect(english).toContain('replied to your comment');
  const { context, page } = await contextIn(browser, 'fr-FR');
  for (const [n, mail] of mails.entries()) {
    expectCatalogWords(mail);
    expectFrench(`${mail.subject}\n${mail.text}`, mail, english);
    await showMail(page, testInfo, mail, n, (shown) => expectFrench(shown, mail, english));
  }
  await context.close();
});

test('the pseudo-locale finds no unextracted English in any mail: subject, text or HTML part, in Chromium', async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const mails = [...(await accountMails(browser, 'en-XA', 'en-XA')), ...(await notificationMails('en-XA'))];
  expect([...new Set(mails.map((m) => m.kind))].sort()).toEqual(EVERY_KIND);
  const leaks: Record<string, string[]> = {};
  const { context, page } = await contextIn(browser, 'en-XA');
  for (const [n, mail] of mails.entries()) {
    expectCatalogWords(mail);
    // Every message is framed: a subject or text without frames did not come from the catalogs at all.
    expect(mail.subject, mail.kind).toContain('⟦');
    expect(mail.text, mail.kind).toContain('⟦');
    const found = [...unframed(mail.subject), ...unframed(mail.text)];
    await showMail(page, testInfo, mail, n, async () => {
      found.push(...(await unextracted(page)));
    });
    if (found.length > 0) leaks[`${n + 1} ${mail.kind}`] = [...new Set(found)];
  }
  await context.close();
  expect(leaks).toEqual({});
});
