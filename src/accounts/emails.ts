import type { MailMessage } from '../email/mailer.ts';
import type { Translator } from '../i18n/index.ts';
import { TOKEN_LIFETIME_MS } from './tokens.ts';

// The account e-mails, in plain text: every client shows it, and a link in plain text is still a link.
// Words come from the catalogs (src/i18n/messages) in the recipient's language.

const signed = (i18n: Translator, site: string, body: string) => `${body}\n\n${i18n.t('email.signature', { site })}`;
const hours = (ms: number) => Math.round(ms / 3_600_000);

export function verifyEmailMail(i18n: Translator, to: string, link: string, site: string, change: boolean): MailMessage {
  const kind = change ? 'change' : 'new';
  return {
    to,
    subject: i18n.t('email.verify.subject', { kind, site }),
    text: signed(i18n, site, i18n.t('email.verify.body', { kind, link, hours: hours(TOKEN_LIFETIME_MS.verify_email) })),
  };
}

/** To the owner of an address someone tried to register again: tells them, gives nothing to the other person. */
export function alreadyRegisteredMail(i18n: Translator, to: string, signInLink: string, resetLink: string, site: string): MailMessage {
  return {
    to,
    subject: i18n.t('email.alreadyRegistered.subject', { site }),
    text: signed(i18n, site, i18n.t('email.alreadyRegistered.body', { site, signInLink, resetLink })),
  };
}

export function passwordResetMail(i18n: Translator, to: string, link: string, site: string): MailMessage {
  return {
    to,
    subject: i18n.t('email.passwordReset.subject', { site }),
    text: signed(i18n, site, i18n.t('email.passwordReset.body', { link, minutes: Math.round(TOKEN_LIFETIME_MS.password_reset / 60_000) })),
  };
}

export function emailChangeNoticeMail(i18n: Translator, to: string, site: string): MailMessage {
  return { to, subject: i18n.t('email.emailChangeNotice.subject', { site }), text: signed(i18n, site, i18n.t('email.emailChangeNotice.body')) };
}

export function addressInUseMail(i18n: Translator, to: string, site: string): MailMessage {
  return { to, subject: i18n.t('email.addressInUse.subject', { site }), text: signed(i18n, site, i18n.t('email.addressInUse.body', { site })) };
}

export function passwordChangedMail(i18n: Translator, to: string, site: string): MailMessage {
  return { to, subject: i18n.t('email.passwordChanged.subject', { site }), text: signed(i18n, site, i18n.t('email.passwordChanged.body')) };
}
