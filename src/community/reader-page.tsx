import type { FeedComment } from './feed-store.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { avatarPath } from '../accounts/presenter.ts';
import type { Account } from '../accounts/store.ts';
import { dateFormatter } from '../ui/date-format.ts';
import { useI18n } from '../i18n/view.ts';
import { htmlLang } from '../i18n/request.ts';

// A reader's public page: who they are, their follower and following counts and lists, a follow
// (and mute) button for the signed-in viewer, and their comments newest first. It shows only what
// any visitor may see (never an e-mail address, never whether they muted the viewer).

const joined = (iso: string, locale: string) => dateFormatter({ month: 'long', year: 'numeric', timeZone: 'UTC' }, htmlLang(locale)).format(new Date(iso));
const when = (iso: string, locale: string) => dateFormatter({ dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }, htmlLang(locale)).format(new Date(iso));

export interface ReaderCommunity {
  followerCount: number;
  followingCount: number;
  followersPrivate: boolean;
  followingPrivate: boolean;
  viewer: { following: boolean; followedBy: boolean; muted: boolean } | null;
}

interface Props {
  chrome: PageChrome;
  reader: Account;
  community?: ReaderCommunity;
  comments?: FeedComment[];
  next?: string | null;
}

function Count({ reader, n, list, hidden, self }: { reader: Account; n: number; list: 'followers' | 'following'; hidden: boolean; self: boolean }) {
  const { t } = useI18n();
  const text = t('community.reader.count', { list, count: n });
  return hidden && !self ? <span>{text}</span> : <a href={`/readers/${encodeURIComponent(reader.handle)}/${list}`}>{text}</a>;
}

function Toggle({ chrome, reader, path, on, verb, undo }: { chrome: PageChrome; reader: Account; path: 'follow' | 'mute'; on: boolean; verb: string; undo: string }) {
  const { t } = useI18n();
  return (
    <form method="post" action={`/readers/${encodeURIComponent(reader.handle)}/${path}`} class="inline-form">
      <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />
      <input type="hidden" name="action" value={on ? undo : verb} />
      <input type="hidden" name="next" value={chrome.path} />
      <button type="submit" class={path === 'follow' && !on ? 'button-primary' : undefined} data-follow={path === 'follow' ? (on ? 'on' : 'off') : undefined}>
        {t('community.reader.toggle', { action: on ? undo : verb })}
        <span class="visually-hidden"> {reader.displayName}</span>
      </button>
    </form>
  );
}

export function ReaderPage({ chrome, reader, community, comments = [], next = null }: Props) {
  const { t, rich, locale } = useI18n();
  const self = chrome.actor?.handle === reader.handle;
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={t('layout.title', { page: reader.displayName, site: chrome.site.name })}>
      <article class="reader-profile" aria-labelledby="reader-name">
        <img class="avatar avatar--large" src={avatarPath(reader.handle)} alt="" width={96} height={96} />
        <div>
          <h1 id="reader-name">{reader.displayName}</h1>
          <p class="reader-profile__meta">
            @{reader.handle} · {rich('community.reader.joined', { date: <time dateTime={reader.createdAt}>{joined(reader.createdAt, locale)}</time> })}
          </p>
          {reader.bio ? <p class="reader-profile__bio">{reader.bio}</p> : null}
          {community ? (
            <p class="reader-profile__counts">
              <Count reader={reader} n={community.followerCount} list="followers" hidden={community.followersPrivate} self={self} /> ·{' '}
              <Count reader={reader} n={community.followingCount} list="following" hidden={community.followingPrivate} self={self} />
              {community.viewer?.followedBy ? <span> · {t('community.reader.followsYou')}</span> : null}
            </p>
          ) : null}
          {community?.viewer ? (
            <div class="reader-profile__actions">
              <Toggle chrome={chrome} reader={reader} path="follow" on={community.viewer.following} verb="follow" undo="unfollow" />
              <Toggle chrome={chrome} reader={reader} path="mute" on={community.viewer.muted} verb="mute" undo="unmute" />
            </div>
          ) : null}
          {!chrome.actor && community ? (
            <p>
              <a href={`/signin?next=${encodeURIComponent(chrome.path)}`}>{t('community.reader.signInToFollow', { name: reader.displayName })}</a>
            </p>
          ) : null}
          {self ? (
            <p>
              <a href="/account">{t('community.reader.editProfile')}</a> · <a href="/settings/notifications">{t('community.settings.title')}</a>
            </p>
          ) : null}
        </div>
      </article>
      {community ? (
        <section class="reader-comments" aria-labelledby="reader-comments">
          <h2 id="reader-comments">{t('articles.article.comments')}</h2>
          {comments.length === 0 ? <p>{t('community.reader.noComments')}</p> : null}
          <ol class="feed-list">
            {comments.map((c) => (
              <li class="feed-item" data-comment={c.id}>
                <p class="feed-item__meta">
                  {rich('community.feed.wrote', {
                    who: 'self',
                    what: c.parentId === null ? 'comment' : 'reply',
                    author: '',
                    article: <a href={`/articles/${encodeURIComponent(c.article.slug)}`}>{c.article.headline}</a>,
                  })}{' '}
                  ·{' '}
                  <a href={`/articles/${encodeURIComponent(c.article.slug)}/comments/${c.id}`}>
                    <time dateTime={c.createdAt}>{when(c.createdAt, locale)}</time>
                  </a>
                </p>
                <div class="feed-item__body" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
              </li>
            ))}
          </ol>
          {next ? (
            <p>
              <a href={`/readers/${encodeURIComponent(reader.handle)}?cursor=${encodeURIComponent(next)}`}>{t('community.reader.older')}</a>
            </p>
          ) : null}
        </section>
      ) : null}
    </Layout>
  );
}
