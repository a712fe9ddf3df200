import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { escapeAttribute, escapeText } from 'entities';
import type { Actor } from '../accounts/model.ts';
import type { Article } from '../articles/model.ts';
import type { ActionFacts, ConversationExtras } from '../comments/actions.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { csrfToken } from '../http/csrf.ts';
import type { MessageKey, Translator } from '../i18n/translator.ts';
import { useI18n } from '../i18n/view.ts';
import { Icon } from '../ui/icon.tsx';
import type { ArticleMode } from './model.ts';
import { canModerate, canModerateSite } from './policy.ts';
import { listQueue, type QueueItem } from './queues.ts';
import { moderatedSites } from './scope.ts';
import { articleMode } from './store.ts';
import { Csrf, ItemText, ReportList, readerModerationHref, utcText, whyHere } from './views.tsx';

// The conversation's controls on the article page, for its moderators only: a panel above the
// conversation (how it is moderated, and the comments held under it with the reasons) and a few
// buttons under each comment (feature, reject, clear reports). Signed-in pages share the
// conversation's HTML (src/comments/shared-conversation.tsx); nothing here enters it: the panel is
// rendered per viewer beside the section, and the buttons go into each comment's per-viewer slot.
// Every control is a plain form that POSTs (article-control-routes.tsx) and comes back here.

/** The most held comments the panel shows; the article's queue has the rest. */
export const PANEL_HELD_LIMIT = 20;

/** The ways a conversation can be moderated, each with a name and a hint (moderation.mode.*). */
export const MODE_LABELS: Record<ArticleMode, { label: MessageKey; hint: MessageKey }> = {
  post: { label: 'moderation.mode.post', hint: 'moderation.mode.postHint' },
  pre: { label: 'moderation.mode.pre', hint: 'moderation.mode.preHint' },
  closed: { label: 'moderation.mode.closed', hint: 'moderation.mode.closedHint' },
};

export const articleControlsPath = (slug: string) => `/articles/${encodeURIComponent(slug)}/moderation`;
export const commentDecisionPath = (slug: string, commentId: number) => `/articles/${encodeURIComponent(slug)}/comments/${commentId}/decision`;
const articleQueueHref = (queue: string, slug: string) => `/moderate?queue=${queue}&article=${encodeURIComponent(slug)}`;

export interface ArticleControlsData {
  slug: string;
  mode: ArticleMode;
  heldCount: number;
  held: QueueItem[];
  /** Approved comments under the article that are featured, or reported and not yet looked at. */
  marks: Map<number, { featured: boolean; openReports: number }>;
  csrf: () => string;
  /** The viewer's language, for the buttons written as strings into each comment's slot. */
  t: Translator['t'];
}

type Db = Kysely<Database>;

async function heldCountOf(db: Db, articleId: number): Promise<number> {
  const row = await db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('article_id', '=', articleId).where('status', '=', 'held').where('deleted_at', 'is', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Featured or reported comments of the article: few, so one small indexed read per page. */
async function commentMarks(db: Db, articleId: number): Promise<ArticleControlsData['marks']> {
  const rows = await db
    .selectFrom('comments')
    .select(['id', 'featured', 'open_reports'])
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('featured', '=', 1), eb('open_reports', '>', 0)]))
    .execute();
  return new Map(rows.map((r) => [Number(r.id), { featured: Number(r.featured) === 1, openReports: Number(r.open_reports) }]));
}

/** Whether this viewer moderates this article: moderators of its site (or of every site) and admins. */
export async function moderatesArticle(db: Db, actor: Actor | null, article: Pick<Article, 'siteId'>): Promise<boolean> {
  // Readers are most signed-in viewers: they cost no query.
  if (!canModerate(actor).allowed) return false;
  return canModerateSite(actor, await moderatedSites(db, actor), article.siteId).allowed;
}

/**
 * The extras a moderator of the article gets on its page, or null for everyone else. Given to the
 * comments feature by server.ts, so that the conversation never depends on moderation's views.
 */
export function articleControlsFor(ctx: AppContext) {
  const db = ctx.db.kysely;
  return async (request: FastifyRequest, reply: FastifyReply, article: Article, want = { panel: true }): Promise<ConversationExtras | null> => {
    if (!(await moderatesArticle(db, request.actor, article))) return null;
    const articleId = Number(article.id);
    // The island's fragments (a comment arriving live, more replies) want the buttons alone: the
    // panel's reads (mode, held queue) are skipped for them.
    const [mode, heldCount, { items }, marks] = await Promise.all([
      want.panel ? articleMode(db, articleId) : ('post' as const),
      want.panel ? heldCountOf(db, articleId) : 0,
      want.panel ? listQueue(db, 'held', { articleId, before: null, limit: PANEL_HELD_LIMIT }) : { items: [] },
      commentMarks(db, articleId),
    ]);
    reply.header('cache-control', 'no-store');
    const data: ArticleControlsData = { slug: article.slug, mode, heldCount, held: items, marks, csrf: () => csrfToken(reply), t: request.i18n.t };
    return { panel: want.panel ? <ArticleControlsPanel data={data} /> : null, actions: (facts) => commentControlsHtml(facts, data) };
  };
}

/** How the conversation is moderated: one radio group and one button. */
function ModeForm({ data }: { data: ArticleControlsData }) {
  const { t } = useI18n();
  return (
    <form method="post" action={articleControlsPath(data.slug)} class="mod-panel__mode">
      <Csrf csrf={data.csrf} />
      <fieldset>
        <legend>{t('moderation.mode.legend')}</legend>
        <div class="radio-group">
          {(Object.keys(MODE_LABELS) as ArticleMode[]).map((mode) => (
            <div class="mod-panel__option">
              <label class="check">
                <input type="radio" name="mode" value={mode} checked={mode === data.mode} aria-describedby={`mod-mode-${mode}-hint`} /> {t(MODE_LABELS[mode].label)}
              </label>
              <p class="mod-panel__hint" id={`mod-mode-${mode}-hint`}>
                {t(MODE_LABELS[mode].hint)}
              </p>
            </div>
          ))}
        </div>
        <button type="submit" class="button button--primary">
          {t('moderation.mode.save')}
        </button>
      </fieldset>
    </form>
  );
}

function DecisionButton({ data, item, decision, label, variant }: { data: ArticleControlsData; item: QueueItem; decision: string; label: string; variant: string }) {
  return (
    <form method="post" action={commentDecisionPath(data.slug, item.id)} class="mod-item__form" data-decision={decision}>
      <Csrf csrf={data.csrf} />
      <input type="hidden" name="decision" value={decision} />
      <input type="hidden" name="back" value="panel" />
      <button type="submit" class={`button button--${variant}`}>
        {label}
      </button>
    </form>
  );
}

/** One held comment: who, when, why it was held, what it says, and the decisions. */
function HeldComment({ data, item }: { data: ArticleControlsData; item: QueueItem }) {
  const headingId = `mh-${item.id}-h`;
  const { t } = useI18n();
  return (
    <li>
      <article class="mod-item mod-panel__held" id={`mh-${item.id}`} data-id={item.id} aria-labelledby={headingId}>
        <h4 id={headingId} class="mod-item__title">
          {item.author.displayName || t('moderation.item.deletedAccountCap')}{' '}
          {item.author.handle ? (
            <a class="mod-item__handle" href={readerModerationHref(item.author.handle)}>
              @{item.author.handle}
            </a>
          ) : null}{' '}
          <span class="mod-item__where">
            <time dateTime={item.createdAt}>{utcText(item.createdAt)}</time>
            {item.editedAt ? t('moderation.item.edited') : ''}
          </span>
        </h4>
        <dl class="mod-item__facts">
          <dt>{t('moderation.item.heldBecause')}</dt>
          <dd class="mod-panel__why">{whyHere(t, item)}</dd>
          {item.spamScore !== null ? (
            <>
              <dt>{t('moderation.item.spamScore')}</dt>
              <dd>{item.spamScore.toFixed(2)}</dd>
            </>
          ) : null}
          {item.reports.length ? (
            <>
              <dt>{t('moderation.item.reports', { count: item.reportCount })}</dt>
              <dd>
                <ReportList reports={item.reports} />
              </dd>
            </>
          ) : null}
        </dl>
        <ItemText item={item} />
        <div class="mod-item__actions">
          <DecisionButton data={data} item={item} decision="approve" label={t('moderation.decision.approve')} variant="primary" />
          <DecisionButton data={data} item={item} decision="feature" label={t('moderation.decision.approveAndFeature')} variant="secondary" />
          <form method="post" action={commentDecisionPath(data.slug, item.id)} class="mod-item__form mod-item__form--reject" data-decision="reject">
            <Csrf csrf={data.csrf} />
            <input type="hidden" name="decision" value="reject" />
            <input type="hidden" name="back" value="panel" />
            <label for={`mh-${item.id}-reason`}>{t('moderation.decision.reason')}</label>
            <input id={`mh-${item.id}-reason`} name="reason" required maxLength={1000} />
            <button type="submit" class="button button--danger">
              {t('moderation.decision.reject')}
            </button>
          </form>
        </div>
      </article>
    </li>
  );
}

export function ArticleControlsPanel({ data }: { data: ArticleControlsData }) {
  const more = data.heldCount - data.held.length;
  const { t } = useI18n();
  return (
    <section id="moderation" class="mod-panel" aria-labelledby="mod-panel-heading">
      <h2 id="mod-panel-heading">
        <Icon name="moderate" /> {t('moderation.page.title')}
      </h2>
      <p class="mod-panel__links">
        <a href={articleQueueHref('held', data.slug)}>{t('moderation.panel.articleQueues')}</a> · <a href="/moderate">{t('moderation.panel.allHeld')}</a>
      </p>
      <ModeForm data={data} />
      <h3 id="mod-panel-held">{t('moderation.panel.held', { count: data.heldCount })}</h3>
      {data.held.length ? (
        <ol class="mod-queue" aria-labelledby="mod-panel-held">
          {data.held.map((item) => (
            <HeldComment data={data} item={item} />
          ))}
        </ol>
      ) : null}
      {more > 0 ? (
        <p>
          <a href={articleQueueHref('held', data.slug)}>{t('moderation.panel.more', { count: more })}</a>
        </p>
      ) : null}
    </section>
  );
}

const decisionForm = (data: ArticleControlsData, id: number, decision: string, inner: string, extraClass = '') =>
  `<form method="post" action="${escapeAttribute(commentDecisionPath(data.slug, id))}" class="inline-form mod-inline__form${extraClass}" data-decision="${decision}">` +
  `<input type="hidden" name="_csrf" value="${escapeAttribute(data.csrf())}"><input type="hidden" name="decision" value="${decision}">${inner}</form>`;

/**
 * A moderator's buttons under a visible comment, written into its per-viewer slot as a string (the
 * slots are filled by concatenation, not rendered): feature or unfeature, clear open reports, and
 * reject with a reason for the author. Everything interpolated is a number, a fixed word or escaped (translations too).
 */
export function commentControlsHtml(c: ActionFacts, data: ArticleControlsData): string {
  if (c.status !== 'approved' || c.deletedAt) return '';
  const mark = data.marks.get(c.id);
  const t = data.t;
  const button = (variant: string, key: MessageKey) => `<button type="submit" class="button button--${variant}">${escapeText(t(key))}</button>`;
  let html = '<span class="mod-inline" data-mod-controls="">';
  html += mark?.featured
    ? decisionForm(data, c.id, 'unfeature', button('quiet', 'moderation.decision.unfeature'))
    : decisionForm(data, c.id, 'feature', button('quiet', 'moderation.decision.feature'));
  if (mark && mark.openReports > 0) {
    const reports = t('moderation.panel.openReports', { count: mark.openReports });
    html += `<a class="mod-inline__reports" href="${escapeAttribute(articleQueueHref('reported', data.slug))}">${escapeText(reports)}</a>`;
    html += decisionForm(data, c.id, 'approve', button('quiet', 'moderation.decision.keepAndClear'));
  }
  const reasonId = `mc-${c.id}-reason`;
  html +=
    `<details class="mod-inline__reject"><summary>${escapeText(t('moderation.decision.reject'))}</summary>` +
    decisionForm(
      data,
      c.id,
      'reject',
      `<label for="${reasonId}">${escapeText(t('moderation.decision.reason'))}</label> <input id="${reasonId}" name="reason" required maxlength="1000"> ${button('danger', 'moderation.decision.reject')}`,
    ) +
    '</details>';
  return `${html}</span>`;
}
