import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { Icon } from '../ui/icon.tsx';
import { NOTE_MAX_LENGTH, type ModeratorNote } from './notes.ts';
import type { Translator } from '../i18n/translator.ts';
import { useI18n } from '../i18n/view.ts';
import type { StoredDetail } from './model.ts';
import type { Sanction } from './sanctions.ts';
import { BulkForm, Csrf, ModerationTabs, NoteList, queueLabel, QueueList, readerModerationHref, SanctionForm, SHORTCUTS, statusText, utcText, whyHere, type QueueView } from './views.tsx';
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
  const { t } = useI18n();
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} islands={['moderate']} title={`${t('moderation.page.queueTitle', { queue: queueLabel(t, v.queue) })} — ${chrome.site.name}`}>
      <section class="moderate" id="moderate" data-queue={v.queue} data-article={v.articleSlug ?? ''} data-after={lastEventId} data-messages={JSON.stringify(islandMessages(t))}>
        <h1>{t('moderation.page.title')}</h1>
        <ModerationTabs current={v.queue} articleSlug={v.articleSlug} isAdmin={isAdmin(chrome)} held={held} />
        {notice ? (
          <p class="notice" role="status">
            {notice}
          </p>
        ) : null}
        <form method="get" action="/moderate" class="mod-filter">
          <input type="hidden" name="queue" value={v.queue} />
          <label for="mod-article">{t('moderation.page.article')}</label>
          <select id="mod-article" name="article">
            <option value="">{t('moderation.page.allArticles')}</option>
            {articles.map((a) => (
              <option value={a.slug} selected={a.slug === v.articleSlug}>
                {a.headline}
              </option>
            ))}
          </select>
          <button type="submit" class="button button--secondary">
            {t('moderation.page.filter')}
          </button>
        </form>
        <details class="mod-help" id="mod-help">
          <summary>{t('moderation.page.shortcuts')}</summary>
          <dl>
            {SHORTCUTS.map(([key, what]) => (
              <>
                <dt>
                  <kbd>{key}</kbd>
                </dt>
                <dd>{t(what)}</dd>
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
  reason: { code: string | null; detail: string | null; detailValues: StoredDetail | null; phase: string | null };
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
  const { t } = useI18n();
  return (
    <ModerationLayout chrome={chrome} title={t('moderation.reader.title', { name: reader.displayName, handle: reader.handle })}>
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
          <dt>{t('moderation.reader.role')}</dt>
          <dd>{t('moderation.role', { role: reader.role })}</dd>
          <dt>{t('moderation.reader.joined')}</dt>
          <dd>
            <time dateTime={reader.createdAt}>{utcText(reader.createdAt)}</time>
          </dd>
          <dt>{t('moderation.reader.comments')}</dt>
          <dd>{t('moderation.reader.commentCounts', { approved: reader.approvedCount, held: reader.heldCount, rejected: reader.rejectedCount })}</dd>
          <dt>{t('moderation.reader.standing')}</dt>
          <dd>
            {statusText(t, reader.status)}
            {s
              ? t('moderation.reader.sanctionState', {
                  kind: s.kind === 'suspend' && s.until ? 'suspend' : s.kind === 'warn' ? 'warn' : 'ban',
                  until: s.until,
                  reason: s.reason,
                })
              : ''}
          </dd>
          <dt>{t('moderation.reader.publicPage')}</dt>
          <dd>
            <a href={`/readers/${encodeURIComponent(reader.handle)}`}>/readers/{reader.handle}</a>
          </dd>
        </dl>

        <h2 id="notes">
          <Icon name="note" /> {t('moderation.reader.notes')}
        </h2>
        <p class="field__hint">{t('moderation.reader.notesHint')}</p>
        {notes.length ? <NoteList notes={notes} /> : <p class="empty-state">{t('moderation.reader.noNotes')}</p>}
        <form method="post" action={`${here}/notes`} class="form-stack">
          <Csrf csrf={chrome.csrf} />
          <label for="note-body">{t('moderation.reader.newNote')}</label>
          {error ? (
            <p class="field__error" id="note-error">
              {error}
            </p>
          ) : null}
          <textarea id="note-body" name="body" rows={3} required maxLength={NOTE_MAX_LENGTH} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'note-error' : undefined} />
          <button type="submit" class="button button--primary">
            {t('moderation.reader.addNote')}
          </button>
        </form>

        {maySanction && reader.role !== 'admin' ? (
          <>
            <h2>{t('moderation.reader.sanction')}</h2>
            <SanctionForm handle={reader.handle} idPrefix="reader" csrf={chrome.csrf} back={here} />
          </>
        ) : null}

        <h2>{t('moderation.reader.latest')}</h2>
        {comments.length ? (
          <table class="table">
            <caption class="visually-hidden">{t('moderation.reader.commentsCaption')}</caption>
            <TableHead columns={[t('moderation.table.when'), t('moderation.table.article'), t('moderation.table.status'), t('moderation.table.comment')]} />
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
                    {statusText(t, c.status)}
                    {c.status !== 'approved' ? <span class="mod-reader__why"> — {whyHere(t, c)}</span> : null}
                  </td>
                  <td>{c.body.length > 200 ? `${c.body.slice(0, 200)}…` : c.body}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="empty-state">{t('moderation.reader.noComments')}</p>
        )}
      </section>
    </ModerationLayout>
  );
}

export interface ReaderListing {
  handle: string;
  displayName: string;
  /** A current sanction (`until`: the end of a suspension, an ISO 8601 instant) or how many notes moderators wrote. */
  detail: { kind: string; until: string | null; reason: string } | { notes: number };
}

/** "warned: reason", "suspended until … UTC: reason", "3 notes", in the moderator's language. */
const listingText = (t: Translator['t'], detail: ReaderListing['detail']) =>
  'notes' in detail
    ? t('moderation.readers.notes', { count: detail.notes })
    : detail.until
      ? t('moderation.readers.suspendedUntil', { until: new Date(detail.until), reason: detail.reason })
      : t('moderation.readers.sanction', { kind: detail.kind, reason: detail.reason });

export function ReadersPage({ chrome, sanctioned, noted, error = null, query = '' }: { chrome: PageChrome; sanctioned: ReaderListing[]; noted: ReaderListing[]; error?: string | null; query?: string }) {
  const { t } = useI18n();
  const list = (readers: ReaderListing[], empty: string) =>
    readers.length ? (
      <ul class="mod-readers">
        {readers.map((r) => (
          <li>
            <a href={readerModerationHref(r.handle)}>
              {r.displayName} (@{r.handle})
            </a>{' '}
            — {listingText(t, r.detail)}
          </li>
        ))}
      </ul>
    ) : (
      <p class="empty-state">{empty}</p>
    );
  return (
    <ModerationLayout chrome={chrome} title={t('moderation.readers.pageTitle')}>
      <section class="moderate">
        <h1>{t('moderation.readers.title')}</h1>
        <ModerationTabs current="readers" isAdmin={isAdmin(chrome)} />
        <form method="get" action="/moderate/readers" class="mod-filter">
          <label for="reader-handle">{t('moderation.readers.find')}</label>
          {error ? (
            <p class="field__error" id="reader-handle-error">
              {error}
            </p>
          ) : null}
          <input id="reader-handle" name="handle" value={query} maxLength={60} required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'reader-handle-error' : undefined} />
          <button type="submit" class="button button--secondary">
            {t('moderation.readers.open')}
          </button>
        </form>
        <h2>{t('moderation.readers.sanctioned')}</h2>
        {list(sanctioned, t('moderation.readers.sanctionedEmpty'))}
        <h2>{t('moderation.readers.noted')}</h2>
        {list(noted, t('moderation.readers.notedEmpty'))}
      </section>
    </ModerationLayout>
  );
}

export function ReportPage({ chrome, commentId, author, back, error, done = false }: { chrome: PageChrome; commentId: number; author: string; back: string; error?: string | null; done?: boolean }) {
  const { t } = useI18n();
  if (done) {
    return (
      <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${t('moderation.report.thanks')} — ${chrome.site.name}`}>
        <section class="mod-report">
          <h1>{t('moderation.report.thanks')}</h1>
          <p class="notice" role="status">
            {t('moderation.report.doneLead', { author })}
          </p>
          <p>
            <a href={back}>{t('moderation.report.back')}</a>
          </p>
        </section>
      </Layout>
    );
  }
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${t('moderation.report.title')} — ${chrome.site.name}`}>
      <section class="mod-report">
        <h1>{t('moderation.report.heading', { author })}</h1>
        <form method="post" action={`/comments/${commentId}/report`} class="form-stack">
          <Csrf csrf={chrome.csrf} />
          <fieldset>
            <legend>{t('moderation.report.legend')}</legend>
            <div class="radio-group">
              {(
                [
                  ['spam', t('moderation.report.spam')],
                  ['abuse', t('moderation.report.abuse')],
                  ['off_topic', t('moderation.report.off_topic')],
                  ['other', t('moderation.report.otherChoice')],
                ] as const
              ).map(([value, label], i) => (
                <label class="check mod-report__choice">
                  <input type="radio" name="reason" value={value} required checked={i === 0} /> {label}
                </label>
              ))}
            </div>
          </fieldset>
          <label for="report-text">{t('moderation.report.text')}</label>
          <textarea id="report-text" name="text" rows={3} maxLength={1000} aria-describedby="report-error" />
          <p class="composer__error" id="report-error" role="alert">
            {error ?? ''}
          </p>
          <button type="submit" class="button button--primary">
            {t('moderation.report.send')}
          </button>
          <p>
            <a href={back}>{t('moderation.report.back')}</a>
          </p>
        </form>
      </section>
    </Layout>
  );
}

export function WarningPage({ chrome, sanction }: { chrome: PageChrome; sanction: Sanction | null }) {
  const { t } = useI18n();
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${t('moderation.warning.title')} — ${chrome.site.name}`}>
      <section class="mod-warning">
        <h1>{t('moderation.warning.title')}</h1>
        {sanction?.kind === 'warn' ? (
          <>
            <p>{t('moderation.warning.warned')}</p>
            <blockquote>
              <p>{sanction.reason}</p>
            </blockquote>
            {sanction.acknowledgedAt ? (
              <p>{t('moderation.warning.acknowledged')}</p>
            ) : (
              <form method="post" action="/moderation/warning">
                <Csrf csrf={chrome.csrf} />
                <button type="submit" class="button button--primary">
                  {t('moderation.warning.acknowledge')}
                </button>
              </form>
            )}
          </>
        ) : (
          <p>{t('moderation.warning.none')}</p>
        )}
      </section>
    </Layout>
  );
}

/** What the queue's island says, in the page's language: it ships only these, not a catalog. "{n}" is the count's place. */
function islandMessages(t: ReturnType<typeof useI18n>['t']) {
  return {
    selectedNone: t('moderation.island.selectedNone'),
    selectedOne: t('moderation.island.selectedOne'),
    selectedMany: t('moderation.island.selectedMany', { count: '{n}' }),
    failed: t('moderation.island.failed'),
    done: Object.fromEntries(['approve', 'reject', 'feature', 'unfeature'].map((decision) => [decision, t('moderation.island.done', { decision })])),
    doneOther: t('moderation.island.done', { decision: 'other' }),
  };
}
