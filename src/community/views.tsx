import { avatarPath, readerPath } from '../accounts/presenter.ts';
import { commentUrl } from '../comments/presenter.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import type { FeedComment } from './feed-store.ts';
import type { FollowedConversation } from './following-store.ts';
import type { NotificationItem } from './notifications-store.ts';
import type { ListedReader } from './store.ts';
import { notificationSentence } from './notification-text.ts';
import { dateFormatter } from '../ui/date-format.ts';

// The community's pages: notifications, activity, the unsubscribe confirmation. Every action is a
// plain form that POSTs and redirects, so all of it works without JavaScript.

const when = (iso: string) => dateFormatter({ dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso));

function Csrf({ chrome }: { chrome: PageChrome }) {
  return <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />;
}

function page(chrome: PageChrome, title: string, children: preact.ComponentChildren, islands: string[] = []) {
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${title} — ${chrome.site.name}`} islands={islands}>
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
  return page(
    chrome,
    'Notifications',
    <section class="community-page" aria-labelledby="page-title">
      <h1 id="page-title">Notifications</h1>
      <p>
        {unread === 0 ? 'Nothing unread.' : `${unread} unread.`} <a href="/settings/notifications">Notification settings</a>
      </p>
      {unread > 0 ? (
        <form method="post" action="/notifications/read">
          <Csrf chrome={chrome} />
          <input type="hidden" name="all" value="true" />
          <button type="submit">Mark all as read</button>
        </form>
      ) : null}
      {items.length === 0 ? <p>No notifications yet. Follow readers and conversations to hear of them here.</p> : null}
      <ul class="notification-list">
        {items.map((n) => (
          <li class={`notification${n.readAt ? '' : ' notification--unread'}`} data-notification={n.id}>
            <a href={`/notifications/${n.id}/open`}>{notificationSentence({ kind: n.kind, actorName: n.actor?.displayName ?? null, actorCount: n.actorCount, headline: n.article?.headline ?? null })}</a>{' '}
            <time dateTime={n.createdAt}>{when(n.createdAt)}</time>
            {n.readAt ? null : (
              <form method="post" action="/notifications/read" class="notification__read">
                <Csrf chrome={chrome} />
                <input type="hidden" name="id" value={String(n.id)} />
                <button type="submit">
                  Mark read<span class="visually-hidden">: {n.kind.replace(/_/g, ' ')} {n.id}</span>
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      {next ? (
        <p>
          <a href={`/notifications?cursor=${encodeURIComponent(next)}`}>Older notifications</a>
        </p>
      ) : null}
    </section>,
  );
}

export function CommentList({ comments, showAuthor = true }: { comments: FeedComment[]; showAuthor?: boolean }) {
  return (
    <ol class="feed-list">
      {comments.map((c) => (
        <li class="feed-item" data-comment={c.id}>
          <p class="feed-item__meta">
            {showAuthor ? (
              <>
                <img class="avatar avatar--small" src={avatarPath(c.author.handle)} alt="" width={28} height={28} /> <a href={readerPath(c.author.handle)}>{c.author.displayName}</a>{' '}
                {c.parentId === null ? 'commented on' : 'replied on'}{' '}
              </>
            ) : (
              <>{c.parentId === null ? 'Commented on' : 'Replied on'} </>
            )}
            <a href={`/articles/${encodeURIComponent(c.article.slug)}`}>{c.article.headline}</a> · <a href={commentUrl(c.article.slug, c)}><time dateTime={c.createdAt}>{when(c.createdAt)}</time></a>
            {c.via === 'conversation' ? <span class="feed-item__via"> · in a conversation you follow</span> : null}
          </p>
          <div class="feed-item__body" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
        </li>
      ))}
    </ol>
  );
}

export function ActivityPage({ chrome, comments, next, lastEventId }: { chrome: PageChrome; comments: FeedComment[]; next: string | null; lastEventId: number }) {
  return page(
    chrome,
    'Activity',
    <section class="community-page" aria-labelledby="page-title" data-activity data-after={String(lastEventId)}>
      <h1 id="page-title">Activity</h1>
      <YourTabs current="activity" />
      <p>Comments by the readers you follow and new comments in the conversations you follow, newest first.</p>
      <p class="activity__new" data-activity-new hidden>
        <a href="/activity">New activity — show it</a>
      </p>
      {comments.length === 0 ? <p>Nothing yet. Follow readers (on their page or their comments) and conversations (under an article).</p> : null}
      <CommentList comments={comments} />
      {next ? (
        <p>
          <a href={`/activity?cursor=${encodeURIComponent(next)}`}>Older activity</a>
        </p>
      ) : null}
    </section>,
  );
}

export function UnsubscribePage({ chrome, label, token, done }: { chrome: PageChrome; label: string | null; token: string; done: boolean }) {
  return page(
    chrome,
    'Unsubscribe',
    <section class="community-page" aria-labelledby="page-title">
      <h1 id="page-title">{done ? 'You are unsubscribed' : 'Unsubscribe'}</h1>
      {label === null ? (
        <p>This unsubscribe link is not valid. Sign in and choose your mails in your notification settings.</p>
      ) : done ? (
        <p>You will get no more mails of “{label}”. You can change this at any time in your notification settings.</p>
      ) : (
        <form method="post" action={`/unsubscribe/${encodeURIComponent(token)}`}>
          <p>Stop the mails of “{label}”?</p>
          <button type="submit">Unsubscribe</button>
        </form>
      )}
      <p>
        <a href="/settings/notifications">Notification settings</a>
      </p>
    </section>,
  );
}

export function FollowListPage({ chrome, owner, list, readers, next }: { chrome: PageChrome; owner: { handle: string; displayName: string }; list: 'followers' | 'following'; readers: ListedReader[]; next: string | null }) {
  const title = list === 'followers' ? `Readers who follow ${owner.displayName}` : `Readers ${owner.displayName} follows`;
  return page(
    chrome,
    title,
    <section class="community-page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      <p>
        <a href={readerPath(owner.handle)}>Back to {owner.displayName}</a>
      </p>
      {readers.length === 0 ? <p>Nobody yet.</p> : null}
      <ul class="reader-list">
        {readers.map((r) => (
          <li>
            <img class="avatar avatar--small" src={avatarPath(r.handle)} alt="" width={28} height={28} /> <a href={readerPath(r.handle)}>{r.displayName}</a>
          </li>
        ))}
      </ul>
      {next ? (
        <p>
          <a href={`${readerPath(owner.handle)}/${list}?cursor=${encodeURIComponent(next)}`}>More</a>
        </p>
      ) : null}
    </section>,
  );
}

/** The signed-in reader's two views of what they follow. */
function YourTabs({ current }: { current: 'activity' | 'following' }) {
  const tab = (name: typeof current, href: string, label: string) => (
    <a href={href} aria-current={current === name ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav class="tabs" aria-label="What you follow">
      {tab('activity', '/activity', 'Activity')}
      {tab('following', '/following', 'Following')}
    </nav>
  );
}

const repliesLabel = (n: number) => (n === 1 ? '1 new reply' : `${n} new replies`);

export function FollowingPage({ chrome, items, next }: { chrome: PageChrome; items: FollowedConversation[]; next: string | null }) {
  return page(
    chrome,
    'Following',
    <section class="community-page" aria-labelledby="page-title">
      <h1 id="page-title">Following</h1>
      <YourTabs current="following" />
      <p>The conversations you follow, the most recently active first, with the replies written since you last opened each one.</p>
      {items.length === 0 ? <p>You follow no conversations yet. Under an article, choose “Follow this conversation”.</p> : null}
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
                    {repliesLabel(c.newReplies)}
                  </a>
                ) : (
                  'No new replies'
                )}
                {' · '}
                {c.commentCount === 1 ? '1 comment' : `${c.commentCount} comments`}
                {c.lastCommentAt ? <> · last {when(c.lastCommentAt)}</> : null}
              </span>
            </li>
          );
        })}
      </ul>
      {next ? (
        <p>
          <a href={`/following?cursor=${encodeURIComponent(next)}`}>More conversations</a>
        </p>
      ) : null}
    </section>,
  );
}
