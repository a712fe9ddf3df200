import type { ComponentChildren } from 'preact';
import { encodeCursor } from '../http/cursor.ts';
import type { MessageKey } from '../i18n/index.ts';
import { useI18n } from '../i18n/view.ts';
import { JoinArea } from './composer.tsx';
import type { FeaturedComment } from './featured.ts';
import { SORTS, type Sort, type Thread, type ThreadCursor } from './model.ts';
import { commentUrl } from './presenter.ts';
import { islandMessagesJson } from './stream-words.ts';
import { articleHref, AuthorName, CommentTime, conversationHref, Csrf, RoleBadge, ThreadItem, type CommentViewer, type EmbedView } from './views.tsx';

// The comments section around the threads: its heading, following and composer above them, the
// featured comments, the order and the way to more threads; the threads themselves are views.tsx.

/** The orders' names (model.ts SORTS). */
const SORT_TEXT: Record<Sort, MessageKey> = {
  newest: 'comments.sort.newest',
  oldest: 'comments.sort.oldest',
  replies: 'comments.sort.replies',
  reactions: 'comments.sort.reactions',
};

export interface SectionProps {
  v: CommentViewer;
  commentCount: number;
  threads: Thread[];
  sort: Sort;
  next: ThreadCursor | null;
  /** The last event when the page was rendered: the live stream continues from there. */
  lastEventId: number;
  paged: boolean;
  /** The moderators' choice, shown above the threads on the first page (featured.ts). */
  featured?: readonly FeaturedComment[];
}

/** Who is signed in to the frame, their notifications and the way out (the frame has no site header). */
function EmbedAccountBar({ v, embed }: { v: CommentViewer; embed: EmbedView }) {
  const i18n = useI18n();
  const { t } = i18n;
  const unread = embed.unread ?? 0;
  return (
    <p class="embed-account">
      <span>{i18n.rich('comments.embed.signedInAs', { name: <strong>{v.actor!.displayName}</strong> })}</span>
      <a class="embed-account__bell" href="/notifications" data-embed-bell="">
        {t('comments.embed.notifications')} <span class="embed-account__unread" data-unread={unread} data-words={t('comments.embed.unread', { count: '{n}' })}>{unread > 0 ? t('comments.embed.unread', { count: unread }) : ''}</span>
      </a>
      <button type="button" class="button" data-embed-signout="">
        {t('comments.embed.signOut')}
      </button>
    </p>
  );
}

export function MoreThreads({ v, sort, next }: { v: CommentViewer; sort: Sort; next: ThreadCursor }) {
  const { t } = useI18n();
  const cursor = encodeCursor(next);
  return (
    <p class="comments__more">
      <a href={`${conversationHref(v, { sort, cursor })}#comments`} target={v.embed ? '_self' : undefined} data-more-threads={`/fragments/articles/${encodeURIComponent(v.slug)}/threads?sort=${sort}&cursor=${cursor}`}>
        {t('comments.moreComments')}
      </a>
    </p>
  );
}

/** The part of the section above the threads that depends on the viewer: the heading, following, the composer. */
export function SectionTop({ v, commentCount }: { v: CommentViewer; commentCount: number }) {
  const { t } = useI18n();
  return (
    <>
      <h2 id="comments-heading">
        {t('comments.heading')} <span class="comments__count">({commentCount})</span>
      </h2>
      {v.embed && v.actor ? <EmbedAccountBar v={v} embed={v.embed} /> : null}
      {v.actor && v.followingArticle !== undefined ? (
        <form method="post" action={`${articleHref(v.slug)}/follow`} class="comments__follow">
          <Csrf v={v} />
          <input type="hidden" name="action" value={v.followingArticle ? 'unfollow' : 'follow'} />
          <input type="hidden" name="next" value={`${articleHref(v.slug)}#comments`} />
          <button type="submit" data-follow-conversation={v.followingArticle ? 'on' : 'off'}>
            {v.followingArticle ? t('comments.unfollowConversation') : t('comments.followConversation')}
          </button>
        </form>
      ) : null}
      <JoinArea v={v} />
    </>
  );
}

/**
 * The comments the moderators chose, above the threads on the conversation's first page, each with
 * the moderators' note and a way to it in its thread. A summary, not the comment itself: the comment
 * stays in its thread (one element per id), with its actions there.
 */
export function FeaturedSection({ v, featured }: { v: CommentViewer; featured: readonly FeaturedComment[] }) {
  const { t } = useI18n();
  if (featured.length === 0) return null;
  return (
    <section class="comments__featured" aria-labelledby="featured-heading">
      <h3 id="featured-heading">{t('comments.featured.heading')}</h3>
      <ol class="featured-list">
        {featured.map(({ comment, note }) => (
          <li class="featured" data-featured={comment.id}>
            <p class="comment__meta">
              <AuthorName author={comment.author} v={v} />
              <RoleBadge author={comment.author} v={v} />
              <CommentTime date={comment.createdAt} v={v} />
            </p>
            <div class="comment__body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
            {note ? (
              <p class="featured__note">
                <strong>{t('comments.featured.why')}</strong> {note}
              </p>
            ) : null}
            <p class="featured__link">
              <a href={commentUrl(v.slug, comment)} target={v.embed ? '_blank' : undefined} rel={v.embed ? 'noopener' : undefined}>
                {t('comments.featured.read', { count: comment.descendantCount })}
              </a>
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The order, the threads and the way on: the same for every reader but for each comment's actions (actions.ts). */
export function SectionThreads({ v, threads, sort, next, paged, featured = [] }: Pick<SectionProps, 'v' | 'threads' | 'sort' | 'next' | 'paged' | 'featured'>) {
  const { t } = useI18n();
  return (
    <>
      {paged ? null : <FeaturedSection v={v} featured={featured} />}
      <nav class="comments__sort" aria-label={t('comments.sort.label')}>
        {SORTS.map((s) => (
          <a href={`${conversationHref(v, { sort: s })}#comments`} target={v.embed ? '_self' : undefined} aria-current={s === sort ? 'true' : undefined}>
            {t(SORT_TEXT[s])}
          </a>
        ))}
      </nav>
      <div class="comments__new" hidden>
        <button type="button" class="comments__show-new" />
      </div>
      {paged ? (
        <p class="comments__paged">
          <a href={`${conversationHref(v, { sort })}#comments`} target={v.embed ? '_self' : undefined}>{t('comments.backToFirst')}</a>
        </p>
      ) : null}
      {threads.length === 0 && !paged ? <p class="comments__empty">{t('comments.empty')}</p> : null}
      <ol class="comment-threads">
        {threads.map((thread) => (
          <ThreadItem thread={thread} v={v} />
        ))}
      </ol>
      {next ? <MoreThreads v={v} sort={sort} next={next} /> : null}
    </>
  );
}

/** The section's own element; its content is the two parts above, rendered together or joined as strings. */
export function SectionShell({ v, sort, lastEventId, html, children }: { v: CommentViewer; sort: Sort; lastEventId: number; html?: string; children?: ComponentChildren }) {
  // The island's words (stream-words.ts), once per page.
  const messages = islandMessagesJson(useI18n());
  return html === undefined ? (
    <section id="comments" class="comments" aria-labelledby="comments-heading" data-slug={v.slug} data-after={lastEventId} data-sort={sort} data-messages={messages}>
      {children}
    </section>
  ) : (
    <section id="comments" class="comments" aria-labelledby="comments-heading" data-slug={v.slug} data-after={lastEventId} data-sort={sort} data-messages={messages} dangerouslySetInnerHTML={{ __html: html }} />
  );
}

export function CommentsSection({ v, commentCount, threads, sort, next, lastEventId, paged, featured }: SectionProps) {
  return (
    <SectionShell v={v} sort={sort} lastEventId={lastEventId}>
      <SectionTop v={v} commentCount={commentCount} />
      <SectionThreads v={v} threads={threads} sort={sort} next={next} paged={paged} featured={featured} />
    </SectionShell>
  );
}
