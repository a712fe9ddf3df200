import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../http/csrf.ts';
import { Icon } from '../ui/icon.tsx';
import type { ModeratorNote } from './notes.ts';
import { QUEUE_LABELS, QUEUES, type Queue, type QueueItem } from './queues.ts';
import type { ReportFact } from './store.ts';

// The moderators' queue: the same markup on the page and in the fragment the island fetches when the
// queue changes. Every action is a plain form, so the page works without JavaScript.

export interface QueueView {
  queue: Queue;
  articleSlug: string | null;
  items: QueueItem[];
  nextCursor: string | null;
  csrf: () => string;
  /** False for a moderator limited to some sites: sanctions hold everywhere, so theirs are not offered. */
  maySanction?: boolean;
}

export const queueHref = (queue: Queue, articleSlug: string | null, cursor?: string) =>
  `/moderate?queue=${queue}${articleSlug ? `&article=${encodeURIComponent(articleSlug)}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;

export const readerModerationHref = (handle: string) => `/moderate/readers/${encodeURIComponent(handle)}`;

export const Csrf = ({ csrf }: { csrf: () => string }) => <input type="hidden" name={CSRF_FIELD} value={csrf()} />;

/** "2026-12-01 14:05 UTC": moderators compare times across the newsroom, so one zone for all. */
export const utcText = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

const REASON_LABELS: Record<string, string> = {
  suspect_word: 'Suspect word',
  banned_word: 'Banned word',
  link: 'Contains a link',
  repeated_text: 'Repeated text',
  reported: 'Reported by readers',
  spam: 'Looks like spam',
  new_reader: 'New reader',
  premoderated: 'Pre-moderated',
  trusted_role: 'Newsroom',
  no_objection: 'Posted: no rule objected',
};

const REPORT_LABELS: Record<string, string> = { spam: 'Spam or advertising', abuse: 'Abuse or harassment', off_topic: 'Off-topic', other: 'Something else' };

const sentence = (text: string) => text.trim().replace(/[.\s]+$/, '');

/** Why a comment is where it is, in one phrase: the pipeline's detail when it says more than the label. */
export function whyHere(item: Pick<QueueItem, 'reason' | 'rejectionReason'>): string {
  const label = item.reason.code ? REASON_LABELS[item.reason.code] ?? item.reason.code.replaceAll('_', ' ') : 'Posted';
  const detail = item.reason.detail && item.reason.code !== 'no_objection' ? sentence(item.reason.detail) : null;
  const told = item.rejectionReason ? ` (author told: “${sentence(item.rejectionReason)}”)` : '';
  return `${detail && detail.toLowerCase() !== label.toLowerCase() ? detail : label}${told}`;
}

function Decision({ item, decision, label, csrf, back, variant }: { item: QueueItem; decision: string; label: string; csrf: () => string; back: string; variant: string }) {
  return (
    <form method="post" action={`/moderate/comments/${item.id}/decision`} class={`mod-item__form mod-item__form--${decision}`} data-decision={decision}>
      <Csrf csrf={csrf} />
      <input type="hidden" name="decision" value={decision} />
      <input type="hidden" name="back" value={back} />
      {decision === 'feature' ? (
        // Readers see it beside the comment in the conversation's Featured section (src/comments/featured.ts).
        <>
          <label for={`m-${item.id}-feature-note`}>Note for readers (optional)</label>
          <input id={`m-${item.id}-feature-note`} name="reason" maxLength={300} />
        </>
      ) : null}
      <button type="submit" class={`button button--${variant}`}>
        {label}
      </button>
    </form>
  );
}

/** A held or reported comment's text, after what it replies to: the queue and the article page's panel show it alike. */
export function ItemText({ item }: { item: Pick<QueueItem, 'parent' | 'bodyHtml'> }) {
  return (
    <>
      {item.parent ? (
        <blockquote class="mod-item__context">
          <p>
            In reply to {item.parent.author || 'a deleted account'}: {item.parent.body}
          </p>
        </blockquote>
      ) : null}
      <div class="mod-item__body comment__body" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
    </>
  );
}

export function ReportList({ reports }: { reports: ReportFact[] }) {
  return (
    <ul class="mod-item__reports">
      {reports.map((r) => (
        <li>
          {REPORT_LABELS[r.reason] ?? r.reason}, by {r.reporter ? `${r.reporter.displayName} (@${r.reporter.handle})` : 'a deleted account'}, <time dateTime={r.createdAt}>{utcText(r.createdAt)}</time>
          {r.text ? `: “${r.text}”` : ''}
        </li>
      ))}
    </ul>
  );
}

export function NoteList({ notes }: { notes: ModeratorNote[] }) {
  return (
    <ul class="mod-notes">
      {notes.map((n) => (
        <li class="mod-note">
          <p class="mod-note__body">{n.body}</p>
          <p class="mod-note__meta">
            {n.author ? `${n.author.displayName} (@${n.author.handle})` : 'A former moderator'}, <time dateTime={n.createdAt}>{utcText(n.createdAt)}</time>
          </p>
        </li>
      ))}
    </ul>
  );
}

/** Warn, suspend, ban or lift: the same form in the queue and on the reader's moderation page. */
export function SanctionForm({ handle, idPrefix, csrf, back }: { handle: string; idPrefix: string; csrf: () => string; back: string }) {
  return (
    <form method="post" action={`/moderate/readers/${encodeURIComponent(handle)}/sanction`} class="form-stack">
      <Csrf csrf={csrf} />
      <input type="hidden" name="back" value={back} />
      <label for={`${idPrefix}-kind`}>Sanction</label>
      <select id={`${idPrefix}-kind`} name="kind">
        <option value="warn">Warn</option>
        <option value="suspend">Suspend</option>
        <option value="ban">Ban</option>
        <option value="lift">Lift the current sanction</option>
      </select>
      <label for={`${idPrefix}-until`}>Until (suspensions; UTC)</label>
      <input id={`${idPrefix}-until`} name="until" type="datetime-local" />
      <label for={`${idPrefix}-sreason`}>Reason (the reader is told it)</label>
      <input id={`${idPrefix}-sreason`} name="reason" required maxLength={1000} />
      <label class="check">
        <input type="checkbox" name="rejectComments" value="1" /> With a ban, reject all their comments
      </label>
      <button type="submit" class="button button--danger">
        Apply
      </button>
    </form>
  );
}

export function QueueItemView({ item, v }: { item: QueueItem; v: QueueView }) {
  const back = queueHref(v.queue, v.articleSlug);
  const headingId = `m-${item.id}-h`;
  const a = item.author;
  return (
    <li>
      <article class="mod-item" id={`m-${item.id}`} data-id={item.id} tabIndex={-1} aria-labelledby={headingId}>
        <header class="mod-item__head">
          <label class="check mod-item__select">
            <input type="checkbox" name="ids" value={item.id} form="mod-bulk" data-bulk-item />
            <span class="visually-hidden">Select the comment by {a.displayName}</span>
          </label>
          <h2 id={headingId} class="mod-item__title">
            {a.displayName} <a class="mod-item__handle" href={readerModerationHref(a.handle)}>@{a.handle}</a>
            {a.role !== 'reader' ? <span class="comment__badge comment__badge--staff">{a.role}</span> : null}
            {item.featured ? <span class="comment__badge comment__badge--featured">Featured</span> : null}
          </h2>
          <p class="mod-item__where">
            on <a href={`/articles/${encodeURIComponent(item.article.slug)}/comments/${item.id}`}>{item.article.headline}</a> · <time dateTime={item.createdAt}>{utcText(item.createdAt)}</time> · {item.status}
            {item.editedAt ? ' · edited' : ''}
          </p>
        </header>
        <dl class="mod-item__facts">
          <dt>Why here</dt>
          <dd>{whyHere(item)}</dd>
          {item.tags.length ? (
            <>
              <dt>Tags</dt>
              <dd>{item.tags.join(', ')}</dd>
            </>
          ) : null}
          {item.spamScore !== null ? (
            <>
              <dt>Spam score</dt>
              <dd>{item.spamScore.toFixed(2)}</dd>
            </>
          ) : null}
          <dt>Author</dt>
          <dd>
            {a.approvedCount} approved, {a.rejectedCount} rejected, account {a.accountAgeDays} day{a.accountAgeDays === 1 ? '' : 's'} old, {a.status}
            {a.sanctionReason ? ` (${sentence(a.sanctionReason)})` : ''}
          </dd>
          {a.notes.length ? (
            <>
              <dt>
                <Icon name="note" /> Notes
              </dt>
              <dd>
                <NoteList notes={a.notes} />
              </dd>
            </>
          ) : null}
          {item.reports.length ? (
            <>
              <dt>
                <Icon name="flag" /> {item.reportCount === 1 ? '1 report' : `${item.reportCount} reports`}
              </dt>
              <dd>
                <ReportList reports={item.reports} />
              </dd>
            </>
          ) : null}
        </dl>
        <ItemText item={item} />
        <div class="mod-item__actions">
          {item.status !== 'approved' || item.openReports > 0 || v.queue === 'recent' ? <Decision item={item} decision="approve" label="Approve (a)" csrf={v.csrf} back={back} variant="primary" /> : null}
          {item.featured ? (
            <Decision item={item} decision="unfeature" label="Unfeature" csrf={v.csrf} back={back} variant="secondary" />
          ) : (
            <Decision item={item} decision="feature" label="Feature (f)" csrf={v.csrf} back={back} variant="secondary" />
          )}
          {item.status !== 'rejected' ? (
            <form method="post" action={`/moderate/comments/${item.id}/decision`} class="mod-item__form mod-item__form--reject" data-decision="reject">
              <Csrf csrf={v.csrf} />
              <input type="hidden" name="decision" value="reject" />
              <input type="hidden" name="back" value={back} />
              <label for={`m-${item.id}-reason`}>Reason for the author</label>
              <input id={`m-${item.id}-reason`} name="reason" required maxLength={1000} />
              <button type="submit" class="button button--danger">
                Reject (r)
              </button>
            </form>
          ) : null}
        </div>
        {a.role === 'reader' && v.maySanction !== false ? (
          <details class="mod-item__sanction">
            <summary>Sanction @{a.handle}</summary>
            <SanctionForm handle={a.handle} idPrefix={`m-${item.id}`} csrf={v.csrf} back={back} />
          </details>
        ) : null}
      </article>
    </li>
  );
}

/**
 * One decision for the comments ticked in the queue. The checkboxes sit in each item and join this
 * form through their `form` attribute, so it works without JavaScript; the island adds "select all"
 * and a count.
 */
export function BulkForm({ v }: { v: QueueView }) {
  return (
    <form method="post" action="/moderate/bulk" id="mod-bulk" class="mod-bulk">
      <Csrf csrf={v.csrf} />
      <input type="hidden" name="back" value={queueHref(v.queue, v.articleSlug)} />
      <fieldset>
        <legend>Decide on the selected comments</legend>
        <label class="check mod-bulk__all" hidden data-bulk-all>
          <input type="checkbox" /> Select all on this page
        </label>
        <p class="mod-bulk__count" data-bulk-count aria-live="polite" hidden />
        <div class="radio-group" role="radiogroup" aria-label="Decision">
          <label class="check">
            <input type="radio" name="decision" value="approve" checked /> Approve
          </label>
          <label class="check">
            <input type="radio" name="decision" value="reject" /> Reject
          </label>
        </div>
        <label for="mod-bulk-reason">Reason for the authors (needed to reject)</label>
        <input id="mod-bulk-reason" name="reason" maxLength={1000} />
        <button type="submit" class="button button--primary">
          <Icon name="check" /> Apply to the selected comments
        </button>
      </fieldset>
    </form>
  );
}

export function QueueList({ v }: { v: QueueView }) {
  return (
    <div class="mod-list" id="mod-list">
      {v.items.length === 0 ? <p class="mod-empty">Nothing in this queue.</p> : null}
      <ol class="mod-queue" aria-label={`${QUEUE_LABELS[v.queue]} comments`}>
        {v.items.map((item) => (
          <QueueItemView item={item} v={v} />
        ))}
      </ol>
      {v.nextCursor ? (
        <p>
          <a href={queueHref(v.queue, v.articleSlug, v.nextCursor)}>Older comments</a>
        </p>
      ) : null}
    </div>
  );
}

export type ModerationTab = Queue | 'readers' | 'audit';

/** The tabs every moderation page shares: the queues, the readers, and (admins) the audit log. */
export function ModerationTabs({ current, articleSlug = null, isAdmin, held = null }: { current: ModerationTab; articleSlug?: string | null; isAdmin: boolean; held?: number | null }) {
  const tab = (href: string, key: ModerationTab, label: ComponentChildren) => (
    <a href={href} aria-current={key === current ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav class="mod-tabs" aria-label="Moderation">
      {QUEUES.map((q) =>
        tab(
          queueHref(q, articleSlug),
          q,
          q === 'held' && held !== null ? (
            <>
              {QUEUE_LABELS[q]} <span class="count-badge">{held}</span>
            </>
          ) : (
            QUEUE_LABELS[q]
          ),
        ),
      )}
      {tab('/moderate/readers', 'readers', 'Readers')}
      {isAdmin ? tab('/admin/audit', 'audit', 'Audit log') : null}
    </nav>
  );
}

export const SHORTCUTS: [string, string][] = [
  ['j', 'next comment'],
  ['k', 'previous comment'],
  ['a', 'approve'],
  ['r', 'reject (type the reason, then Enter)'],
  ['f', 'feature'],
  ['?', 'show or hide this help'],
];
