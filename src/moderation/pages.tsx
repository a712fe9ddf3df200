import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { Icon } from '../ui/icon.tsx';
import { NOTE_MAX_LENGTH, type ModeratorNote } from './notes.ts';
import { QUEUE_LABELS } from './queues.ts';
import type { Sanction } from './sanctions.ts';
import { BulkForm, Csrf, ModerationTabs, NoteList, QueueList, readerModerationHref, SanctionForm, SHORTCUTS, utcText, whyHere, type QueueView } from './views.tsx';
import { TableHead } from '../ui/table.tsx';

// Whole pages of moderation: the queue, the readers, a reader's report form, and a warned reader's warning.

const isAdmin = (chrome: PageChrome) => chrome.actor?.role === 'admin';

function ModerationLayout({ chrome, title, children }: { chrome: PageChrome; title: string; children: any }) {
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${title} — ${chrome.site.name}`}>
      {children}
    </Layout>
  );
}

export function ModeratePage({ chrome, v, lastEventId, articles, held = null, notice = null }: { chrome: PageChrome; v: QueueView; lastEventId: number; articles: { slug: string; headline: string }[]; held?: number | null; notice?: string | null }) {
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} islands={['moderate']} title={`Moderation: ${QUEUE_LABELS[v.queue]} — ${chrome.site.name}`}>
      <section class="moderate" id="moderate" data-queue={v.queue} data-article={v.articleSlug ?? ''} data-after={lastEventId}>
        <h1>Moderation</h1>
        <ModerationTabs current={v.queue} articleSlug={v.articleSlug} isAdmin={isAdmin(chrome)} held={held} />
        {notice ? (
          <p class="notice" role="status">
            {notice}
          </p>
        ) : null}
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
          <button type="submit" class="button button--secondary">
            Filter
          </button>
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
        {v.items.length ? <BulkForm v={v} /> : null}
        <QueueList v={v} />
      </section>
    </Layout>
  );
}

export interface ReaderSummary {
  handle: string;
  displayName: string;
  role: string;
  createdAt: string;
  status: string;
  sanction: Sanction | null;
  approvedCount: number;
  heldCount: number;
  rejectedCount: number;
}

export interface ReaderComment {
  id: number;
  articleSlug: string;
  headline: string;
  status: string;
  body: string;
  createdAt: string;
  reason: { code: string | null; detail: string | null; phase: string | null };
  rejectionReason: string | null;
}

export function ReaderModerationPage({
  chrome,
  reader,
  notes,
  comments,
  maySanction,
  error = null,
  notice = null,
}: {
  chrome: PageChrome;
  reader: ReaderSummary;
  notes: ModeratorNote[];
  comments: ReaderComment[];
  maySanction: boolean;
  error?: string | null;
  notice?: string | null;
}) {
  const here = readerModerationHref(reader.handle);
  const s = reader.sanction;
  return (
    <ModerationLayout chrome={chrome} title={`Moderation: ${reader.displayName} (@${reader.handle})`}>
      <section class="moderate">
        <h1>
          {reader.displayName} <span class="mod-item__handle">@{reader.handle}</span>
        </h1>
        <ModerationTabs current="readers" isAdmin={isAdmin(chrome)} />
        {notice ? (
          <p class="notice" role="status">
            {notice}
          </p>
        ) : null}
        <dl class="mod-item__facts">
          <dt>Role</dt>
          <dd>{reader.role}</dd>
          <dt>Joined</dt>
          <dd>
            <time dateTime={reader.createdAt}>{utcText(reader.createdAt)}</time>
          </dd>
          <dt>Comments</dt>
          <dd>
            {reader.approvedCount} approved, {reader.heldCount} held, {reader.rejectedCount} rejected
          </dd>
          <dt>Standing</dt>
          <dd>
            {reader.status}
            {s ? ` (${s.kind === 'suspend' && s.until ? `suspended until ${utcText(s.until.toISOString())}` : s.kind === 'warn' ? 'warned' : 'banned'}: “${s.reason}”)` : ''}
          </dd>
          <dt>Public page</dt>
          <dd>
            <a href={`/readers/${encodeURIComponent(reader.handle)}`}>/readers/{reader.handle}</a>
          </dd>
        </dl>

        <h2 id="notes">
          <Icon name="note" /> Moderator notes
        </h2>
        <p class="field__hint">Only moderators and admins see these notes. Adding one is recorded in the audit log.</p>
        {notes.length ? <NoteList notes={notes} /> : <p class="empty-state">No notes yet.</p>}
        <form method="post" action={`${here}/notes`} class="form-stack">
          <Csrf csrf={chrome.csrf} />
          <label for="note-body">New note</label>
          {error ? (
            <p class="field__error" id="note-error">
              {error}
            </p>
          ) : null}
          <textarea id="note-body" name="body" rows={3} required maxLength={NOTE_MAX_LENGTH} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'note-error' : undefined} />
          <button type="submit" class="button button--primary">
            Add the note
          </button>
        </form>

        {maySanction && reader.role !== 'admin' ? (
          <>
            <h2>Sanction</h2>
            <SanctionForm handle={reader.handle} idPrefix="reader" csrf={chrome.csrf} back={here} />
          </>
        ) : null}

        <h2>Latest comments</h2>
        {comments.length ? (
          <table class="table">
            <caption class="visually-hidden">The reader’s latest comments, newest first</caption>
            <TableHead columns={['When', 'Article', 'Status', 'Comment']} />
            <tbody>
              {comments.map((c) => (
                <tr>
                  <td>
                    <time dateTime={c.createdAt}>{utcText(c.createdAt)}</time>
                  </td>
                  <td>
                    <a href={`/articles/${encodeURIComponent(c.articleSlug)}/comments/${c.id}`}>{c.headline}</a>
                  </td>
                  <td>
                    {c.status}
                    {c.status !== 'approved' ? <span class="mod-reader__why"> — {whyHere(c)}</span> : null}
                  </td>
                  <td>{c.body.length > 200 ? `${c.body.slice(0, 200)}…` : c.body}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="empty-state">No comments on the sites you moderate.</p>
        )}
      </section>
    </ModerationLayout>
  );
}

export interface ReaderListing {
  handle: string;
  displayName: string;
  detail: string;
}

export function ReadersPage({ chrome, sanctioned, noted, error = null, query = '' }: { chrome: PageChrome; sanctioned: ReaderListing[]; noted: ReaderListing[]; error?: string | null; query?: string }) {
  const list = (readers: ReaderListing[], empty: string) =>
    readers.length ? (
      <ul class="mod-readers">
        {readers.map((r) => (
          <li>
            <a href={readerModerationHref(r.handle)}>
              {r.displayName} (@{r.handle})
            </a>{' '}
            — {r.detail}
          </li>
        ))}
      </ul>
    ) : (
      <p class="empty-state">{empty}</p>
    );
  return (
    <ModerationLayout chrome={chrome} title="Moderation: readers">
      <section class="moderate">
        <h1>Readers</h1>
        <ModerationTabs current="readers" isAdmin={isAdmin(chrome)} />
        <form method="get" action="/moderate/readers" class="mod-filter">
          <label for="reader-handle">Find a reader by handle</label>
          {error ? (
            <p class="field__error" id="reader-handle-error">
              {error}
            </p>
          ) : null}
          <input id="reader-handle" name="handle" value={query} maxLength={60} required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'reader-handle-error' : undefined} />
          <button type="submit" class="button button--secondary">
            Open
          </button>
        </form>
        <h2>Sanctioned readers</h2>
        {list(sanctioned, 'Nobody is warned, suspended or banned.')}
        <h2>Recently noted</h2>
        {list(noted, 'No moderator notes yet.')}
      </section>
    </ModerationLayout>
  );
}

export function ReportPage({ chrome, commentId, author, back, error, done = false }: { chrome: PageChrome; commentId: number; author: string; back: string; error?: string | null; done?: boolean }) {
  if (done) {
    return (
      <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`Thank you for your report — ${chrome.site.name}`}>
        <section class="mod-report">
          <h1>Thank you for your report</h1>
          <p class="notice" role="status">
            A moderator will look at the comment by {author}. You will not see the report form for it again.
          </p>
          <p>
            <a href={back}>Back to the comment</a>
          </p>
        </section>
      </Layout>
    );
  }
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`Report a comment — ${chrome.site.name}`}>
      <section class="mod-report">
        <h1>Report the comment by {author}</h1>
        <form method="post" action={`/comments/${commentId}/report`} class="form-stack">
          <Csrf csrf={chrome.csrf} />
          <fieldset>
            <legend>What is wrong with it?</legend>
            <div class="radio-group">
              {(
                [
                  ['spam', 'Spam or advertising'],
                  ['abuse', 'Abuse or harassment'],
                  ['off_topic', 'Off-topic'],
                  ['other', 'Something else (say what below)'],
                ] as const
              ).map(([value, label], i) => (
                <label class="check mod-report__choice">
                  <input type="radio" name="reason" value={value} required checked={i === 0} /> {label}
                </label>
              ))}
            </div>
          </fieldset>
          <label for="report-text">Anything the moderators should know (optional, required for “something else”)</label>
          <textarea id="report-text" name="text" rows={3} maxLength={1000} aria-describedby="report-error" />
          <p class="composer__error" id="report-error" role="alert">
            {error ?? ''}
          </p>
          <button type="submit" class="button button--primary">
            Send the report
          </button>
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
                <Csrf csrf={chrome.csrf} />
                <button type="submit" class="button button--primary">
                  I have read this and will keep to the rules
                </button>
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
