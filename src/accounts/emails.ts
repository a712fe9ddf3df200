import type { MailMessage } from '../email/mailer.ts';
import { TOKEN_LIFETIME_MS } from './tokens.ts';

// The account e-mails, in plain text: every client shows it, and a link in plain text is still a link.

const sign = (site: string) => `\n\n— ${site}\nYou receive this because someone entered this address on ${site}.`;
const hours = (ms: number) => Math.round(ms / 3_600_000);

export function verifyEmailMail(to: string, link: string, site: string, change: boolean): MailMessage {
  return {
    to,
    subject: change ? `Confirm your new e-mail address for ${site}` : `Confirm your e-mail address for ${site}`,
    text:
      `${change ? 'You asked to use this address for your account.' : 'Welcome! Please confirm that this address is yours.'}\n\n` +
      `Open this link to confirm it:\n${link}\n\n` +
      `The link works once and for ${hours(TOKEN_LIFETIME_MS.verify_email)} hours. If you did not ask for this, ignore this mail.` +
      sign(site),
  };
}

/** To the owner of an address someone tried to register again: tells them, gives nothing to the other person. */
export function alreadyRegisteredMail(to: string, signInLink: string, resetLink: string, site: string): MailMessage {
  return {
    to,
    subject: `Someone tried to register on ${site} with your address`,
    text:
      `Someone (perhaps you) tried to create an account on ${site} with this address, but it already has one, ` +
      `so nothing has changed for your account.\n\n` +
      `To sign in: ${signInLink}\nForgot your password? ${resetLink}\n\nIf it was not you, you can ignore this mail.` +
      sign(site),
  };
}

export function passwordResetMail(to: string, link: string, site: string): MailMessage {
  return {
    to,
    subject: `Reset your ${site} password`,
    text:
      `Someone (we hope you) asked to reset the password of your account.\n\n` +
      `Choose a new password here:\n${link}\n\n` +
      `The link works once and for ${Math.round(TOKEN_LIFETIME_MS.password_reset / 60_000)} minutes. Choosing a new password signs ` +
      `your account out everywhere else. If you did not ask for this, ignore this mail: your password stays as it is.` +
      sign(site),
  };
}

export function emailChangeNoticeMail(to: string, site: string): MailMessage {
  return {
    to,
    subject: `Your ${site} e-mail address is changing`,
    text:
      `Someone signed in to your account asked to move it to another e-mail address. It changes only when the new ` +
      `address is confirmed. If this was not you, change your password at once: it signs out every other session.` +
      sign(site),
  };
}

export function addressInUseMail(to: string, site: string): MailMessage {
  return {
    to,
    subject: `Someone tried to move an account to your address on ${site}`,
    text: `Someone tried to use this address for another account on ${site}, but it already belongs to yours. Nothing has changed.` + sign(site),
  };
}

export function passwordChangedMail(to: string, site: string): MailMessage {
  return {
    to,
    subject: `Your ${site} password was changed`,
    text:
      `The password of your account was just changed, and your other sessions were signed out. ` +
      `If this was not you, reset your password now with "Forgot your password?" on the sign-in page.` +
      sign(site),
  };
}
