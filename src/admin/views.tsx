import type { ComponentChildren } from 'preact';
import { ROLES } from '../accounts/model.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { MessageKey } from '../i18n/translator.ts';
import { useI18n } from '../i18n/view.ts';
import { roleName } from './role-name.ts';
import type { AuditEntry } from '../moderation/store.ts';
import { AUDIT_ACTIONS, describeJob } from '../moderation/audit-text.ts';
import type { FailedJob } from '../events/failed-jobs.ts';
import type { Settings } from '../settings/model.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { TableHead } from '../ui/table.tsx';

// The admin pages: settings (word lists, pre-moderation, links, thresholds, edit window, rate limit,
// auto-close), roles, the audit log, and the background jobs that gave up.

const NUMBERS: [keyof Settings, MessageKey, string][] = [
  ['newReaderHoldCount', 'admin.settings.newReaderHoldCount', '1'],
  ['reportHoldThreshold', 'admin.settings.reportHoldThreshold', '1'],
  ['spamHoldThreshold', 'admin.settings.spamHoldThreshold', '0.01'],
  ['editWindowMinutes', 'admin.settings.editWindowMinutes', '1'],
  ['commentIntervalSeconds', 'admin.settings.commentIntervalSeconds', '1'],
  ['commentMaxLength', 'admin.settings.commentMaxLength', '1'],
  ['autoCloseDays', 'admin.settings.autoCloseDays', '1'],
];

export type AdminSection = 'settings' | 'sites' | 'audit' | 'jobs' | 'webhooks' | 'sources';

/** Which tab a page belongs to, for pages that do not say (they name it by their English title). */
function sectionOf(title: string): AdminSection | null {
  if (title === 'Settings') return 'settings';
  if (title === 'Sites' || title.startsWith('Site:')) return 'sites';
  if (title === 'Audit log') return 'audit';
  if (title === 'Failed background jobs') return 'jobs';
  if (title === 'Webhooks' || title.startsWith('Webhook:')) return 'webhooks';
  if (title === 'Sources') return 'sources';
  return null;
}

export function AdminPage({ chrome, title, current, children }: { chrome: PageChrome; title: string; current?: AdminSection; children: any }) {
  const { t } = useI18n();
  const section = current ?? sectionOf(title);
  const tab = (href: string, key: AdminSection, label: MessageKey) => (
    <a href={href} aria-current={section === key ? 'page' : undefined}>
      {t(label)}
    </a>
  );
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${title} — ${chrome.site.name}`}>
      <section class="admin">
        <nav class="mod-tabs" aria-label={t('admin.nav.label')}>
          {tab('/admin', 'settings', 'admin.nav.settings')}
          {tab('/admin/sites', 'sites', 'admin.nav.sites')}
          {tab('/admin/audit', 'audit', 'admin.nav.audit')}
          {tab('/admin/jobs', 'jobs', 'admin.nav.jobs')}
          {tab('/admin/webhooks', 'webhooks', 'admin.nav.webhooks')}
          {tab('/admin/sources', 'sources', 'admin.nav.sources')}
          <a href="/moderate">{t('admin.nav.queue')}</a>
          <a href="/import">{t('admin.nav.import')}</a>
        </nav>
        <h1>{title}</h1>
        {children}
      </section>
    </Layout>
  );
}

export function SettingsPage({ chrome, settings, error, notice, moderatorSites }: { chrome: PageChrome; settings: Settings; error?: string | null; notice?: string | null; moderatorSites?: ComponentChildren }) {
  const csrf = <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />;
  const { t } = useI18n();
  return (
    <AdminPage chrome={chrome} title={t('admin.settings.title')} current="settings">
      {error ? <p class="composer__error" role="alert">{error}</p> : null}
      {notice ? <p role="status">{notice}</p> : null}
      <form method="post" action="/admin/settings" class="admin-form">
        {csrf}
        <label for="s-banned">{t('admin.settings.banned')}</label>
        <textarea id="s-banned" name="bannedWords" rows={4}>{settings.bannedWords.join('\n')}</textarea>
        <label for="s-suspect">{t('admin.settings.suspect')}</label>
        <textarea id="s-suspect" name="suspectWords" rows={4}>{settings.suspectWords.join('\n')}</textarea>
        <label class="mod-item__check">
          <input type="checkbox" name="premodAll" value="1" checked={settings.premodAll} /> {t('admin.settings.premodAll')}
        </label>
        <label class="mod-item__check">
          <input type="checkbox" name="holdLinks" value="1" checked={settings.holdLinks} /> {t('admin.settings.holdLinks')}
        </label>
        {NUMBERS.map(([key, label, step]) => (
          <>
            <label for={`s-${key}`}>{t(label)}</label>
            <input id={`s-${key}`} name={key} type="number" step={step} min="0" value={settings[key] === null ? '' : String(settings[key])} />
          </>
        ))}
        <button type="submit">{t('admin.settings.save')}</button>
      </form>
      <h2>{t('admin.roles.title')}</h2>
      <form method="post" action="/admin/role" class="admin-form">
        {csrf}
        <label for="r-handle">{t('admin.roles.handle')}</label>
        <input id="r-handle" name="handle" required maxLength={60} />
        <label for="r-role">{t('admin.roles.role')}</label>
        <select id="r-role" name="role">
          {ROLES.map((r) => (
            <option value={r}>{roleName(t, r)}</option>
          ))}
        </select>
        <button type="submit">{t('admin.roles.change')}</button>
      </form>
      {moderatorSites ?? null}
    </AdminPage>
  );
}

export function AuditPage({ chrome, entries, next, filter }: { chrome: PageChrome; entries: (AuditEntry & { text: string })[]; next: string | null; filter: { action: string; actor: string } }) {
  const { t } = useI18n();
  return (
    <AdminPage chrome={chrome} title={t('admin.audit.title')} current="audit">
      <form method="get" action="/admin/audit" class="mod-filter">
        <label for="a-action">{t('admin.audit.action')}</label>
        <select id="a-action" name="action">
          <option value="">{t('admin.audit.every')}</option>
          {AUDIT_ACTIONS.map(([value, label]) => (
            <option value={value} selected={value === filter.action}>
              {t(label)}
            </option>
          ))}
        </select>
        <label for="a-actor">{t('admin.audit.by')}</label>
        <input id="a-actor" name="actor" value={filter.actor} maxLength={60} />
        <button type="submit" class="button button--secondary">
          {t('admin.audit.filter')}
        </button>
      </form>
      {entries.length === 0 ? (
        <p class="empty-state">{t('admin.audit.empty', { filtered: filter.action || filter.actor ? 'yes' : 'no' })}</p>
      ) : (
        <table class="table audit">
          <caption>{t('admin.audit.caption')}</caption>
          <TableHead columns={[t('admin.audit.when'), t('admin.audit.what')]} />
          <tbody>
            {entries.map((e) => (
              <tr>
                <td>
                  <time dateTime={e.createdAt}>{e.createdAt.slice(0, 16).replace('T', ' ')}</time>
                </td>
                <td>{e.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? (
        <p>
          <a href={`/admin/audit?cursor=${next}&action=${encodeURIComponent(filter.action)}&actor=${encodeURIComponent(filter.actor)}`}>{t('admin.audit.older')}</a>
        </p>
      ) : null}
    </AdminPage>
  );
}

// What a job was for, in words: shared with the audit log's sentences.
export { describeJob };

export function JobsPage({ chrome, jobs, next, notice }: { chrome: PageChrome; jobs: FailedJob[]; next: string | null; notice?: string | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <AdminPage chrome={chrome} title={t('admin.jobs.title')} current="jobs">
      {notice ? <p role="status">{notice}</p> : null}
      <p>{t('admin.jobs.lead')}</p>
      {jobs.length === 0 ? (
        <p>{t('admin.jobs.none')}</p>
      ) : (
        <table class="audit">
          <caption>{t('admin.jobs.caption')}</caption>
          <TableHead columns={[t('admin.jobs.job'), t('admin.jobs.failed'), t('admin.jobs.runs'), t('admin.jobs.lastError'), t('admin.jobs.actionColumn')]} />
          <tbody>
            {jobs.map((job) => (
              <tr>
                <td>
                  #{job.id} {describeJob(job, i18n)}
                </td>
                <td>{job.failedAt.slice(0, 19).replace('T', ' ')}</td>
                <td>{job.attempts}</td>
                <td>{job.lastError ?? ''}</td>
                <td>
                  <form method="post" action={`/admin/jobs/${job.id}/retry`}>
                    <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />
                    <button type="submit" aria-label={t('admin.jobs.runAgainLabel', { id: job.id })}>
                      {t('admin.jobs.runAgain')}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? (
        <p>
          <a href={`/admin/jobs?cursor=${next}`}>{t('admin.jobs.older')}</a>
        </p>
      ) : null}
    </AdminPage>
  );
}
