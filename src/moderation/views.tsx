import { CSRF_FIELD } from '../http/csrf.ts';
import { QUEUE_LABELS, QUEUES, type Queue, type QueueItem } from './queues.ts';

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

const Csrf = ({ csrf }: { csrf: () => string }) => <input type="hidden" name={CSRF_FIELD} value={csrf()} />;

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
  no_objection: 'No rule objected',
};

function Decision({ item, decision, label, csrf, back }: { item: QueueItem; decision: string; label: string; csrf: () => string; back: string }) {
  return (
    <form method="post" action={`/moderate/comments/${item.id}/decision`} class={`mod-item__form mod-item__form--${decision}`} data-decision={decision}>
      <Csrf csrf={csrf} />
      <input type="hidden" name="decision" value={decision} />
      <input type="hidden" name="back" value={back} />
      <button type="submit">{label}</button>
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
          <h2 id={headingId} class="mod-item__title">
            {a.displayName} <span class="mod-item__handle">@{a.handle}</span>
            {a.role !== 'reader' ? <span class="comment__badge comment__badge--staff">{a.role}</span> : null}
            {item.featured ? <span class="comment__badge comment__badge--featured">Featured</span> : null}
          </h2>
          <p class="mod-item__where">
            on <a href={`/articles/${encodeURIComponent(item.article.slug)}/comments/${item.id}`}>{item.article.headline}</a> ·{' '}
            <time dateTime={item.createdAt}>{item.createdAt.slice(0, 16).replace('T', ' ')} UTC</time> · {item.status}
            {item.editedAt ? ' · edited' : ''}
          </p>
        </header>
        <dl class="mod-item__facts">
          <dt>Why here</dt>
          <dd>
            {item.reason.code ? REASON_LABELS[item.reason.code] ?? item.reason.code : 'Posted'}
            {item.reason.detail ? ` — ${item.reason.detail}` : ''}
            {item.rejectionReason ? ` (author told: “${item.rejectionReason}”)` : ''}
          </dd>
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
            {a.notes ? ` — note: ${a.notes}` : ''}
          </dd>
          {item.reports.length ? (
            <>
              <dt>Reports ({item.reportCount})</dt>
              <dd>
                <ul class="mod-item__reports">
                  {item.reports.map((r) => (
                    <li>
                      {r.reason.replace('_', '-')}
                      {r.text ? `: ${r.text}` : ''}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
        </dl>
        {item.parent ? (
          <blockquote class="mod-item__context">
            <p>
              In reply to {item.parent.author}: {item.parent.body}
            </p>
          </blockquote>
        ) : null}
        <div class="mod-item__body comment__body" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
        <div class="mod-item__actions">
          {item.status !== 'approved' || item.openReports > 0 || v.queue === 'recent' ? <Decision item={item} decision="approve" label="Approve (a)" csrf={v.csrf} back={back} /> : null}
          {item.featured ? <Decision item={item} decision="unfeature" label="Unfeature" csrf={v.csrf} back={back} /> : <Decision item={item} decision="feature" label="Feature (f)" csrf={v.csrf} back={back} />}
          {item.status !== 'rejected' ? (
            <form method="post" action={`/moderate/comments/${item.id}/decision`} class="mod-item__form mod-item__form--reject" data-decision="reject">
              <Csrf csrf={v.csrf} />
              <input type="hidden" name="decision" value="reject" />
              <input type="hidden" name="back" value={back} />
              <label for={`m-${item.id}-reason`}>Reason for the author</label>
              <input id={`m-${item.id}-reason`} name="reason" required maxLength={1000} />
              <button type="submit">Reject (r)</button>
            </form>
          ) : null}
        </div>
        {a.role === 'reader' && v.maySanction !== false ? (
          <details class="mod-item__sanction">
            <summary>Sanction @{a.handle}</summary>
            <form method="post" action={`/moderate/readers/${encodeURIComponent(a.handle)}/sanction`}>
              <Csrf csrf={v.csrf} />
              <input type="hidden" name="back" value={back} />
              <label for={`m-${item.id}-kind`}>Sanction</label>
              <select id={`m-${item.id}-kind`} name="kind">
                <option value="warn">Warn</option>
                <option value="suspend">Suspend</option>
                <option value="ban">Ban</option>
                <option value="lift">Lift</option>
              </select>
              <label for={`m-${item.id}-until`}>Until (suspensions)</label>
              <input id={`m-${item.id}-until`} name="until" type="datetime-local" />
              <label for={`m-${item.id}-sreason`}>Reason</label>
              <input id={`m-${item.id}-sreason`} name="reason" required maxLength={1000} />
              <label class="mod-item__check">
                <input type="checkbox" name="rejectComments" value="1" /> With a ban, reject all their comments
              </label>
              <button type="submit">Apply</button>
            </form>
          </details>
        ) : null}
      </article>
    </li>
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

export function QueueNav({ queue, articleSlug }: { queue: Queue; articleSlug: string | null }) {
  return (
    <nav class="mod-tabs" aria-label="Queues">
      {QUEUES.map((q) => (
        <a href={queueHref(q, articleSlug)} aria-current={q === queue ? 'page' : undefined}>
          {QUEUE_LABELS[q]}
        </a>
      ))}
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
