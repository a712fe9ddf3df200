import type { Kysely } from 'kysely';
import { readerPath } from '../accounts/presenter.ts';
import { commentUrl } from '../comments/presenter.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { MailMessage } from '../email/mailer.ts';
import { jobMessageId, PermanentJobError, type Job, type JobHandler } from '../events/jobs.ts';
import { MAIL_DIGEST, MAIL_NOW } from './delivery.ts';
import { isNotificationKind, type NotificationKind } from './model.ts';
import { KIND_LABELS, notificationSentence } from './notification-text.ts';
import { notificationSettings } from './store.ts';
import { signUnsubscribe, unsubscribeKey } from './unsubscribe.ts';

// The notification mails, sent by the jobs runner (never in a request). A job re-reads everything
// when it runs: a notification that went away, a kind switched off since, a deleted account or an
// address never confirmed send nothing, and the job is done. Each mail's Message-ID comes from its
// job's dedupe key, so a repeat after a crash (at least once, see events/jobs.ts) is the same message.

export const PREFERENCES_PATH = '/settings/notifications';

interface Row {
  kind: string;
  actor_count: number;
  comment_id: number | null;
  created_at: string;
  actor_name: string | null;
  slug: string | null;
  headline: string | null;
  actor_handle: string | null;
}

function rows(db: Kysely<Database>) {
  return db
    .selectFrom('notifications as n')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'n.actor_id').on('u.deleted_at', 'is', null))
    .leftJoin('articles as a', 'a.id', 'n.article_id')
    .select(['n.kind', 'n.actor_count', 'n.comment_id', 'n.created_at', 'u.display_name as actor_name', 'u.handle as actor_handle', 'a.slug', 'a.headline']);
}

function line(site: string, r: Row): string {
  const sentence = notificationSentence({ kind: r.kind, actorName: r.actor_name, actorCount: Number(r.actor_count), headline: r.headline });
  const path = r.slug && r.comment_id !== null ? commentUrl(r.slug, { id: Number(r.comment_id) }) : r.slug ? `/articles/${encodeURIComponent(r.slug)}` : r.actor_handle ? readerPath(r.actor_handle) : '/notifications';
  return `${sentence}\n${site}${path}`;
}

async function recipient(db: Kysely<Database>, id: number) {
  const user = await db.selectFrom('users').select(['email', 'email_verified_at', 'deleted_at', 'display_name']).where('id', '=', id).executeTakeFirst();
  return user && user.email && user.email_verified_at && !user.deleted_at ? { email: user.email, name: user.display_name } : null;
}

async function compose(ctx: AppContext, job: Job, to: string, userId: number, kind: NotificationKind | 'digest', subject: string, body: string): Promise<MailMessage> {
  const base = ctx.config.publicUrl;
  const unsubscribe = `${base}/unsubscribe/${signUnsubscribe(await unsubscribeKey(ctx.db.kysely), userId, kind)}`;
  const what = kind === 'digest' ? 'the daily digest' : `“${KIND_LABELS[kind]}”`;
  return {
    to,
    subject,
    text: `${body}\n\n—\nAll your notifications: ${base}/notifications\nChoose which mails you get: ${base}${PREFERENCES_PATH}\nStop mails of ${what} with one click: ${unsubscribe}\n`,
    headers: {
      'Message-ID': jobMessageId(job.dedupeKey, new URL(base).hostname || 'parley.invalid'),
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
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
  return {
    async [MAIL_NOW](job) {
      const [recipientId, eventId] = ids(job, 'recipientId', 'eventId');
      const row = await rows(db).where('n.recipient_id', '=', recipientId!).where('n.event_id', '=', eventId!).executeTakeFirst();
      if (!row || !isNotificationKind(row.kind)) return;
      if ((await notificationSettings(db, recipientId!))[row.kind] !== 'immediate') return;
      const to = await recipient(db, recipientId!);
      if (!to) return;
      const sentence = notificationSentence({ kind: row.kind, actorName: row.actor_name, actorCount: Number(row.actor_count), headline: row.headline });
      await ctx.mailer.send(await compose(ctx, job, to.email, recipientId!, row.kind, `${sentence.replace(/\.$/, '')} — ${name}`, `Hello ${to.name},\n\n${line(site, row)}`));
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
      const body = `Hello ${to.name},\n\nWhat happened on ${day}:\n\n${found.map((r) => line(site, r)).join('\n\n')}`;
      await ctx.mailer.send(await compose(ctx, job, to.email, recipientId!, 'digest', `Your daily digest for ${day}: ${found.length} notification${found.length === 1 ? '' : 's'} — ${name}`, body));
    },
  };
}
