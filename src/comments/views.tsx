import type { ComponentChildren } from 'preact';
import type { Actor } from '../accounts/model.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { Settings } from '../settings/model.ts';
import { encodeCursor } from '../http/cursor.ts';
import { isDeleted, visibleTo, type Comment, type ConversationArticle, type Sort, type Thread, type ThreadCursor } from './model.ts';
import type { Sanction } from '../moderation/sanctions.ts';
import { commentShortUrl } from './presenter.ts';
import { dateFormatter, dateTimeAttribute } from '../ui/date-format.ts';
import { PassageQuote } from '../passages/views.tsx';
import { actionsHtml, reactionCountHtml, slotStart, SLOT_END, type ActionFacts } from './actions.ts';
import { avatarData } from './avatar.tsx';
import { readerPath } from '../accounts/presenter.ts';
import { showRepliesText } from './counts.ts';
import { useI18n } from '../i18n/view.ts';
import { htmlLang } from '../i18n/request.ts';
import type { MessageKey } from '../i18n/index.ts';
import { streamWords } from './stream-words.ts';

// The conversation's markup, the same on the server and for the island: the island asks the server
// for these fragments (a new comment, the next replies) rather than building markup of its own.

/** Replies deeper than this are drawn at this indent (parley.css `.comment-reply[data-depth]`) and say whom they answer. */
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
export function conversationHref(v: CommentViewer, extra: Record<string, string>): string {
  if (v.embed) return embedHref(v.embed, extra);
  return `${articleHref(v.slug)}?${new URLSearchParams(extra).toString()}`;
}

/** "4 Dec, 14:12 UTC" in the article's zone; the year only when it is not this one (most comments are days old). */
function formatTime(date: Date, now: Date, timeZone: string, locale: string): string {
  try {
    const year = (d: Date) => dateFormatter({ year: 'numeric', timeZone }, 'en').format(d);
    const withYear = year(date) !== year(now);
    return dateFormatter({ day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}), hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }, htmlLang(locale)).format(date);
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

/**
 * The author's name, linking to their reader page (a new tab from inside a publisher's frame), with
 * their avatar drawn before it (avatar.tsx). It is the first child of a comment's header.
 */
export function AuthorName({ author, v, id }: { author: Comment['author']; v: CommentViewer; id?: string }) {
  if (!author.handle) return <span id={id} {...avatarData(author)}>{author.displayName}</span>;
  return (
    <a id={id} href={readerPath(author.handle)} target={v.embed ? '_blank' : undefined} rel={v.embed ? 'noopener' : undefined} {...avatarData(author)}>
      {author.displayName}
    </a>
  );
}

export function RoleBadge({ author, v }: { author: Comment['author']; v: CommentViewer }) {
  const { t } = useI18n();
  const badge = authorBadge(author, v.articleAuthors);
  return badge ? <span class={`comment__badge comment__badge--${badge}`}>{t(BADGE_TEXT[badge])}</span> : null;
}

/**
 * When a comment was written, exactly: the conversation island rewrites the text of every comment's
 * time (client/_relative-time.ts) as "5 minutes ago" and keeps it fresh, the exact time moved to
 * `title` (written there by the island, not in every comment of the page). The server writes no
 * relative wording, so the shared, cached HTML never goes stale.
 */
export function CommentTime({ date, v }: { date: Date; v: CommentViewer }) {
  const exact = formatTime(date, v.now, v.article.timeZone, useI18n().locale);
  return (
    <time dateTime={dateTimeAttribute(date)}>
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
  const permalink = commentShortUrl(comment.id);
  const nameId = `a-${comment.id}`;
  // The id, the header and the footer are all the islands need to find a comment's parts
  // (client/_comment.ts): the name is the header's first child, the permalink its link around the
  // time; no class on any of them, no second attribute for the id.
  return (
    <article class={`comment${focus ? ' comment--focus' : ''}${deleted ? ' comment--deleted' : ''}`} id={`c-${comment.id}`} aria-labelledby={nameId}>
      <header>
        {deleted ? (
          <span id={nameId}>{hidden && !isDeleted(comment) ? t('comments.removedName') : t('comments.deletedName')}</span>
        ) : (
          <AuthorName author={comment.author} v={v} id={nameId} />
        )}
        {!deleted ? <RoleBadge author={comment.author} v={v} /> : null}
        {!deleted && comment.featured && comment.status === 'approved' ? <span class="comment__badge comment__badge--featured">{t('comments.badge.featured')}</span> : null}
        {comment.depth > MAX_INDENT && comment.parentAuthor ? (
          <span class="comment__in-reply">{t('comments.inReplyTo', { handle: comment.parentAuthor.handle })}</span>
        ) : null}
        <a href={permalink}>
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
          {/* The text is the comment's one <div> (client/_comment.ts COMMENT_BODY), in a fold when its author is muted. */}
          {v.muted?.has(comment.author.id) ? (
            <details class="comment__muted">
              <summary>{t('comments.muted')}</summary>
              <div dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
            </details>
          ) : (
            <div dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
          )}
        </>
      )}
      {deleted ? null : <footer dangerouslySetInnerHTML={{ __html: v.shared ? `${slotStart(comment.id)}${reactionCountHtml(comment.reactionCount, streamWords(i18n))}${SLOT_END}` : actionsHtml(comment, v, streamWords(i18n)) }} />}
    </article>
  );
}

/** A reply in its thread: the CSS indents it by its depth (drawn at MAX_INDENT from there down), the island places replies by it. */
export function ReplyItem({ comment, v }: { comment: Comment; v: CommentViewer }) {
  return (
    <li data-depth={comment.depth}>
      <CommentView comment={comment} v={v} />
    </li>
  );
}

export function MoreReplies({ parent, cursor, count, v }: { parent: Comment; cursor: { c: number; p: string }; count: number | null; v: CommentViewer }) {
  const { t } = useI18n();
  const encoded = encodeCursor(cursor);
  return (
    // A link of its own after the list (a block in parley.css, no wrapper); the island asks
    // /fragments/comments/ID/replies, ID the link's own, with its query (client/_conversation.ts).
    <a href={`${commentShortUrl(parent.id)}?cursor=${encoded}#replies`} data-more-replies="">
      {count === null ? t('comments.moreRepliesUnknown') : t('comments.moreReplies', { count })}
    </a>
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
    <details open data-replies={count}>
      <summary>
        <span>{i18n.t('comments.hideReplies')}</span>
        <span>{showRepliesText(count, streamWords(i18n))}</span>
      </summary>
      {children}
    </details>
  );
}

export function ThreadItem({ thread, v }: { thread: Thread; v: CommentViewer }) {
  return (
    <li data-thread={thread.root.id}>
      <CommentView comment={thread.root} v={v} />
      <RepliesFold count={thread.root.descendantCount}>
        <ol class="comment-replies">
          {thread.replies.map((r) => (
            <ReplyItem comment={r} v={v} />
          ))}
        </ol>
        {thread.moreReplies ? <MoreReplies parent={thread.root} cursor={thread.moreReplies} count={thread.root.descendantCount - thread.replies.length} v={v} /> : null}
      </RepliesFold>
    </li>
  );
}
