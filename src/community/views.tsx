import { avatarPath, readerPath } from '../accounts/presenter.ts';
import { commentUrl } from '../comments/presenter.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import type { FeedComment } from './feed-store.ts';
import type { FollowedConversation } from './following-store.ts';
import type { NotificationItem } from './notifications-store.ts';
import type { ListedReader } from './store.ts';
import { kindLabel, notificationSentence } from './notification-text.ts';
import { dateFormatter } from '../ui/date-format.ts';
import { useI18n } from '../i18n/view.ts';
import { htmlLang } from '../i18n/request.ts';

// The community's pages: notifications, activity, the unsubscribe confirmation. Every action is a
// plain form that POSTs and redirects, so all of it works without JavaScript.

const when = (iso: string, locale: string) => dateFormatter({ dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }, htmlLang(locale)).format(new Date(iso));

function Csrf({ chrome }: { chrome: PageChrome }) {
  return <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />;
}

// Called from a component's render, so it reads that page's language.
function page(chrome: PageChrome, title: string, children: preact.ComponentChildren, islands: string[] = []) {
  const { t } = useI18n();
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={t('layout.title', { page: title, site: chrome.site.name })} islands={islands}>
      {children}
    </Layout>
  );
}

export function notificationHref(n: NotificationItem): string {
  if (n.article && n.commentId !== null) return commentUrl(n.article.slug, { id: n.commentId });
  if (n.article) return `/articles/${encodeURIComponent(n.article.slug)}`;
  return n.actor ? readerPath(n.actor.handle) : '/notifications';
}

export function NotificationsPage({ chrome, items, unread, next }: { chrome: PageChrome; items: NotificationItem[]; unread: number; next: string | null }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  return page(
    chrome,
    t('community.notifications.title'),
    <section class="community-page" aria-labelledby="page-title">
      <h1 id="page-title">{t('community.notifications.title')}</h1>
      <p>
        {t('community.notifications.unread', { count: unread })} <a href="/settings/notifications">{t('community.settings.title')}</a>
      </p>
      {unread > 0 ? (
        <form method="post" action="/notifications/read">
          <Csrf chrome={chrome} />
          <input type="hidden" name="all" value="true" />
          <button type="submit">{t('community.notifications.markAll')}</button>
        </form>
      ) : null}
      {items.length === 0 ? <p>{t('community.notifications.empty')}</p> : null}
      <ul class="notification-list">
        {items.map((n) => (
          <li class={`notification${n.readAt ? '' : ' notification--unread'}`} data-notification={n.id}>
            <a href={`/notifications/${n.id}/open`}>{notificationSentence({ kind: n.kind, actorName: n.actor?.displayName ?? null, actorCount: n.actorCount, headline: n.article?.headline ?? null }, i18n)}</a>{' '}
            <time dateTime={n.createdAt}>{when(n.createdAt, locale)}</time>
            {n.readAt ? null : (
              <form method="post" action="/notifications/read" class="notification__read">
                <Csrf chrome={chrome} />
                <input type="hidden" name="id" value={String(n.id)} />
                <button type="submit">
                  {t('community.notifications.markRead')}
                  <span class="visually-hidden">{t('community.notifications.markReadWhich', { kind: kindLabel(n.kind, i18n), id: n.id })}</span>
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      {next ? (
        <p>
          <a href={`/notifications?cursor=${encodeURIComponent(next)}`}>{t('community.notifications.older')}</a>
        </p>
      ) : null}
    </section>,
  );
}

export function CommentList({ comments, showAuthor = true }: { comments: FeedComment[]; showAuthor?: boolean }) {
  const { t, rich, locale } = useI18n();
  return (
    <ol class="feed-list">
      {comments.map((c) => (
        <li class="feed-item" data-comment={c.id}>
          <p class="feed-item__meta">
            {showAuthor ? <img class="avatar avatar--small" src={avatarPath(c.author.handle)} alt="" width={28} height={28} /> : null}
            {showAuthor ? ' ' : null}
            {rich('community.feed.wrote', {
              who: showAuthor ? 'other' : 'self',
              what: c.parentId === null ? 'comment' : 'reply',
              author: <a href={readerPath(c.author.handle)}>{c.author.displayName}</a>,
              article: <a href={`/articles/${encodeURIComponent(c.article.slug)}`}>{c.article.headline}</a>,
            })}{' '}
            · <a href={commentUrl(c.article.slug, c)}><time dateTime={c.createdAt}>{when(c.createdAt, locale)}</time></a>
            {c.via === 'conversation' ? <span class="feed-item__via"> · {t('community.feed.viaConversation')}</span> : null}
          </p>
          <div class="feed-item__body" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
        </li>
      ))}
    </ol>
  );
}

export function ActivityPage({ chrome, comments, next, lastEventId }: { chrome: PageChrome; comments: FeedComment[]; next: string | null; lastEventId: number }) {
  const { t } = useI18n();
  return page(
    chrome,
    t('accounts.nav.activity'),
    <section class="community-page" aria-labelledby="page-title" data-activity data-after={String(lastEventId)}>
      <h1 id="page-title">{t('accounts.nav.activity')}</h1>
      <YourTabs current="activity" />
      <p>{t('community.activity.lead')}</p>
      <p class="activity__new" data-activity-new hidden>
        <a href="/activity">{t('community.activity.new')}</a>
      </p>
      {comments.length === 0 ? <p>{t('community.activity.empty')}</p> : null}
      <CommentList comments={comments} />
      {next ? (
        <p>
          <a href={`/activity?cursor=${encodeURIComponent(next)}`}>{t('community.activity.older')}</a>
        </p>
      ) : null}
    </section>,
  );
}

export function UnsubscribePage({ chrome, label, token, done }: { chrome: PageChrome; label: string | null; token: string; done: boolean }) {
  const { t } = useI18n();
  return page(
    chrome,
    t('community.unsubscribe.title', { done: 'no' }),
    <section class="community-page" aria-labelledby="page-title">
      <h1 id="page-title">{t('community.unsubscribe.title', { done: done ? 'yes' : 'no' })}</h1>
      {label === null ? (
        <p>{t('community.unsubscribe.invalid')}</p>
      ) : done ? (
        <p>{t('community.unsubscribe.done', { label })}</p>
      ) : (
        <form method="post" action={`/unsubscribe/${encodeURIComponent(token)}`}>
          <p>{t('community.unsubscribe.confirm', { label })}</p>
          <button type="submit">{t('community.unsubscribe.title', { done: 'no' })}</button>
        </form>
      )}
      <p>
        <a href="/settings/notifications">{t('community.settings.title')}</a>
      </p>
    </section>,
  );
}

export function FollowListPage({ chrome, owner, list, readers, next }: { chrome: PageChrome; owner: { handle: string; displayName: string }; list: 'followers' | 'following'; readers: ListedReader[]; next: string | null }) {
  const { t } = useI18n();
  const title = t('community.followList.title', { list, name: owner.displayName });
  return page(
    chrome,
    title,
    <section class="community-page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      <p>
        <a href={readerPath(owner.handle)}>{t('community.followList.back', { name: owner.displayName })}</a>
      </p>
      {readers.length === 0 ? <p>{t('community.followList.empty')}</p> : null}
      <ul class="reader-list">
        {readers.map((r) => (
          <li>
            <img class="avatar avatar--small" src={avatarPath(r.handle)} alt="" width={28} height={28} /> <a href={readerPath(r.handle)}>{r.displayName}</a>
          </li>
        ))}
      </ul>
      {next ? (
        <p>
          <a href={`${readerPath(owner.handle)}/${list}?cursor=${encodeURIComponent(next)}`}>{t('community.followList.more')}</a>
        </p>
      ) : null}
    </section>,
  );
}

/** The signed-in reader's two views of what they follow. */
function YourTabs({ current }: { current: 'activity' | 'following' }) {
  const { t } = useI18n();
  const tab = (name: typeof current, href: string, label: string) => (
    <a href={href} aria-current={current === name ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav class="tabs" aria-label={t('community.tabs.label')}>
      {tab('activity', '/activity', t('accounts.nav.activity'))}
      {tab('following', '/following', t('community.following.title'))}
    </nav>
  );
}

export function FollowingPage({ chrome, items, next }: { chrome: PageChrome; items: FollowedConversation[]; next: string | null }) {
  const { t, locale } = useI18n();
  return page(
    chrome,
    t('community.following.title'),
    <section class="community-page" aria-labelledby="page-title">
      <h1 id="page-title">{t('community.following.title')}</h1>
      <YourTabs current="following" />
      <p>{t('community.following.lead')}</p>
      {items.length === 0 ? <p>{t('community.following.empty')}</p> : null}
      <ul class="following-list">
        {items.map((c) => {
          const href = `/articles/${encodeURIComponent(c.slug)}`;
          return (
            <li class="following-list__item">
              <a class="following-list__headline" href={href}>
                {c.headline}
              </a>
              <span class="following-list__meta">
                {c.newReplies > 0 ? (
                  <a class="following-list__new" href={`${href}#comments`}>
                    {t('community.following.newReplies', { count: c.newReplies })}
                  </a>
                ) : (
                  t('community.following.newReplies', { count: 0 })
                )}
                {' · '}
                {t('articles.commentCount', { count: c.commentCount })}
                {c.lastCommentAt ? <> · {t('community.following.last', { time: when(c.lastCommentAt, locale) })}</> : null}
              </span>
            </li>
          );
        })}
      </ul>
      {next ? (
        <p>
          <a href={`/following?cursor=${encodeURIComponent(next)}`}>{t('community.following.more')}</a>
        </p>
      ) : null}
    </section>,
  );
}
