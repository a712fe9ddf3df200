import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { CSRF_FIELD } from '../http/csrf.ts';
import { QUEUE_LABELS } from './queues.ts';
import type { Sanction } from './sanctions.ts';
import { QueueList, QueueNav, SHORTCUTS, type QueueView } from './views.tsx';

// Whole pages of moderation: the queue, a reader's report form, and a warned reader's warning.

export function ModeratePage({ chrome, v, lastEventId, articles }: { chrome: PageChrome; v: QueueView; lastEventId: number; articles: { slug: string; headline: string }[] }) {
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} islands={['moderate']} title={`Moderation: ${QUEUE_LABELS[v.queue]} — ${chrome.site.name}`}>
      <section class="moderate" id="moderate" data-queue={v.queue} data-article={v.articleSlug ?? ''} data-after={lastEventId}>
        <h1>Moderation</h1>
        <QueueNav queue={v.queue} articleSlug={v.articleSlug} />
        <form method="get" action="/moderate" class="mod-filter">
          <input type="hidden" name="queue" value={v.queue} />
          <label for="mod-article">Article</label>
          <select id="mod-article" name="article">
            <option value="">All articles</option>
            {articles.map((a) => (
              <option value={a.slug} selected={a.slug === v.articleSlug}>
                {a.headline}
              </option>
            ))}
          </select>
          <button type="submit">Filter</button>
        </form>
        <details class="mod-help" id="mod-help">
          <summary>Keyboard shortcuts (?)</summary>
          <dl>
            {SHORTCUTS.map(([key, what]) => (
              <>
                <dt>
                  <kbd>{key}</kbd>
                </dt>
                <dd>{what}</dd>
              </>
            ))}
          </dl>
        </details>
        <p class="mod-status" role="status" aria-live="polite" />
        <QueueList v={v} />
      </section>
    </Layout>
  );
}

export function ReportPage({ chrome, commentId, author, back, error }: { chrome: PageChrome; commentId: number; author: string; back: string; error?: string | null }) {
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`Report a comment — ${chrome.site.name}`}>
      <section class="mod-report">
        <h1>Report the comment by {author}</h1>
        <form method="post" action={`/comments/${commentId}/report`}>
          <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />
          <fieldset>
            <legend>What is wrong with it?</legend>
            {(
              [
                ['spam', 'Spam or advertising'],
                ['abuse', 'Abuse or harassment'],
                ['off_topic', 'Off-topic'],
                ['other', 'Something else (say what below)'],
              ] as const
            ).map(([value, label], i) => (
              <label class="mod-report__choice">
                <input type="radio" name="reason" value={value} required checked={i === 0} /> {label}
              </label>
            ))}
          </fieldset>
          <label for="report-text">Anything the moderators should know (optional, required for “something else”)</label>
          <textarea id="report-text" name="text" rows={3} maxLength={1000} aria-describedby="report-error" />
          <p class="composer__error" id="report-error" role="alert">
            {error ?? ''}
          </p>
          <button type="submit">Send the report</button>
          <p>
            <a href={back}>Back to the comment</a>
          </p>
        </form>
      </section>
    </Layout>
  );
}

export function WarningPage({ chrome, sanction }: { chrome: PageChrome; sanction: Sanction | null }) {
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`A message from the moderators — ${chrome.site.name}`}>
      <section class="mod-warning">
        <h1>A message from the moderators</h1>
        {sanction?.kind === 'warn' ? (
          <>
            <p>A moderator has warned you:</p>
            <blockquote>
              <p>{sanction.reason}</p>
            </blockquote>
            {sanction.acknowledgedAt ? (
              <p>You have acknowledged this warning and can comment again.</p>
            ) : (
              <form method="post" action="/moderation/warning">
                <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />
                <button type="submit">I have read this and will keep to the rules</button>
              </form>
            )}
          </>
        ) : (
          <p>There is no warning on your account.</p>
        )}
      </section>
    </Layout>
  );
}
