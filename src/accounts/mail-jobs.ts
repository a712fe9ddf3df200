import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { MailMessage } from '../email/mailer.ts';
import { recipientTranslator } from '../email/recipient-locale.ts';
import type { Tx } from '../events/command.ts';
import { isLocale } from '../i18n/index.ts';
import { jobMessageId, PermanentJobError, queueJob, type JobHandler } from '../events/jobs.ts';
import { addressInUseMail, alreadyRegisteredMail, emailChangeNoticeMail, passwordChangedMail, passwordResetMail, verifyEmailMail } from './emails.ts';
import { findAccountByEmail, findAccountById } from './store.ts';
import { issueToken } from './tokens.ts';

// The account mails go through the jobs table like every other mail: enqueued in the transaction
// of the change they tell about (so a crash cannot keep the change and lose the mail), sent by the
// job runner with retries when the mail server is down. A job holds no secret: the link's token is
// issued when the mail is composed, so the jobs table never stores a usable token. A retry after a
// crash between sending and recording issues a fresh one (the newest link is the one that works).

export const ACCOUNT_MAIL = 'account.mail';

/**
 * `locale`: the language of the page the request came from (request.i18n), which the mail speaks
 * when its recipient's account has no language of its own yet: a reader who registered on a French
 * page gets the confirmation in French. The account's own choice still wins; a job without it (queued
 * before it existed, or from the command line) speaks the site's language.
 */
type FromRequest = { locale?: string };

export type AccountMail = FromRequest &
  (
    /** `next`: the page the reader registered from, where the confirmation offers to go back to. */
    | { template: 'verify_email'; userId: number; email: string; change: boolean; next?: string }
    /** Looked up when it runs, so answering "we sent a link if the address has an account" takes the same time for any address. */
    | { template: 'password_reset'; email: string }
    | { template: 'already_registered'; email: string }
    | { template: 'address_in_use'; email: string }
    | { template: 'email_change_notice'; email: string }
    | { template: 'password_changed'; email: string }
  );

const TEMPLATES = new Set<AccountMail['template']>(['verify_email', 'password_reset', 'already_registered', 'address_in_use', 'email_change_notice', 'password_changed']);

export async function enqueueAccountMail(tx: Tx, mail: AccountMail): Promise<void> {
  // Every request is its own mail: the key only makes the job's Message-ID stable across retries.
  await queueJob(tx, { kind: ACCOUNT_MAIL, dedupeKey: `${ACCOUNT_MAIL}:${mail.template}:${randomBytes(12).toString('base64url')}`, payload: { ...mail } });
}

function parse(payload: Record<string, unknown>): AccountMail {
  const { template, email, userId, change, next, locale } = payload;
  if (typeof template !== 'string' || !TEMPLATES.has(template as AccountMail['template']) || typeof email !== 'string') {
    throw new PermanentJobError('an account mail job without a known template and address');
  }
  // A language Parley no longer speaks (or never did) is dropped: the site's is used instead.
  const fromRequest = isLocale(locale) ? { locale } : {};
  if (template === 'verify_email') {
    if (!Number.isSafeInteger(userId)) throw new PermanentJobError('a verification mail job without a user');
    return { template, email, userId: userId as number, change: change === true, ...(typeof next === 'string' && next.startsWith('/') ? { next } : {}), ...fromRequest };
  }
  return { template, email, ...fromRequest } as AccountMail;
}

export function accountMailHandlers(ctx: AppContext): Record<string, JobHandler> {
  const db = ctx.db.kysely;
  const site = 'Parley';
  const link = (path: string) => `${ctx.config.publicUrl}${path}`;
  const host = new URL(ctx.config.publicUrl).hostname || 'parley.invalid';
  const pseudo = { pseudo: ctx.config.pseudoLocale === true };

  async function compose(mail: AccountMail): Promise<MailMessage | null> {
    // The recipient's own language, else the request's (see FromRequest), else the site's.
    const options = { ...pseudo, requestLocale: mail.locale ?? null };
    switch (mail.template) {
      case 'verify_email': {
        // Only while the account still waits for this address: a deleted account or an address
        // confirmed or replaced since gets no link.
        const account = await findAccountById(db, mail.userId);
        const waiting = account && (account.pendingEmail === mail.email || (account.email === mail.email && !account.emailVerified));
        if (!waiting) return null;
        const token = await issueToken(db, mail.userId, 'verify_email', { email: mail.email });
        return verifyEmailMail(await recipientTranslator(db, { userId: mail.userId }, null, options), mail.email, link(`/verify-email?token=${token}${mail.next ? `&next=${encodeURIComponent(mail.next)}` : ''}`), site, mail.change);
      }
      case 'password_reset': {
        const account = await findAccountByEmail(db, mail.email);
        if (!account?.email) return null;
        const token = await issueToken(db, account.id, 'password_reset');
        return passwordResetMail(await recipientTranslator(db, { userId: account.id }, null, options), account.email, link(`/reset-password?token=${token}`), site);
      }
      case 'already_registered':
        return alreadyRegisteredMail(await recipientTranslator(db, mail, null, options), mail.email, link('/signin'), link('/forgot-password'), site);
      case 'address_in_use':
        return addressInUseMail(await recipientTranslator(db, mail, null, options), mail.email, site);
      case 'email_change_notice':
        return emailChangeNoticeMail(await recipientTranslator(db, mail, null, options), mail.email, site);
      case 'password_changed':
        return passwordChangedMail(await recipientTranslator(db, mail, null, options), mail.email, site);
    }
  }

  return {
    async [ACCOUNT_MAIL](job) {
      const message = await compose(parse(job.payload));
      if (!message) return;
      await ctx.mailer.send({ ...message, headers: { ...message.headers, 'Message-ID': jobMessageId(job.dedupeKey, host) } });
    },
  };
}
