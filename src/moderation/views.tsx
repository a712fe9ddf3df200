import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { MessageKey, Translator } from '../i18n/translator.ts';
import { useI18n } from '../i18n/view.ts';
import { Icon } from '../ui/icon.tsx';
import type { ModeratorNote } from './notes.ts';
import { QUEUES, type Queue, type QueueItem } from './queues.ts';
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

// i18n-keys: moderation.reason.*
// i18n-keys: moderation.report.*
// i18n-keys: moderation.queue.*
const REASONS = new Set(['suspect_word', 'banned_word', 'link', 'repeated_text', 'reported', 'spam', 'new_reader', 'premoderated', 'trusted_role', 'no_objection']);
const REPORT_REASONS = new Set(['spam', 'abuse', 'off_topic', 'other']);

/** A queue's name ("Held", "Recent (unseen)") in the reader's language. */
export const queueLabel = (t: Translator['t'], queue: Queue) => t(`moderation.queue.${queue}` as MessageKey);

/** A comment's or an author's status word ("held", "suspended"), in the reader's language. */
export const statusText = (t: Translator['t'], status: string) => t('moderation.status', { status });

export const reportLabel = (t: Translator['t'], reason: string) => (REPORT_REASONS.has(reason) ? t(`moderation.report.${reason}` as MessageKey) : reason);

const sentence = (text: string) => text.trim().replace(/[.\s]+$/, '');

/** Why a comment is where it is, in one phrase: the pipeline's detail when it says more than the label. */
export function whyHere(t: Translator['t'], item: Pick<QueueItem, 'reason' | 'rejectionReason'>): string {
  const code = item.reason.code;
  const label = code ? (REASONS.has(code) ? t(`moderation.reason.${code}` as MessageKey) : code.replaceAll('_', ' ')) : t('moderation.reason.posted');
  // The pipeline's sentence in the moderator's language from its stored key and values; rows written
  // before those were stored (migration 0029) show the English the rules wrote then.
  const written = item.reason.detailValues ? t(item.reason.detailValues.key, item.reason.detailValues.values) : item.reason.detail;
  const detail = written && code !== 'no_objection' ? sentence(written) : null;
  const why = detail && detail.toLowerCase() !== label.toLowerCase() ? detail : label;
  return item.rejectionReason ? t('moderation.reason.told', { why, reason: sentence(item.rejectionReason) }) : why;
}

function Decision({ item, decision, label, csrf, back, variant }: { item: QueueItem; decision: string; label: string; csrf: () => string; back: string; variant: string }) {
  const { t } = useI18n();
  return (
    <form method="post" action={`/moderate/comments/${item.id}/decision`} class={`mod-item__form mod-item__form--${decision}`} data-decision={decision}>
      <Csrf csrf={csrf} />
      <input type="hidden" name="decision" value={decision} />
      <input type="hidden" name="back" value={back} />
      {decision === 'feature' ? (
        // Readers see it beside the comment in the conversation's Featured section (src/comments/featured.ts).
        <>
          <label for={`m-${item.id}-feature-note`}>{t('moderation.decision.featureNote')}</label>
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
  const { t } = useI18n();
  return (
    <>
      {item.parent ? (
        <blockquote class="mod-item__context">
          <p>{t('moderation.item.inReplyTo', { author: item.parent.author || t('moderation.item.deletedAccount'), body: item.parent.body })}</p>
        </blockquote>
      ) : null}
      <div class="mod-item__body comment__body" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
    </>
  );
}

export function ReportList({ reports }: { reports: ReportFact[] }) {
  const { t, rich } = useI18n();
  return (
    <ul class="mod-item__reports">
      {reports.map((r) => (
        <li>
          {rich('moderation.report.by', {
            reason: reportLabel(t, r.reason),
            reporter: r.reporter ? `${r.reporter.displayName} (@${r.reporter.handle})` : t('moderation.item.deletedAccount'),
            time: <time dateTime={r.createdAt}>{utcText(r.createdAt)}</time>,
          })}
          {r.text ? `: “${r.text}”` : ''}
        </li>
      ))}
    </ul>
  );
}

export function NoteList({ notes }: { notes: ModeratorNote[] }) {
  const { t, rich } = useI18n();
  return (
    <ul class="mod-notes">
      {notes.map((n) => (
        <li class="mod-note">
          <p class="mod-note__body">{n.body}</p>
          <p class="mod-note__meta">
            {rich('moderation.note.by', {
              author: n.author ? `${n.author.displayName} (@${n.author.handle})` : t('moderation.note.formerModerator'),
              time: <time dateTime={n.createdAt}>{utcText(n.createdAt)}</time>,
            })}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** Warn, suspend, ban or lift: the same form in the queue and on the reader's moderation page. */
export function SanctionForm({ handle, idPrefix, csrf, back }: { handle: string; idPrefix: string; csrf: () => string; back: string }) {
  const { t } = useI18n();
  return (
    <form method="post" action={`/moderate/readers/${encodeURIComponent(handle)}/sanction`} class="form-stack">
      <Csrf csrf={csrf} />
      <input type="hidden" name="back" value={back} />
      <label for={`${idPrefix}-kind`}>{t('moderation.sanction.kind')}</label>
      <select id={`${idPrefix}-kind`} name="kind">
        <option value="warn">{t('moderation.sanction.warn')}</option>
        <option value="suspend">{t('moderation.sanction.suspend')}</option>
        <option value="ban">{t('moderation.sanction.ban')}</option>
        <option value="lift">{t('moderation.sanction.lift')}</option>
      </select>
      <label for={`${idPrefix}-until`}>{t('moderation.sanction.until')}</label>
      <input id={`${idPrefix}-until`} name="until" type="datetime-local" />
      <label for={`${idPrefix}-sreason`}>{t('moderation.sanction.reason')}</label>
      <input id={`${idPrefix}-sreason`} name="reason" required maxLength={1000} />
      <label class="check">
        <input type="checkbox" name="rejectComments" value="1" /> {t('moderation.sanction.rejectAll')}
      </label>
      <button type="submit" class="button button--danger">
        {t('moderation.sanction.apply')}
      </button>
    </form>
  );
}

export function QueueItemView({ item, v }: { item: QueueItem; v: QueueView }) {
  const back = queueHref(v.queue, v.articleSlug);
  const headingId = `m-${item.id}-h`;
  const a = item.author;
  const { t, rich } = useI18n();
  return (
    <li>
      <article class="mod-item" id={`m-${item.id}`} data-id={item.id} tabIndex={-1} aria-labelledby={headingId}>
        <header class="mod-item__head">
          <label class="check mod-item__select">
            <input type="checkbox" name="ids" value={item.id} form="mod-bulk" data-bulk-item />
            <span class="visually-hidden">{t('moderation.item.select', { name: a.displayName })}</span>
          </label>
          <h2 id={headingId} class="mod-item__title">
            {a.displayName} <a class="mod-item__handle" href={readerModerationHref(a.handle)}>@{a.handle}</a>
            {a.role !== 'reader' ? <span class="comment__badge comment__badge--staff">{t('moderation.role', { role: a.role })}</span> : null}
            {item.featured ? <span class="comment__badge comment__badge--featured">{t('moderation.item.featured')}</span> : null}
          </h2>
          <p class="mod-item__where">
            {rich('moderation.item.on', {
              article: <a href={`/articles/${encodeURIComponent(item.article.slug)}/comments/${item.id}`}>{item.article.headline}</a>,
              time: <time dateTime={item.createdAt}>{utcText(item.createdAt)}</time>,
              status: statusText(t, item.status),
            })}
            {item.editedAt ? t('moderation.item.edited') : ''}
          </p>
        </header>
        <dl class="mod-item__facts">
          <dt>{t('moderation.item.whyHere')}</dt>
          <dd class="mod-item__why">{whyHere(t, item)}</dd>
          {item.tags.length ? (
            <>
              <dt>{t('moderation.item.tags')}</dt>
              <dd>{item.tags.join(', ')}</dd>
            </>
          ) : null}
          {item.spamScore !== null ? (
            <>
              <dt>{t('moderation.item.spamScore')}</dt>
              <dd>{item.spamScore.toFixed(2)}</dd>
            </>
          ) : null}
          <dt>{t('moderation.item.author')}</dt>
          <dd>
            {t('moderation.author.facts', { approved: a.approvedCount, rejected: a.rejectedCount, days: a.accountAgeDays, status: statusText(t, a.status) })}
            {a.sanctionReason ? ` (${sentence(a.sanctionReason)})` : ''}
          </dd>
          {a.notes.length ? (
            <>
              <dt>
                <Icon name="note" /> {t('moderation.item.notes')}
              </dt>
              <dd>
                <NoteList notes={a.notes} />
              </dd>
            </>
          ) : null}
          {item.reports.length ? (
            <>
              <dt>
                <Icon name="flag" /> {t('moderation.item.reports', { count: item.reportCount })}
              </dt>
              <dd>
                <ReportList reports={item.reports} />
              </dd>
            </>
          ) : null}
        </dl>
        <ItemText item={item} />
        <div class="mod-item__actions">
          {item.status !== 'approved' || item.openReports > 0 || v.queue === 'recent' ? <Decision item={item} decision="approve" label={t('moderation.decision.approveKey')} csrf={v.csrf} back={back} variant="primary" /> : null}
          {item.featured ? (
            <Decision item={item} decision="unfeature" label={t('moderation.decision.unfeature')} csrf={v.csrf} back={back} variant="secondary" />
          ) : (
            <Decision item={item} decision="feature" label={t('moderation.decision.featureKey')} csrf={v.csrf} back={back} variant="secondary" />
          )}
          {item.status !== 'rejected' ? (
            <form method="post" action={`/moderate/comments/${item.id}/decision`} class="mod-item__form mod-item__form--reject" data-decision="reject">
              <Csrf csrf={v.csrf} />
              <input type="hidden" name="decision" value="reject" />
              <input type="hidden" name="back" value={back} />
              <label for={`m-${item.id}-reason`}>{t('moderation.decision.reason')}</label>
              <input id={`m-${item.id}-reason`} name="reason" required maxLength={1000} />
              <button type="submit" class="button button--danger">
                {t('moderation.decision.rejectKey')}
              </button>
            </form>
          ) : null}
        </div>
        {a.role === 'reader' && v.maySanction !== false ? (
          <details class="mod-item__sanction">
            <summary>{t('moderation.sanction.summary', { handle: a.handle })}</summary>
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
  const { t } = useI18n();
  return (
    <form method="post" action="/moderate/bulk" id="mod-bulk" class="mod-bulk">
      <Csrf csrf={v.csrf} />
      <input type="hidden" name="back" value={queueHref(v.queue, v.articleSlug)} />
      <fieldset>
        <legend>{t('moderation.bulk.legend')}</legend>
        <label class="check mod-bulk__all" hidden data-bulk-all>
          <input type="checkbox" /> {t('moderation.bulk.all')}
        </label>
        <p class="mod-bulk__count" data-bulk-count aria-live="polite" hidden />
        <div class="radio-group" role="radiogroup" aria-label={t('moderation.bulk.decision')}>
          <label class="check">
            <input type="radio" name="decision" value="approve" checked /> {t('moderation.bulk.approve')}
          </label>
          <label class="check">
            <input type="radio" name="decision" value="reject" /> {t('moderation.bulk.reject')}
          </label>
        </div>
        <label for="mod-bulk-reason">{t('moderation.bulk.reason')}</label>
        <input id="mod-bulk-reason" name="reason" maxLength={1000} />
        <button type="submit" class="button button--primary">
          <Icon name="check" /> {t('moderation.bulk.apply')}
        </button>
      </fieldset>
    </form>
  );
}

export function QueueList({ v }: { v: QueueView }) {
  const { t } = useI18n();
  return (
    <div class="mod-list" id="mod-list">
      {v.items.length === 0 ? <p class="mod-empty">{t('moderation.queue.empty')}</p> : null}
      <ol class="mod-queue" aria-label={t('moderation.queue.comments', { queue: queueLabel(t, v.queue) })}>
        {v.items.map((item) => (
          <QueueItemView item={item} v={v} />
        ))}
      </ol>
      {v.nextCursor ? (
        <p>
          <a href={queueHref(v.queue, v.articleSlug, v.nextCursor)}>{t('moderation.queue.older')}</a>
        </p>
      ) : null}
    </div>
  );
}

export type ModerationTab = Queue | 'readers' | 'audit';

/** The tabs every moderation page shares: the queues, the readers, and (admins) the audit log. */
export function ModerationTabs({ current, articleSlug = null, isAdmin, held = null }: { current: ModerationTab; articleSlug?: string | null; isAdmin: boolean; held?: number | null }) {
  const { t } = useI18n();
  const tab = (href: string, key: ModerationTab, label: ComponentChildren) => (
    <a href={href} aria-current={key === current ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav class="mod-tabs" aria-label={t('moderation.tabs.label')}>
      {QUEUES.map((q) =>
        tab(
          queueHref(q, articleSlug),
          q,
          q === 'held' && held !== null ? (
            <>
              {queueLabel(t, q)} <span class="count-badge">{held}</span>
            </>
          ) : (
            queueLabel(t, q)
          ),
        ),
      )}
      {tab('/moderate/readers', 'readers', t('moderation.tabs.readers'))}
      {isAdmin ? tab('/admin/audit', 'audit', t('moderation.tabs.audit')) : null}
    </nav>
  );
}

/** The queue's keyboard shortcuts (src/client/moderate.ts) and what each does. */
export const SHORTCUTS: [string, MessageKey][] = [
  ['j', 'moderation.shortcut.j'],
  ['k', 'moderation.shortcut.k'],
  ['a', 'moderation.shortcut.a'],
  ['r', 'moderation.shortcut.r'],
  ['f', 'moderation.shortcut.f'],
  ['?', 'moderation.shortcut.help'],
];
