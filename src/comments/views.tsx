import type { ComponentChildren } from 'preact';
import type { Actor } from '../accounts/model.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { Settings } from '../settings/model.ts';
import { encodeCursor } from '../http/cursor.ts';
import { isDeleted, visibleTo, SORTS, type Comment, type ConversationArticle, type Sort, type Thread, type ThreadCursor } from './model.ts';
import type { Sanction } from '../moderation/sanctions.ts';
import { commentUrl } from './presenter.ts';
import { dateFormatter } from '../ui/date-format.ts';
import { PassageQuote } from '../passages/views.tsx';
import { actionsHtml, reactionCountHtml, slotStart, SLOT_END, type ActionFacts } from './actions.ts';
import { Avatar } from './avatar.tsx';
import { readerPath } from '../accounts/presenter.ts';
import type { FeaturedComment } from './featured.ts';
import { showRepliesText } from './counts.ts';
import { useI18n } from '../i18n/view.ts';
import { htmlLang } from '../i18n/request.ts';
import type { MessageKey } from '../i18n/index.ts';
import { islandMessagesJson, streamWords } from './stream-words.ts';
import { JoinArea } from './composer.tsx';

// The conversation's markup, the same on the server and for the island: the island asks the server
// for these fragments (a new comment, the next replies) rather than building markup of its own.

/** Replies deeper than this are drawn at this indent and say whom they answer. */
export const MAX_INDENT = 4;

export interface CommentViewer {
  actor: Actor | null;
  csrf: () => string;
  slug: string;
  article: ConversationArticle & { id: number; timeZone: string };
  settings: Settings;
  now: Date;
  /** The article's byline: a newsroom commenter of one of these names is marked "Author". */
  articleAuthors?: readonly string[];
  /** Readers the viewer muted: their comments are folded away (community/store.ts conversationViewer). */
  muted?: ReadonlySet<number>;
  /** Readers the viewer follows: the follow button under their comments says so. */
  following?: ReadonlySet<number>;
  /** Whether the viewer follows this article's conversation ("follow this conversation"). */
  followingArticle?: boolean;
  /** The viewer's current sanction: a banned, suspended or warned reader is told so instead of a composer. */
  sanction?: Sanction | null;
  /** Set when the conversation is shown in a publisher's page (src/embed): links stay in the frame. */
  embed?: EmbedView;
  /** Comments on the page the viewer has reacted to, and has reported (viewer-state.ts). */
  reacted?: ReadonlySet<number>;
  reported?: ReadonlySet<number>;
  /** Rendering the HTML every reader shares: each comment's actions become a marked slot (actions.ts). */
  shared?: boolean;
  /**
   * The address a signed-in reader who has not confirmed it yet registered with (viewer-state.ts):
   * the composer's place tells them where the link went. Their own, on their own render only.
   */
  unverifiedEmail?: string | null;
  /** Actions another feature adds for this viewer under each comment (a moderator's: ConversationExtras in actions.ts). */
  moreActions?: (facts: ActionFacts) => string;
}

/** Where an embedded conversation is, so that its sort and paging links lead back into the frame. */
export interface EmbedView {
  site: string;
  /** The publisher's page address the conversation belongs to. */
  url: string;
  title: string | null;
  /** The host page's origin: the frame talks to it only. */
  hostOrigin: string;
  /** The signed-in reader's unread notifications, for the frame's account bar. */
  unread?: number | null;
  /** "Sign in with <label>": the site's OpenID provider, when it has one (src/sso). */
  oidcLabel?: string | null;
}

export const articleHref = (slug: string) => `/articles/${encodeURIComponent(slug)}`;

/** The frame's own address with extra query parameters (sort, cursor). */
export function embedHref(embed: EmbedView, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ url: embed.url, ...(embed.title ? { title: embed.title } : {}), origin: embed.hostOrigin, ...extra });
  return `/embed/${encodeURIComponent(embed.site)}?${query.toString()}`;
}

/** The conversation's list with these parameters: the article page, or the frame when embedded. */
function conversationHref(v: CommentViewer, extra: Record<string, string>): string {
  if (v.embed) return embedHref(v.embed, extra);
  return `${articleHref(v.slug)}?${new URLSearchParams(extra).toString()}`;
}

function formatTime(date: Date, timeZone: string, locale: string): string {
  try {
    return dateFormatter({ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }, htmlLang(locale)).format(date);
  } catch {
    return date.toISOString();
  }
}

export const Csrf = ({ v }: { v: CommentViewer }) => <input type="hidden" name={CSRF_FIELD} value={v.csrf()} />;

const NEWSROOM = new Set(['staff', 'moderator', 'admin']);

const sameName = (a: string, b: string) => a.normalize('NFKC').trim().toLocaleLowerCase() === b.normalize('NFKC').trim().toLocaleLowerCase();

/**
 * A newsroom account's badge: "Author" on the article's own journalist (a staff, moderator or admin
 * account named in the byline; a reader's name alone proves nothing), "Staff" on the rest of the newsroom.
 */
export function authorBadge(author: Comment['author'], articleAuthors: readonly string[] = []): 'author' | 'staff' | null {
  if (!NEWSROOM.has(author.role ?? '')) return null;
  return articleAuthors.some((name) => sameName(name, author.displayName)) ? 'author' : 'staff';
}

const BADGE_TEXT: Record<'author' | 'staff', MessageKey> = { author: 'comments.badge.author', staff: 'comments.badge.staff' };

/** The orders' names (model.ts SORTS). */
const SORT_TEXT: Record<Sort, MessageKey> = {
  newest: 'comments.sort.newest',
  oldest: 'comments.sort.oldest',
  replies: 'comments.sort.replies',
  reactions: 'comments.sort.reactions',
};

/** The author's name, linking to their reader page (a new tab from inside a publisher's frame). */
function AuthorName({ author, v, id }: { author: Comment['author']; v: CommentViewer; id?: string }) {
  if (!author.handle) return <span class="comment__author" id={id}>{author.displayName}</span>;
  return (
    <a class="comment__author" id={id} href={readerPath(author.handle)} target={v.embed ? '_blank' : undefined} rel={v.embed ? 'noopener' : undefined}>
      {author.displayName}
    </a>
  );
}

function RoleBadge({ author, v }: { author: Comment['author']; v: CommentViewer }) {
  const { t } = useI18n();
  const badge = authorBadge(author, v.articleAuthors);
  return badge ? <span class={`comment__badge comment__badge--${badge}`}>{t(BADGE_TEXT[badge])}</span> : null;
}

/**
 * When a comment was written, exactly: the conversation island rewrites the text of every
 * `.comment__meta time` as "5 minutes ago" and keeps it fresh, the exact time moved to `title`
 * (written there by the island, not in every comment of the page). The server writes no relative
 * wording, so the shared, cached HTML never goes stale.
 */
function CommentTime({ date, v }: { date: Date; v: CommentViewer }) {
  const exact = formatTime(date, v.article.timeZone, useI18n().locale);
  return (
    <time dateTime={date.toISOString()}>
      {exact}
    </time>
  );
}

/** What the author of a held or rejected comment is told about it (nobody else sees it). */
function ModerationNote({ comment }: { comment: Comment }) {
  const { t } = useI18n();
  if (comment.status === 'approved') return null;
  return (
    <p class={`comment__moderation comment__moderation--${comment.status}`}>
      {comment.status === 'held' ? t('comments.held') : comment.rejectionReason ? t('comments.rejectedWithReason', { reason: comment.rejectionReason }) : t('comments.rejected')}
    </p>
  );
}

export function CommentView({ comment, v, focus = false }: { comment: Comment; v: CommentViewer; focus?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  // Someone else's held or rejected comment is drawn like a deleted one: its place, not its text.
  const hidden = !visibleTo(comment, v.actor?.userId ?? null);
  const deleted = isDeleted(comment) || hidden;
  const permalink = commentUrl(v.slug, comment);
  const nameId = `c-${comment.id}-author`;
  return (
    <article
      class={`comment${focus ? ' comment--focus' : ''}${deleted ? ' comment--deleted' : ''}`}
      id={`c-${comment.id}`}
      data-id={comment.id}
      aria-labelledby={nameId}
    >
      <header class="comment__meta">
        {deleted ? (
          <span class="comment__author" id={nameId}>{hidden && !isDeleted(comment) ? t('comments.removedName') : t('comments.deletedName')}</span>
        ) : (
          <>
            <Avatar author={comment.author} />
            <AuthorName author={comment.author} v={v} id={nameId} />
          </>
        )}
        {!deleted ? <RoleBadge author={comment.author} v={v} /> : null}
        {!deleted && comment.featured && comment.status === 'approved' ? <span class="comment__badge comment__badge--featured">{t('comments.badge.featured')}</span> : null}
        {comment.depth > MAX_INDENT && comment.parentAuthor ? (
          <span class="comment__in-reply">{t('comments.inReplyTo', { handle: comment.parentAuthor.handle })}</span>
        ) : null}
        <a class="comment__time" href={permalink}>
          <CommentTime date={comment.createdAt} v={v} />
        </a>
        {comment.editedAt && !deleted ? <span class="comment__edited">{t('comments.edited')}</span> : null}
      </header>
      {deleted ? (
        <p class="comment__deleted">{hidden && !isDeleted(comment) ? t('comments.removedText') : t('comments.deletedText')}</p>
      ) : (
        <>
          <ModerationNote comment={comment} />
          <PassageQuote passage={comment.passage} slug={v.slug} embedded={v.embed !== undefined} />
          {v.muted?.has(comment.author.id) ? (
            <details class="comment__muted">
              <summary>{t('comments.muted')}</summary>
              <div class="comment__body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
            </details>
          ) : (
            <div class="comment__body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
          )}
        </>
      )}
      {deleted ? null : <footer class="comment__actions" dangerouslySetInnerHTML={{ __html: v.shared ? `${slotStart(comment.id)}${reactionCountHtml(comment.reactionCount, streamWords(i18n))}${SLOT_END}` : actionsHtml(comment, v, streamWords(i18n)) }} />}
    </article>
  );
}

export function ReplyItem({ comment, v }: { comment: Comment; v: CommentViewer }) {
  return (
    <li class={`comment-reply comment-reply--d${Math.min(comment.depth, MAX_INDENT)}`} data-depth={comment.depth}>
      <CommentView comment={comment} v={v} />
    </li>
  );
}

export function MoreReplies({ parent, cursor, count, v }: { parent: Comment; cursor: { c: number; p: string }; count: number | null; v: CommentViewer }) {
  const { t } = useI18n();
  const encoded = encodeCursor(cursor);
  return (
    <p class="comment-more">
      {/* The island asks /fragments/comments/ID/replies with the link's query (client/_conversation.ts). */}
      <a href={`${commentUrl(v.slug, parent)}?cursor=${encoded}#replies`} data-more-replies={parent.id}>
        {count === null ? t('comments.moreRepliesUnknown') : t('comments.moreReplies', { count })}
      </a>
    </p>
  );
}

/**
 * A thread's replies, folded away by the reader's choice: a <details>, so it works without JavaScript
 * and tells assistive technology whether it is expanded. Its summary says what a click will do; the
 * CSS shows one of its two texts and hides the summary while there are no replies.
 */
function RepliesFold({ count, children }: { count: number; children: ComponentChildren }) {
  const i18n = useI18n();
  return (
    <details class="thread__replies" open data-replies={count}>
      <summary class="thread__toggle">
        <span class="thread__hide">{i18n.t('comments.hideReplies')}</span>
        <span class="thread__show">{showRepliesText(count, streamWords(i18n))}</span>
      </summary>
      {children}
    </details>
  );
}

export function ThreadItem({ thread, v }: { thread: Thread; v: CommentViewer }) {
  const { t } = useI18n();
  return (
    <li class="thread" data-thread={thread.root.id}>
      <CommentView comment={thread.root} v={v} />
      <RepliesFold count={thread.root.descendantCount}>
        <ol class="comment-replies" aria-label={isDeleted(thread.root) ? t('comments.repliesToDeleted') : t('comments.repliesTo', { name: thread.root.author.displayName })}>
          {thread.replies.map((r) => (
            <ReplyItem comment={r} v={v} />
          ))}
        </ol>
        {thread.moreReplies ? <MoreReplies parent={thread.root} cursor={thread.moreReplies} count={thread.root.descendantCount - thread.replies.length} v={v} /> : null}
      </RepliesFold>
    </li>
  );
}

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
              <Avatar author={comment.author} />
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
