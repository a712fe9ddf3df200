import type { Kysely } from 'kysely';
import { readerPath } from '../accounts/presenter.ts';
import { commentUrl } from '../comments/presenter.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { action, link, localizedMail, messageBlocks, textBlocks, type MailBlock } from '../email/html-mail.ts';
import type { MailMessage } from '../email/mailer.ts';
import { recipientTranslator } from '../email/recipient-locale.ts';
import { findSiteById } from '../sites/store.ts';
import type { Translator } from '../i18n/index.ts';
import { jobMessageId, PermanentJobError, type Job, type JobHandler } from '../events/jobs.ts';
import { MAIL_DIGEST, MAIL_NOW } from './delivery.ts';
import { isNotificationKind, type NotificationKind } from './model.ts';
import { kindLabel, notificationSentence } from './notification-text.ts';
import { notificationSettings } from './store.ts';
import { dateFormatter } from '../ui/date-format.ts';
import { signUnsubscribe, unsubscribeKey } from './unsubscribe.ts';

// The notification mails, sent by the jobs runner (never in a request). A job re-reads everything
// when it runs: a notification that went away, a kind switched off since, a deleted account or an
// address never confirmed send nothing, and the job is done. Each mail's Message-ID comes from its
// job's dedupe key, so a repeat after a crash (at least once, see events/jobs.ts) is the same message.

export const PREFERENCES_PATH = '/settings/notifications';

/**
 * The digest's day (a UTC calendar day, `2026-12-01`) as the recipient's language writes it:
 * "Tuesday, 1 December 2026", "mardi 1 décembre 2026". English reads as the site's other dates do (en-GB).
 */
export function digestDay(day: string, locale: string): string {
  const intlLocale = /^en(?:-|$)/i.test(locale) ? 'en-GB' : locale;
  return dateFormatter({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }, intlLocale).format(new Date(`${day}T12:00:00.000Z`));
}

interface Row {
  kind: string;
  actor_count: number;
  comment_id: number | null;
  created_at: string;
  actor_name: string | null;
  slug: string | null;
  headline: string | null;
  actor_handle: string | null;
  site_id: number | null;
}

function rows(db: Kysely<Database>) {
  return db
    .selectFrom('notifications as n')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'n.actor_id').on('u.deleted_at', 'is', null))
    .leftJoin('articles as a', 'a.id', 'n.article_id')
    .select(['n.kind', 'n.actor_count', 'n.comment_id', 'n.created_at', 'u.display_name as actor_name', 'u.handle as actor_handle', 'a.slug', 'a.headline', 'a.site_id']);
}

/** One notification: what happened, and the address of the page where it happened. */
function notice(i18n: Translator, site: string, r: Row): { sentence: string; url: string } {
  const sentence = notificationSentence({ kind: r.kind, actorName: r.actor_name, actorCount: Number(r.actor_count), headline: r.headline }, i18n);
  const path = r.slug && r.comment_id !== null ? commentUrl(r.slug, { id: Number(r.comment_id) }) : r.slug ? `/articles/${encodeURIComponent(r.slug)}` : r.actor_handle ? readerPath(r.actor_handle) : '/notifications';
  return { sentence, url: `${site}${path}` };
}

const line = (n: { sentence: string; url: string }) => `${n.sentence}\n${n.url}`;

async function recipient(db: Kysely<Database>, id: number) {
  const user = await db.selectFrom('users').select(['email', 'email_verified_at', 'deleted_at', 'display_name']).where('id', '=', id).executeTakeFirst();
  return user && user.email && user.email_verified_at && !user.deleted_at ? { email: user.email, name: user.display_name } : null;
}

/** The mail: `body` is its text, `blocks` the same messages for its HTML part; both get the footer. */
async function compose(ctx: AppContext, i18n: Translator, job: Job, to: string, userId: number, kind: NotificationKind | 'digest', subject: string, body: string, blocks: MailBlock[], name: string): Promise<MailMessage> {
  const base = ctx.config.publicUrl;
  const unsubscribe = `${base}/unsubscribe/${signUnsubscribe(await unsubscribeKey(ctx.db.kysely), userId, kind)}`;
  const urls = { notificationsUrl: `${base}/notifications`, preferencesUrl: `${base}${PREFERENCES_PATH}`, unsubscribeUrl: unsubscribe };
  const footer = { kind: kind === 'digest' ? 'digest' : 'notification', label: kind === 'digest' ? '' : kindLabel(kind, i18n) };
  return localizedMail(i18n, {
    to,
    subject,
    site: name,
    text: `${body}\n\n—\n${i18n.t('email.notification.footer', { ...footer, ...urls })}\n`,
    body: blocks,
    footer: messageBlocks(i18n, 'email.notification.footer', { ...footer, ...Object.fromEntries(Object.entries(urls).map(([k, url]) => [k, link(url)])) }, 'footer'),
    headers: {
      'Message-ID': jobMessageId(job.dedupeKey, new URL(base).hostname || 'parley.invalid'),
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  });
}

const ids = (job: Job, ...names: string[]) =>
  names.map((name) => {
    const v = job.payload[name];
    if (!Number.isSafeInteger(v)) throw new PermanentJobError(`job payload has no ${name}`);
    return v as number;
  });

export function mailJobHandlers(ctx: AppContext): Record<string, JobHandler> {
  const db = ctx.db.kysely;
  const site = ctx.config.publicUrl;
  const name = 'Parley';
  const pseudo = { pseudo: ctx.config.pseudoLocale === true };
  return {
    async [MAIL_NOW](job) {
      const [recipientId, eventId] = ids(job, 'recipientId', 'eventId');
      const row = await rows(db).where('n.recipient_id', '=', recipientId!).where('n.event_id', '=', eventId!).executeTakeFirst();
      if (!row || !isNotificationKind(row.kind)) return;
      if ((await notificationSettings(db, recipientId!))[row.kind] !== 'immediate') return;
      const to = await recipient(db, recipientId!);
      if (!to) return;
      // A mail about one article speaks its site's language to a reader who chose none.
      const articleSite = row.site_id === null ? null : await findSiteById(db, Number(row.site_id));
      const i18n = await recipientTranslator(db, { userId: recipientId! }, articleSite, pseudo);
      const what = notice(i18n, site, row);
      const subject = i18n.t('email.notification.subject', { summary: what.sentence.replace(/\.$/, ''), site: name });
      const greeting = i18n.t('email.notification.greeting', { name: to.name });
      // In HTML the page it happened on is the mail's button.
      const blocks = [...textBlocks([greeting]), ...textBlocks([what.sentence]), ...textBlocks([action(what.url, i18n.t('email.notification.action', { site: name }))])];
      await ctx.mailer.send(await compose(ctx, i18n, job, to.email, recipientId!, row.kind, subject, `${greeting}\n\n${line(what)}`, blocks, name));
    },

    async [MAIL_DIGEST](job) {
      const [recipientId] = ids(job, 'recipientId');
      const day = String(job.payload.day ?? '');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new PermanentJobError('job payload has no day');
      const settings = await notificationSettings(db, recipientId!);
      const kinds = Object.entries(settings).filter(([, d]) => d === 'digest').map(([k]) => k);
      if (kinds.length === 0) return;
      const start = `${day}T00:00:00.000Z`;
      const end = new Date(Date.parse(start) + 24 * 3600_000).toISOString();
      const found = await rows(db).where('n.recipient_id', '=', recipientId!).where('n.kind', 'in', kinds).where('n.created_at', '>=', start).where('n.created_at', '<', end).orderBy('n.id').limit(200).execute();
      if (found.length === 0) return;
      const to = await recipient(db, recipientId!);
      if (!to) return;
      const i18n = await recipientTranslator(db, { userId: recipientId! }, null, pseudo);
      const notices = found.map((r) => notice(i18n, site, r));
      const written = digestDay(day, i18n.locale);
      const greeting = i18n.t('email.notification.greeting', { name: to.name });
      const intro = i18n.t('email.digest.intro', { day: written });
      const body = `${greeting}\n\n${intro}\n\n${notices.map(line).join('\n\n')}`;
      const blocks = [...textBlocks([greeting]), ...textBlocks([intro]), ...notices.flatMap((n) => textBlocks([n.sentence, '\n', link(n.url)]))];
      await ctx.mailer.send(await compose(ctx, i18n, job, to.email, recipientId!, 'digest', i18n.t('email.digest.subject', { day: written, count: found.length, site: name }), body, blocks, name));
    },
  };
}
