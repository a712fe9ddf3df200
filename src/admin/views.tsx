import type { ComponentChildren } from 'preact';
import { ROLES } from '../accounts/model.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { AuditEntry } from '../moderation/store.ts';
import { AUDIT_ACTIONS, describeJob } from '../moderation/audit-text.ts';
import type { FailedJob } from '../events/failed-jobs.ts';
import type { Settings } from '../settings/model.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { TableHead } from '../ui/table.tsx';

// The admin pages: settings (word lists, pre-moderation, links, thresholds, edit window, rate limit,
// auto-close), roles, the audit log, and the background jobs that gave up.

const NUMBERS: [keyof Settings, string, string][] = [
  ['newReaderHoldCount', 'Hold a new reader’s comments until this many are approved (0: off)', '1'],
  ['reportHoldThreshold', 'Reports that hold a comment (0: off)', '1'],
  ['spamHoldThreshold', 'Spam score that holds a comment (0–1; 1: off)', '0.01'],
  ['editWindowMinutes', 'Edit window, in minutes', '1'],
  ['commentIntervalSeconds', 'Seconds between two comments by one reader (rate limit)', '1'],
  ['commentMaxLength', 'Longest comment, in characters', '1'],
  ['autoCloseDays', 'Close conversations this many days after publication (empty: never)', '1'],
];

export function AdminPage({ chrome, title, children }: { chrome: PageChrome; title: string; children: any }) {
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${title} — ${chrome.site.name}`}>
      <section class="admin">
        <nav class="mod-tabs" aria-label="Administration">
          <a href="/admin" aria-current={title === 'Settings' ? 'page' : undefined}>Settings</a>
          <a href="/admin/sites" aria-current={title === 'Sites' || title.startsWith('Site:') ? 'page' : undefined}>Sites</a>
          <a href="/admin/audit" aria-current={title === 'Audit log' ? 'page' : undefined}>Audit log</a>
          <a href="/admin/jobs" aria-current={title === 'Failed background jobs' ? 'page' : undefined}>Failed jobs</a>
          <a href="/admin/webhooks" aria-current={title === 'Webhooks' || title.startsWith('Webhook:') ? 'page' : undefined}>Webhooks</a>
          <a href="/admin/sources" aria-current={title === 'Sources' ? 'page' : undefined}>Sources</a>
          <a href="/moderate">Moderation queue</a>
          <a href="/import">Import an article</a>
        </nav>
        <h1>{title}</h1>
        {children}
      </section>
    </Layout>
  );
}

/** `moderatorSites`: the form that limits moderators to some sites (src/admin/sites-views.tsx), under the roles. */
export function SettingsPage({ chrome, settings, error, notice, moderatorSites }: { chrome: PageChrome; settings: Settings; error?: string | null; notice?: string | null; moderatorSites?: ComponentChildren }) {
  const csrf = <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />;
  return (
    <AdminPage chrome={chrome} title="Settings">
      {error ? <p class="composer__error" role="alert">{error}</p> : null}
      {notice ? <p role="status">{notice}</p> : null}
      <form method="post" action="/admin/settings" class="admin-form">
        {csrf}
        <label for="s-banned">Banned words (one per line; these reject a comment)</label>
        <textarea id="s-banned" name="bannedWords" rows={4}>{settings.bannedWords.join('\n')}</textarea>
        <label for="s-suspect">Suspect words (one per line; these hold a comment)</label>
        <textarea id="s-suspect" name="suspectWords" rows={4}>{settings.suspectWords.join('\n')}</textarea>
        <label class="mod-item__check">
          <input type="checkbox" name="premodAll" value="1" checked={settings.premodAll} /> Pre-moderate every article
        </label>
        <label class="mod-item__check">
          <input type="checkbox" name="holdLinks" value="1" checked={settings.holdLinks} /> Hold comments that contain links
        </label>
        {NUMBERS.map(([key, label, step]) => (
          <>
            <label for={`s-${key}`}>{label}</label>
            <input id={`s-${key}`} name={key} type="number" step={step} min="0" value={settings[key] === null ? '' : String(settings[key])} />
          </>
        ))}
        <button type="submit">Save settings</button>
      </form>
      <h2>Roles</h2>
      <form method="post" action="/admin/role" class="admin-form">
        {csrf}
        <label for="r-handle">Reader’s handle</label>
        <input id="r-handle" name="handle" required maxLength={60} />
        <label for="r-role">Role</label>
        <select id="r-role" name="role">
          {ROLES.map((r) => (
            <option value={r}>{r}</option>
          ))}
        </select>
        <button type="submit">Change role</button>
      </form>
      {moderatorSites ?? null}
    </AdminPage>
  );
}

export function AuditPage({ chrome, entries, next, filter }: { chrome: PageChrome; entries: (AuditEntry & { text: string })[]; next: string | null; filter: { action: string; actor: string } }) {
  return (
    <AdminPage chrome={chrome} title="Audit log">
      <form method="get" action="/admin/audit" class="mod-filter">
        <label for="a-action">Action</label>
        <select id="a-action" name="action">
          <option value="">Every action</option>
          {AUDIT_ACTIONS.map(([value, label]) => (
            <option value={value} selected={value === filter.action}>
              {label}
            </option>
          ))}
        </select>
        <label for="a-actor">By (handle)</label>
        <input id="a-actor" name="actor" value={filter.actor} maxLength={60} />
        <button type="submit" class="button button--secondary">
          Filter
        </button>
      </form>
      {entries.length === 0 ? (
        <p class="empty-state">Nothing recorded{filter.action || filter.actor ? ' for this filter' : ' yet'}.</p>
      ) : (
        <table class="table audit">
          <caption>Every moderation and admin action, newest first</caption>
          <TableHead columns={['When (UTC)', 'What happened']} />
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
          <a href={`/admin/audit?cursor=${next}&action=${encodeURIComponent(filter.action)}&actor=${encodeURIComponent(filter.actor)}`}>Older entries</a>
        </p>
      ) : null}
    </AdminPage>
  );
}

// What a job was for, in words: shared with the audit log's sentences.
export { describeJob };

export function JobsPage({ chrome, jobs, next, notice }: { chrome: PageChrome; jobs: FailedJob[]; next: string | null; notice?: string | null }) {
  return (
    <AdminPage chrome={chrome} title="Failed background jobs">
      {notice ? <p role="status">{notice}</p> : null}
      <p>
        Mail and picture copies run in the background and are retried with growing pauses. These gave up. Fix the cause (the mail
        server, the picture’s address) and run them again.
      </p>
      {jobs.length === 0 ? (
        <p>No job has failed.</p>
      ) : (
        <table class="audit">
          <caption>Failed jobs, newest first</caption>
          <TableHead columns={['Job', 'Failed (UTC)', 'Runs', 'Last error', 'Action']} />
          <tbody>
            {jobs.map((job) => (
              <tr>
                <td>
                  #{job.id} {describeJob(job)}
                </td>
                <td>{job.failedAt.slice(0, 19).replace('T', ' ')}</td>
                <td>{job.attempts}</td>
                <td>{job.lastError ?? ''}</td>
                <td>
                  <form method="post" action={`/admin/jobs/${job.id}/retry`}>
                    <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />
                    <button type="submit" aria-label={`Run job ${job.id} again`}>
                      Run again
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
          <a href={`/admin/jobs?cursor=${next}`}>Older failures</a>
        </p>
      ) : null}
    </AdminPage>
  );
}
