import { action, link, localizedMail, messageBlocks, type MailBlock, type MailLink } from '../email/html-mail.ts';
import type { MailMessage } from '../email/mailer.ts';
import type { MessageKey, Translator } from '../i18n/index.ts';
import { TOKEN_LIFETIME_MS } from './tokens.ts';

// The account e-mails: a plain-text part every client shows (a link in plain text is still a link)
// and an HTML alternative laid out from the same catalog messages (email/html-mail.ts), both in the
// recipient's language. Words come from the catalogs (src/i18n/messages).

const signed = (i18n: Translator, site: string, body: string) => `${body}\n\n${i18n.t('email.signature', { site })}`;
const hours = (ms: number) => Math.round(ms / 3_600_000);

type Values = Record<string, string | number>;

/**
 * One account mail: its subject, and its body message formatted twice from the same catalog entry,
 * once with the links as addresses (the text part) and once with them as links (the HTML part).
 */
function accountMail(i18n: Translator, to: string, site: string, subject: string, body: MessageKey, values: Values, links: Record<string, MailLink> = {}): MailMessage {
  const plain = Object.fromEntries(Object.entries(links).map(([name, l]) => [name, l.href]));
  const html: MailBlock[] = messageBlocks(i18n, body, { ...values, ...links });
  return localizedMail(i18n, {
    to,
    subject,
    site,
    text: signed(i18n, site, i18n.t(body, { ...values, ...plain })),
    body: html,
    footer: messageBlocks(i18n, 'email.signature', { site }, 'footer'),
  });
}

export function verifyEmailMail(i18n: Translator, to: string, url: string, site: string, change: boolean): MailMessage {
  const kind = change ? 'change' : 'new';
  return accountMail(i18n, to, site, i18n.t('email.verify.subject', { kind, site }), 'email.verify.body', { kind, hours: hours(TOKEN_LIFETIME_MS.verify_email) }, {
    link: action(url, i18n.t('email.verify.action', { kind })),
  });
}

/** To the owner of an address someone tried to register again: tells them, gives nothing to the other person. */
export function alreadyRegisteredMail(i18n: Translator, to: string, signInLink: string, resetLink: string, site: string): MailMessage {
  return accountMail(i18n, to, site, i18n.t('email.alreadyRegistered.subject', { site }), 'email.alreadyRegistered.body', { site }, {
    signInLink: link(signInLink),
    resetLink: link(resetLink),
  });
}

export function passwordResetMail(i18n: Translator, to: string, url: string, site: string): MailMessage {
  return accountMail(i18n, to, site, i18n.t('email.passwordReset.subject', { site }), 'email.passwordReset.body', { minutes: Math.round(TOKEN_LIFETIME_MS.password_reset / 60_000) }, {
    link: action(url, i18n.t('email.passwordReset.action')),
  });
}

export function emailChangeNoticeMail(i18n: Translator, to: string, site: string): MailMessage {
  return accountMail(i18n, to, site, i18n.t('email.emailChangeNotice.subject', { site }), 'email.emailChangeNotice.body', {});
}

export function addressInUseMail(i18n: Translator, to: string, site: string): MailMessage {
  return accountMail(i18n, to, site, i18n.t('email.addressInUse.subject', { site }), 'email.addressInUse.body', { site });
}

export function passwordChangedMail(i18n: Translator, to: string, site: string): MailMessage {
  return accountMail(i18n, to, site, i18n.t('email.passwordChanged.subject', { site }), 'email.passwordChanged.body', {});
}
