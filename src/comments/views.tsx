import type { ComponentChildren } from 'preact';
import type { Actor } from '../accounts/model.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { Settings } from '../settings/model.ts';
import { encodeCursor } from '../http/cursor.ts';
import { isDeleted, visibleTo, SORT_LABELS, SORTS, type Comment, type ConversationArticle, type Sort, type Thread, type ThreadCursor } from './model.ts';
import { WARNING_PAGE, type Sanction } from '../moderation/sanctions.ts';
import { can } from './policy.ts';
import { commentUrl } from './presenter.ts';
import { dateFormatter } from '../ui/date-format.ts';
import { actionsHtml, reactionCountHtml, slotStart, SLOT_END } from './actions.ts';

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

function formatTime(date: Date, timeZone: string): string {
  try {
    return dateFormatter({ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(date);
  } catch {
    return date.toISOString();
  }
}

const Csrf = ({ v }: { v: CommentViewer }) => <input type="hidden" name={CSRF_FIELD} value={v.csrf()} />;

const NEWSROOM = new Set(['staff', 'moderator', 'admin']);

/** What the author of a held or rejected comment is told about it (nobody else sees it). */
function ModerationNote({ comment }: { comment: Comment }) {
  if (comment.status === 'approved') return null;
  return (
    <p class={`comment__moderation comment__moderation--${comment.status}`}>
      {comment.status === 'held' ? 'Awaiting moderation: only you can see this comment for now.' : `Rejected by a moderator${comment.rejectionReason ? `: ${comment.rejectionReason}` : '.'}`}
    </p>
  );
}

export function CommentView({ comment, v, focus = false }: { comment: Comment; v: CommentViewer; focus?: boolean }) {
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
      data-parent={comment.parentId ?? ''}
      data-root={comment.rootId ?? comment.id}
      data-depth={comment.depth}
      aria-labelledby={nameId}
    >
      <header class="comment__meta">
        {deleted ? (
          <span class="comment__author" id={nameId}>{hidden && !isDeleted(comment) ? 'Removed comment' : 'Deleted comment'}</span>
        ) : (
          <span class="comment__author" id={nameId}>{comment.author.displayName}</span>
        )}
        {!deleted && NEWSROOM.has(comment.author.role ?? '') ? <span class="comment__badge comment__badge--staff">Staff</span> : null}
        {!deleted && comment.featured && comment.status === 'approved' ? <span class="comment__badge comment__badge--featured">Featured</span> : null}
        {comment.depth > MAX_INDENT && comment.parentAuthor ? (
          <span class="comment__in-reply">in reply to @{comment.parentAuthor.handle}</span>
        ) : null}
        <a class="comment__time" href={permalink}>
          <time dateTime={comment.createdAt.toISOString()}>{formatTime(comment.createdAt, v.article.timeZone)}</time>
        </a>
        {comment.editedAt && !deleted ? <span class="comment__edited">edited</span> : null}
      </header>
      {deleted ? (
        <p class="comment__deleted">{hidden && !isDeleted(comment) ? 'Removed by a moderator.' : 'Deleted by its author.'}</p>
      ) : (
        <>
          <ModerationNote comment={comment} />
          {v.muted?.has(comment.author.id) ? (
            <details class="comment__muted">
              <summary>You muted this reader. Show the comment</summary>
              <div class="comment__body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
            </details>
          ) : (
            <div class="comment__body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
          )}
        </>
      )}
      {deleted ? null : <footer class="comment__actions" dangerouslySetInnerHTML={{ __html: v.shared ? `${slotStart(comment.id)}${reactionCountHtml(comment.reactionCount)}${SLOT_END}` : actionsHtml(comment, v) }} />}
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
  const encoded = encodeCursor(cursor);
  return (
    <p class="comment-more">
      <a href={`${commentUrl(v.slug, parent)}?cursor=${encoded}#replies`} data-more-replies={`/fragments/comments/${parent.id}/replies?cursor=${encoded}`}>
        {count === null ? 'More replies' : count === 1 ? '1 more reply' : `${count} more replies`}
      </a>
    </p>
  );
}

export function ThreadItem({ thread, v }: { thread: Thread; v: CommentViewer }) {
  return (
    <li class="thread" data-thread={thread.root.id}>
      <CommentView comment={thread.root} v={v} />
      <ol class="comment-replies" aria-label={`Replies to ${isDeleted(thread.root) ? 'a deleted comment' : thread.root.author.displayName}`}>
        {thread.replies.map((r) => (
          <ReplyItem comment={r} v={v} />
        ))}
      </ol>
      {thread.moreReplies ? <MoreReplies parent={thread.root} cursor={thread.moreReplies} count={thread.root.descendantCount - thread.replies.length} v={v} /> : null}
    </li>
  );
}

export interface ComposerProps {
  v: CommentViewer;
  parent?: Comment | null;
  text?: string;
  error?: string | null;
  /** Unique within the page: the textarea's id is built from it. */
  idBase?: string;
}

export function Composer({ v, parent = null, text = '', error = null, idBase = 'comment' }: ComposerProps) {
  const bodyId = `${idBase}-body`;
  const errorId = `${idBase}-error`;
  const hintId = `${idBase}-hint`;
  return (
    <form method="post" action={`${articleHref(v.slug)}/comments`} class="composer">
      <Csrf v={v} />
      {parent ? <input type="hidden" name="parentId" value={String(parent.id)} /> : null}
      <label for={bodyId}>{parent ? `Reply to ${parent.author.displayName}` : 'Join the conversation'}</label>
      <textarea id={bodyId} name="body" rows={parent ? 3 : 4} required aria-describedby={`${hintId} ${errorId}`} aria-invalid={error ? 'true' : undefined}>
        {text}
      </textarea>
      <p class="composer__hint" id={hintId}>
        Up to {v.settings.commentMaxLength.toLocaleString('en-GB')} characters. *emphasis*, [links](https://…), &gt; quotes, - lists and `code` work.
      </p>
      <p class="composer__error" id={errorId} role="alert">
        {error ?? ''}
      </p>
      <button type="submit">{parent ? 'Post reply' : 'Post comment'}</button>
    </form>
  );
}

/** What sits above the threads: the composer, or why there is none and how to get one. */
export function JoinArea({ v }: { v: CommentViewer }) {
  const decision = can(v.actor, 'post', null, { article: v.article, settings: v.settings, now: v.now, sanction: v.sanction });
  let content;
  if (decision.allowed) content = <Composer v={v} />;
  else if (decision.code === 'unauthenticated' && v.embed) {
    content = (
      <p class="comments__prompt">
        <button type="button" class="button button--primary" data-embed-signin="signin">
          Sign in
        </button>{' '}
        or{' '}
        <button type="button" class="button" data-embed-signin="register">
          register
        </button>{' '}
        to join the conversation.
        {v.embed.oidcLabel ? (
          <>
            {' '}
            <button type="button" class="button" data-embed-signin="oidc">
              Sign in with {v.embed.oidcLabel}
            </button>
          </>
        ) : null}
      </p>
    );
  } else if (decision.code === 'unauthenticated') {
    const next = encodeURIComponent(`${articleHref(v.slug)}#comments`);
    content = (
      <p class="comments__prompt">
        <a href={`/signin?next=${next}`}>Sign in</a> or <a href={`/register?next=${next}`}>register</a> to join the conversation.
      </p>
    );
  } else if (decision.code === 'email_unverified') {
    content = (
      <p class="comments__prompt">
        Verify your e-mail address to join the conversation: follow the link we sent you, or <a href="/account">ask for a new one</a>.
      </p>
    );
  } else if (decision.code === 'warning_unacknowledged') {
    content = (
      <p class="comments__prompt comments__sanction">
        A moderator has warned you: “{v.sanction?.reason}”. <a href={WARNING_PAGE}>Read and acknowledge the warning</a> to comment again.
      </p>
    );
  } else content = <p class={`comments__prompt ${decision.code === 'comments_closed' ? 'comments__closed' : 'comments__sanction'}`}>{decision.message}</p>;
  return (
    <div class="comments__join" id="comments-join">
      {content}
    </div>
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
}

/** Who is signed in to the frame, their notifications and the way out (the frame has no site header). */
function EmbedAccountBar({ v, embed }: { v: CommentViewer; embed: EmbedView }) {
  const unread = embed.unread ?? 0;
  return (
    <p class="embed-account">
      <span>
        Signed in as <strong>{v.actor!.displayName}</strong>
      </span>
      <a class="embed-account__bell" href="/notifications" data-embed-bell="">
        Notifications <span class="embed-account__unread" data-unread={unread}>{unread > 0 ? `(${unread} unread)` : ''}</span>
      </a>
      <button type="button" class="button" data-embed-signout="">
        Sign out
      </button>
    </p>
  );
}

export function MoreThreads({ v, sort, next }: { v: CommentViewer; sort: Sort; next: ThreadCursor }) {
  const cursor = encodeCursor(next);
  return (
    <p class="comments__more">
      <a href={`${conversationHref(v, { sort, cursor })}#comments`} target={v.embed ? '_self' : undefined} data-more-threads={`/fragments/articles/${encodeURIComponent(v.slug)}/threads?sort=${sort}&cursor=${cursor}`}>
        More comments
      </a>
    </p>
  );
}

/** The part of the section above the threads that depends on the viewer: the heading, following, the composer. */
export function SectionTop({ v, commentCount }: { v: CommentViewer; commentCount: number }) {
  return (
    <>
      <h2 id="comments-heading">
        Comments <span class="comments__count">({commentCount})</span>
      </h2>
      {v.embed && v.actor ? <EmbedAccountBar v={v} embed={v.embed} /> : null}
      {v.actor && v.followingArticle !== undefined ? (
        <form method="post" action={`${articleHref(v.slug)}/follow`} class="comments__follow">
          <Csrf v={v} />
          <input type="hidden" name="action" value={v.followingArticle ? 'unfollow' : 'follow'} />
          <input type="hidden" name="next" value={`${articleHref(v.slug)}#comments`} />
          <button type="submit" data-follow-conversation={v.followingArticle ? 'on' : 'off'}>
            {v.followingArticle ? 'Stop following this conversation' : 'Follow this conversation'}
          </button>
        </form>
      ) : null}
      <JoinArea v={v} />
    </>
  );
}

/** The order, the threads and the way on: the same for every reader but for each comment's actions (actions.ts). */
export function SectionThreads({ v, threads, sort, next, paged }: Pick<SectionProps, 'v' | 'threads' | 'sort' | 'next' | 'paged'>) {
  return (
    <>
      <nav class="comments__sort" aria-label="Order of comments">
        {SORTS.map((s) => (
          <a href={`${conversationHref(v, { sort: s })}#comments`} target={v.embed ? '_self' : undefined} aria-current={s === sort ? 'true' : undefined}>
            {SORT_LABELS[s]}
          </a>
        ))}
      </nav>
      <div class="comments__new" hidden>
        <button type="button" class="comments__show-new" />
      </div>
      {paged ? (
        <p class="comments__paged">
          <a href={`${conversationHref(v, { sort })}#comments`} target={v.embed ? '_self' : undefined}>Back to the first comments</a>
        </p>
      ) : null}
      {threads.length === 0 && !paged ? <p class="comments__empty">No comments yet.</p> : null}
      <ol class="comment-threads">
        {threads.map((t) => (
          <ThreadItem thread={t} v={v} />
        ))}
      </ol>
      {next ? <MoreThreads v={v} sort={sort} next={next} /> : null}
    </>
  );
}

/** The section's own element; its content is the two parts above, rendered together or joined as strings. */
export function SectionShell({ v, sort, lastEventId, html, children }: { v: CommentViewer; sort: Sort; lastEventId: number; html?: string; children?: ComponentChildren }) {
  return html === undefined ? (
    <section id="comments" class="comments" aria-labelledby="comments-heading" data-slug={v.slug} data-after={lastEventId} data-sort={sort}>
      {children}
    </section>
  ) : (
    <section id="comments" class="comments" aria-labelledby="comments-heading" data-slug={v.slug} data-after={lastEventId} data-sort={sort} dangerouslySetInnerHTML={{ __html: html }} />
  );
}

export function CommentsSection({ v, commentCount, threads, sort, next, lastEventId, paged }: SectionProps) {
  return (
    <SectionShell v={v} sort={sort} lastEventId={lastEventId}>
      <SectionTop v={v} commentCount={commentCount} />
      <SectionThreads v={v} threads={threads} sort={sort} next={next} paged={paged} />
    </SectionShell>
  );
}
