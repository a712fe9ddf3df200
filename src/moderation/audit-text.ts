import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AuditEntry } from './store.ts';
import { createTranslator, type MessageKey, type Translator } from '../i18n/translator.ts';

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
export const AUDIT_ACTIONS: [string, MessageKey][] = (
  [
    'comment.approve',
    'comment.reject',
    'comment.feature',
    'comment.unfeature',
    'reader.warn',
    'reader.suspend',
    'reader.ban',
    'reader.lift',
    'reader.acknowledge_warning',
    'reader.note',
    'reader.role',
    'moderator.sites',
    'article.mode',
    'settings.change',
    'job.retry',
    'site.create',
    'site.update',
    'webhook.create',
    'webhook.update',
    'webhook.delete',
    'webhook.test',
  ] as const
  // i18n-keys: audit.action.*
).map((action) => [action, `audit.action.${action}` as MessageKey]);

// i18n-keys: audit.setting.*
const SETTINGS = new Set(['bannedWords', 'suspectWords', 'premodAll', 'holdLinks', 'newReaderHoldCount', 'reportHoldThreshold', 'spamHoldThreshold', 'editWindowMinutes', 'commentIntervalSeconds', 'commentMaxLength', 'autoCloseDays', 'threadsPerPage', 'repliesPerThread', 'repliesPerPage']);
// i18n-keys: audit.site.field.*
const SITE_FIELDS = new Set(['name', 'origins', 'theme', 'sso', 'jwtSecret', 'oidcClientSecret', 'locale']);
// i18n-keys: audit.webhook.field.*
const WEBHOOK_FIELDS = new Set(['url', 'description', 'events', 'enabled', 'secret']);

const ENGLISH = createTranslator('en');

/** What a background job was for, in words, without anything personal (a mail job names its recipient). */
export function describeJob(job: { kind: string; payload?: Record<string, unknown> }, i18n: Translator = ENGLISH): string {
  const { t } = i18n;
  const payload = job.payload ?? {};
  switch (job.kind) {
    case 'email.notification':
      return t('audit.job.notification');
    case 'email.digest':
      return t('audit.job.digest');
    case 'account.mail':
      return payload.template ? t('audit.job.accountTemplate', { template: String(payload.template).replaceAll('_', ' ') }) : t('audit.job.account');
    case 'media.article_image':
      return payload.sourceUrl ? t('audit.job.pictureFrom', { url: String(payload.sourceUrl) }) : t('audit.job.picture');
    case 'webhook.delivery':
      return t('audit.job.webhook');
    default:
      return job.kind.replaceAll(/[._]/g, ' ');
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const sentence = (text: string) => text.trim().replace(/[.\s]+$/, '');

/** "a, b and c" in the reader's language (British English keeps no comma before "and"). */
function list(i18n: Translator, items: string[]): string {
  const locale = i18n.locale === 'en' || i18n.locale === 'en-XA' ? 'en-GB' : i18n.locale;
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}

function value(i18n: Translator, v: unknown): string {
  if (v === null || v === undefined || v === '') return i18n.t('audit.value.none');
  if (v === true) return i18n.t('audit.value.on');
  if (v === false) return i18n.t('audit.value.off');
  if (Array.isArray(v)) return v.length ? list(i18n, v.map(String)) : i18n.t('audit.value.none');
  return String(v);
}

/** One entry as a sentence, in the reader's language (English without one: logs and the API). */
export function describeAudit(entry: AuditEntry, names: AuditNames, i18n: Translator = ENGLISH): string {
  const { t } = i18n;
  const who = entry.actorName ?? (entry.actorHandle ? `@${entry.actorHandle}` : t('audit.operator'));
  const detail = isRecord(entry.detail) ? entry.detail : {};
  const reader = () => {
    const r = names.readers.get(entry.targetId);
    return r ? `@${r.handle}` : t('audit.deletedAccount');
  };
  const site = () => names.sites.get(entry.targetId) ?? entry.targetId;
  const quoted = (text: string) => t('audit.quoted', { text });
  const because = (text: string) => (entry.reason ? t('audit.because', { sentence: text, reason: sentence(entry.reason) }) : text);
  const [kind, verb] = entry.action.split('.', 2) as [string, string | undefined];

  if (kind === 'comment') {
    const c = names.comments.get(entry.targetId);
    const what = c ? t('audit.comment.what', { author: c.authorHandle ? `@${c.authorHandle}` : t('audit.deletedAccount'), headline: c.headline }) : t('audit.comment.gone');
    const text = t('audit.comment', { who, verb: verb ?? 'changed', what });
    return because(typeof detail.bulk === 'number' && detail.bulk > 1 ? t('audit.comment.together', { sentence: text, count: detail.bulk }) : text);
  }
  switch (entry.action) {
    case 'reader.warn':
      return because(t('audit.reader.warn', { who, reader: reader() }));
    case 'reader.suspend':
      return because(typeof detail.until === 'string' ? t('audit.reader.suspendUntil', { who, reader: reader(), until: new Date(detail.until) }) : t('audit.reader.suspend', { who, reader: reader() }));
    case 'reader.ban': {
      const rejected = Number(detail.rejected ?? 0);
      return because(rejected > 0 ? t('audit.reader.banRejected', { who, reader: reader(), count: rejected }) : t('audit.reader.ban', { who, reader: reader() }));
    }
    case 'reader.lift':
      return because(t('audit.reader.lift', { who, reader: reader() }));
    case 'reader.acknowledge_warning':
      return t('audit.reader.acknowledge', { who });
    case 'reader.note':
      return t('audit.reader.note', { who, reader: reader() });
    case 'reader.role': {
      const text = t('audit.reader.role', { who, reader: reader(), role: String(detail.to) });
      return because(detail.from ? t('audit.reader.roleWas', { sentence: text, role: String(detail.from) }) : text);
    }
    case 'moderator.sites': {
      const sites = Array.isArray(detail.sites) ? detail.sites.map((key) => quoted(names.sites.get(String(key)) ?? String(key))) : [];
      return sites.length ? t('audit.moderator.sites', { who, reader: reader(), sites: list(i18n, sites) }) : t('audit.moderator.every', { who, reader: reader() });
    }
    case 'article.mode': {
      const headline = names.articles.get(entry.targetId);
      const mode = (m: unknown) => (typeof m === 'string' && m ? t('audit.mode', { mode: m }) : value(i18n, m));
      const text = t('audit.article.mode', { who, article: headline ? quoted(headline) : t('audit.article.deleted'), mode: mode(detail.to) });
      return detail.from ? t('audit.article.modeWas', { sentence: text, mode: mode(detail.from) }) : text;
    }
    case 'settings.change': {
      const setting = SETTINGS.has(entry.targetId) ? t(`audit.setting.${entry.targetId}` as MessageKey) : entry.targetId;
      if (Array.isArray(detail.to) || Array.isArray(detail.from)) {
        const [from, to] = [Array.isArray(detail.from) ? detail.from.length : 0, Array.isArray(detail.to) ? detail.to.length : 0];
        return t('audit.settings.list', { who, setting, count: to, was: from });
      }
      return t('audit.settings.value', { who, setting, from: value(i18n, detail.from), to: value(i18n, detail.to) });
    }
    case 'job.retry':
      return t('audit.job.retry', { who, job: describeJob({ kind: String(detail.kind ?? 'job') }, i18n) });
    case 'site.create':
      return t('audit.site.create', { who, site: site() });
    case 'site.update': {
      const fields = Object.keys(detail).map((k) => (SITE_FIELDS.has(k) ? t(`audit.site.field.${k}` as MessageKey) : k));
      return t('audit.site.update', { who, fields: list(i18n, fields), site: site() });
    }
    case 'webhook.create':
      return Array.isArray(detail.events)
        ? t('audit.webhook.createFor', { who, url: value(i18n, detail.url), site: site(), events: list(i18n, detail.events.map(String)) })
        : t('audit.webhook.create', { who, url: value(i18n, detail.url), site: site() });
    case 'webhook.update': {
      const changed = isRecord(detail.changed) ? Object.keys(detail.changed) : [];
      const fields = changed.map((k) => (WEBHOOK_FIELDS.has(k) ? t(`audit.webhook.field.${k}` as MessageKey) : k));
      return t('audit.webhook.update', { who, fields: fields.length ? list(i18n, fields) : t('audit.webhook.settings'), site: site() });
    }
    case 'webhook.delete':
      return t('audit.webhook.delete', { who, url: value(i18n, detail.url), site: site() });
    case 'webhook.test':
      return t('audit.webhook.test', { who, site: site() });
    default:
      return because(t('audit.other', { who, action: entry.action.replaceAll(/[._]/g, ' ') }));
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
