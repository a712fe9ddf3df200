import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AuditEntry } from './store.ts';

// The audit log in words: "Desk Editor banned @carol-troll: spam links". Every action the log holds
// has a sentence here; ids and JSON never reach the page. `auditNames` looks up, in a few queries for
// a whole page of entries, the names the sentences need (readers, comments, articles, sites).

export interface AuditNames {
  readers: Map<string, { handle: string; displayName: string }>;
  comments: Map<string, { authorHandle: string | null; headline: string }>;
  articles: Map<string, string>;
  sites: Map<string, string>;
}

/** Every action the log holds, with a name for the filter; audit-text.test.ts finds any the code writes that is missing. */
export const AUDIT_ACTIONS: [string, string][] = [
  ['comment.approve', 'Comments approved'],
  ['comment.reject', 'Comments rejected'],
  ['comment.feature', 'Comments featured'],
  ['comment.unfeature', 'Comments unfeatured'],
  ['reader.warn', 'Warnings'],
  ['reader.suspend', 'Suspensions'],
  ['reader.ban', 'Bans'],
  ['reader.lift', 'Sanctions lifted'],
  ['reader.acknowledge_warning', 'Warnings acknowledged'],
  ['reader.note', 'Moderator notes'],
  ['reader.role', 'Role changes'],
  ['moderator.sites', 'Moderators’ sites'],
  ['article.mode', 'Conversation modes'],
  ['settings.change', 'Settings'],
  ['job.retry', 'Jobs run again'],
  ['site.create', 'Sites created'],
  ['site.update', 'Sites changed'],
  ['webhook.create', 'Webhooks added'],
  ['webhook.update', 'Webhooks changed'],
  ['webhook.delete', 'Webhooks removed'],
  ['webhook.test', 'Webhook tests'],
];

const SETTING_LABELS: Record<string, string> = {
  bannedWords: 'the banned words',
  suspectWords: 'the suspect words',
  premodAll: 'pre-moderation of every article',
  holdLinks: 'holding comments with links',
  newReaderHoldCount: 'the approved comments a new reader needs',
  reportHoldThreshold: 'the reports that hold a comment',
  spamHoldThreshold: 'the spam score that holds a comment',
  editWindowMinutes: 'the edit window (minutes)',
  commentIntervalSeconds: 'the seconds between two comments',
  commentMaxLength: 'the longest comment (characters)',
  autoCloseDays: 'the days before a conversation closes',
  threadsPerPage: 'the threads per page',
  repliesPerThread: 'the replies shown under a thread',
  repliesPerPage: 'the replies loaded at a time',
};

const MODE_WORDS: Record<string, string> = { post: 'open', pre: 'pre-moderated', closed: 'closed' };
const ROLE_WORDS: Record<string, string> = { reader: 'a reader', staff: 'newsroom staff', moderator: 'a moderator', admin: 'an admin' };
const role = (r: unknown) => ROLE_WORDS[String(r)] ?? String(r);

/** What a background job was for, in words, without anything personal (a mail job names its recipient). */
export function describeJob(job: { kind: string; payload?: Record<string, unknown> }): string {
  const payload = job.payload ?? {};
  switch (job.kind) {
    case 'email.notification':
      return 'Notification e-mail';
    case 'email.digest':
      return 'Daily digest e-mail';
    case 'account.mail':
      return payload.template ? `Account e-mail (${String(payload.template).replaceAll('_', ' ')})` : 'Account e-mail';
    case 'media.article_image':
      return payload.sourceUrl ? `Copy of an article’s picture from ${String(payload.sourceUrl)}` : 'Copy of an article’s picture';
    case 'webhook.delivery':
      return 'Webhook delivery';
    default:
      return job.kind.replaceAll(/[._]/g, ' ');
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const sentence = (text: string) => text.trim().replace(/[.\s]+$/, '');
const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function value(v: unknown): string {
  if (v === null || v === undefined || v === '') return 'none';
  if (v === true) return 'on';
  if (v === false) return 'off';
  if (Array.isArray(v)) return v.length ? list(v.map(String)) : 'none';
  return String(v);
}

/** One entry as a sentence. */
export function describeAudit(entry: AuditEntry, names: AuditNames): string {
  const who = entry.actorName ?? (entry.actorHandle ? `@${entry.actorHandle}` : 'An operator on the server');
  const detail = isRecord(entry.detail) ? entry.detail : {};
  const reader = () => {
    const r = names.readers.get(entry.targetId);
    return r ? `@${r.handle}` : 'a deleted account';
  };
  const site = () => `“${names.sites.get(entry.targetId) ?? entry.targetId}”`;
  const because = entry.reason ? `: ${sentence(entry.reason)}` : '';
  const [kind, verb] = entry.action.split('.', 2) as [string, string | undefined];

  if (kind === 'comment') {
    const c = names.comments.get(entry.targetId);
    const what = c ? `a comment by ${c.authorHandle ? `@${c.authorHandle}` : 'a deleted account'} on “${c.headline}”` : 'a comment that no longer exists';
    const verbs: Record<string, string> = { approve: 'approved', reject: 'rejected', feature: 'featured', unfeature: 'stopped featuring' };
    const together = typeof detail.bulk === 'number' && detail.bulk > 1 ? ` (one of ${detail.bulk} decided together)` : '';
    return `${who} ${verbs[verb ?? ''] ?? `${verb ?? 'changed'}`} ${what}${together}${because}`;
  }
  switch (entry.action) {
    case 'reader.warn':
      return `${who} warned ${reader()}${because}`;
    case 'reader.suspend':
      return `${who} suspended ${reader()}${typeof detail.until === 'string' ? ` until ${detail.until.slice(0, 16).replace('T', ' ')} UTC` : ''}${because}`;
    case 'reader.ban': {
      const rejected = Number(detail.rejected ?? 0);
      return `${who} banned ${reader()}${rejected > 0 ? ` and rejected ${plural(rejected, 'comment')} of theirs` : ''}${because}`;
    }
    case 'reader.lift':
      return `${who} lifted the sanction on ${reader()}${because}`;
    case 'reader.acknowledge_warning':
      return `${who} acknowledged the moderators’ warning`;
    case 'reader.note':
      return `${who} added a moderator note on ${reader()}`;
    case 'reader.role':
      return `${who} made ${reader()} ${role(detail.to)}${detail.from ? ` (was ${role(detail.from)})` : ''}${because}`;
    case 'moderator.sites': {
      const sites = Array.isArray(detail.sites) ? detail.sites.map((key) => `“${names.sites.get(String(key)) ?? String(key)}”`) : [];
      return sites.length ? `${who} limited ${reader()} to moderating ${list(sites)}` : `${who} let ${reader()} moderate every site`;
    }
    case 'article.mode': {
      const headline = names.articles.get(entry.targetId);
      return `${who} set the conversation on ${headline ? `“${headline}”` : 'a deleted article'} to ${MODE_WORDS[String(detail.to)] ?? value(detail.to)}${detail.from ? ` (was ${MODE_WORDS[String(detail.from)] ?? value(detail.from)})` : ''}`;
    }
    case 'settings.change': {
      const label = SETTING_LABELS[entry.targetId] ?? entry.targetId;
      if (Array.isArray(detail.to) || Array.isArray(detail.from)) {
        const [from, to] = [Array.isArray(detail.from) ? detail.from.length : 0, Array.isArray(detail.to) ? detail.to.length : 0];
        return `${who} changed ${label}: now ${plural(to, 'entry', 'entries')} (was ${from})`;
      }
      return `${who} changed ${label} from ${value(detail.from)} to ${value(detail.to)}`;
    }
    case 'job.retry':
      return `${who} ran a failed background job again: ${describeJob({ kind: String(detail.kind ?? 'job') })}`;
    case 'site.create':
      return `${who} created the site ${site()}`;
    case 'site.update': {
      const words: Record<string, string> = { name: 'name', origins: 'addresses', theme: 'theme', sso: 'single sign-on', jwtSecret: 'JWT secret', oidcClientSecret: 'OpenID client secret' };
      return `${who} changed the ${list(Object.keys(detail).map((k) => words[k] ?? k))} of the site ${site()}`;
    }
    case 'webhook.create':
      return `${who} added a webhook to ${value(detail.url)} on the site ${site()}${Array.isArray(detail.events) ? ` for ${list(detail.events.map(String))}` : ''}`;
    case 'webhook.update': {
      const changed = isRecord(detail.changed) ? Object.keys(detail.changed) : [];
      const words: Record<string, string> = { url: 'address', description: 'description', events: 'events', enabled: 'on/off switch', secret: 'secret' };
      return `${who} changed the ${list(changed.map((k) => words[k] ?? k)) || 'settings'} of a webhook on the site ${site()}`;
    }
    case 'webhook.delete':
      return `${who} removed the webhook to ${value(detail.url)} from the site ${site()}`;
    case 'webhook.test':
      return `${who} sent a test message to a webhook on the site ${site()}`;
    default:
      return `${who}: ${entry.action.replaceAll(/[._]/g, ' ')}${because}`;
  }
}

/** The names a page of entries needs, in one query per kind of target. */
export async function auditNames(db: Kysely<Database>, entries: AuditEntry[]): Promise<AuditNames> {
  const ids = (type: string) => [...new Set(entries.filter((e) => e.targetType === type).map((e) => e.targetId))];
  const numeric = (values: string[]) => values.filter((v) => /^\d{1,15}$/.test(v)).map(Number);
  const readerIds = numeric(ids('reader'));
  const commentIds = numeric(ids('comment'));
  const articleIds = numeric(ids('article'));
  const siteKeys = [...new Set([...ids('site'), ...entries.filter((e) => e.action === 'moderator.sites').flatMap((e) => (isRecord(e.detail) && Array.isArray(e.detail.sites) ? e.detail.sites.map(String) : []))])];
  const [readers, comments, articles, sites] = await Promise.all([
    readerIds.length ? db.selectFrom('users').select(['id', 'handle', 'display_name']).where('id', 'in', readerIds).where('deleted_at', 'is', null).execute() : [],
    commentIds.length
      ? db
          .selectFrom('comments as c')
          .innerJoin('articles as a', 'a.id', 'c.article_id')
          .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'c.author_id').on('u.deleted_at', 'is', null))
          .select(['c.id', 'u.handle', 'a.headline'])
          .where('c.id', 'in', commentIds)
          .execute()
      : [],
    articleIds.length ? db.selectFrom('articles').select(['id', 'headline']).where('id', 'in', articleIds).execute() : [],
    siteKeys.length ? db.selectFrom('sites').select(['key', 'name']).where('key', 'in', siteKeys).execute() : [],
  ]);
  return {
    readers: new Map(readers.map((r) => [String(r.id), { handle: r.handle, displayName: r.display_name }])),
    comments: new Map(comments.map((c) => [String(c.id), { authorHandle: c.handle ?? null, headline: c.headline }])),
    articles: new Map(articles.map((a) => [String(a.id), a.headline])),
    sites: new Map(sites.map((s) => [s.key, s.name])),
  };
}
