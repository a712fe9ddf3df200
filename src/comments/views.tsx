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
import { PassageQuote } from '../passages/views.tsx';
import { actionsHtml, reactionCountHtml, slotStart, SLOT_END, type ActionFacts } from './actions.ts';
import { Avatar } from './avatar.tsx';
import { readerPath } from '../accounts/presenter.ts';
import type { FeaturedComment } from './featured.ts';
import { showRepliesText } from './counts.ts';

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

function formatTime(date: Date, timeZone: string): string {
  try {
    return dateFormatter({ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(date);
  } catch {
    return date.toISOString();
  }
}

const Csrf = ({ v }: { v: CommentViewer }) => <input type="hidden" name={CSRF_FIELD} value={v.csrf()} />;

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

const BADGE_TEXT = { author: 'Author', staff: 'Staff' } as const;

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
  const badge = authorBadge(author, v.articleAuthors);
  return badge ? <span class={`comment__badge comment__badge--${badge}`}>{BADGE_TEXT[badge]}</span> : null;
}

/**
 * When a comment was written, exactly: the conversation island rewrites the text of every
 * `.comment__meta time` as "5 minutes ago" and keeps it fresh; the exact time stays in `title` and
 * `datetime`. The server writes no relative wording, so the shared, cached HTML never goes stale.
 */
function CommentTime({ date, v }: { date: Date; v: CommentViewer }) {
  const exact = formatTime(date, v.article.timeZone);
  return (
    <time dateTime={date.toISOString()} title={exact}>
      {exact}
    </time>
  );
}

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
      aria-labelledby={nameId}
    >
      <header class="comment__meta">
        {deleted ? (
          <span class="comment__author" id={nameId}>{hidden && !isDeleted(comment) ? 'Removed comment' : 'Deleted comment'}</span>
        ) : (
          <>
            <Avatar author={comment.author} />
            <AuthorName author={comment.author} v={v} id={nameId} />
          </>
        )}
        {!deleted ? <RoleBadge author={comment.author} v={v} /> : null}
        {!deleted && comment.featured && comment.status === 'approved' ? <span class="comment__badge comment__badge--featured">Featured</span> : null}
        {comment.depth > MAX_INDENT && comment.parentAuthor ? (
          <span class="comment__in-reply">in reply to @{comment.parentAuthor.handle}</span>
        ) : null}
        <a class="comment__time" href={permalink}>
          <CommentTime date={comment.createdAt} v={v} />
        </a>
        {comment.editedAt && !deleted ? <span class="comment__edited">edited</span> : null}
      </header>
      {deleted ? (
        <p class="comment__deleted">{hidden && !isDeleted(comment) ? 'Removed by a moderator.' : 'Deleted by its author.'}</p>
      ) : (
        <>
          <ModerationNote comment={comment} />
          <PassageQuote passage={comment.passage} slug={v.slug} embedded={v.embed !== undefined} />
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
      {/* The island asks /fragments/comments/ID/replies with the link's query (client/_conversation.ts). */}
      <a href={`${commentUrl(v.slug, parent)}?cursor=${encoded}#replies`} data-more-replies={parent.id}>
        {count === null ? 'More replies' : count === 1 ? '1 more reply' : `${count} more replies`}
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
  return (
    <details class="thread__replies" open data-replies={count}>
      <summary class="thread__toggle">
        <span class="thread__hide">Hide replies</span>
        <span class="thread__show">{showRepliesText(count)}</span>
      </summary>
      {children}
    </details>
  );
}

export function ThreadItem({ thread, v }: { thread: Thread; v: CommentViewer }) {
  return (
    <li class="thread" data-thread={thread.root.id}>
      <CommentView comment={thread.root} v={v} />
      <RepliesFold count={thread.root.descendantCount}>
        <ol class="comment-replies" aria-label={`Replies to ${isDeleted(thread.root) ? 'a deleted comment' : thread.root.author.displayName}`}>
          {thread.replies.map((r) => (
            <ReplyItem comment={r} v={v} />
          ))}
        </ol>
        {thread.moreReplies ? <MoreReplies parent={thread.root} cursor={thread.moreReplies} count={thread.root.descendantCount - thread.replies.length} v={v} /> : null}
      </RepliesFold>
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
  /** The text as the server's renderer draws it, when the reader asked for a preview without JavaScript. */
  previewHtml?: string | null;
}

/** The character counter appears once this share of the limit is used (composer island). */
export const COUNTER_FROM = 0.8;

export function Composer({ v, parent = null, text = '', error = null, idBase = 'comment', previewHtml = null }: ComposerProps) {
  const bodyId = `${idBase}-body`;
  const errorId = `${idBase}-error`;
  const hintId = `${idBase}-hint`;
  const countId = `${idBase}-count`;
  const previewId = `${idBase}-preview`;
  return (
    <form method="post" action={`${articleHref(v.slug)}/comments`} class="composer" data-max={v.settings.commentMaxLength} data-counter-from={COUNTER_FROM}>
      <Csrf v={v} />
      {parent ? <input type="hidden" name="parentId" value={String(parent.id)} /> : null}
      <label for={bodyId}>{parent ? `Reply to ${parent.author.displayName}` : 'Join the conversation'}</label>
      <textarea id={bodyId} name="body" rows={parent ? 3 : 4} required aria-describedby={`${hintId} ${countId} ${errorId}`} aria-invalid={error ? 'true' : undefined}>
        {text}
      </textarea>
      <p class="composer__hint" id={hintId}>
        Up to {v.settings.commentMaxLength.toLocaleString('en-GB')} characters. *emphasis*, [links](https://…), &gt; quotes, - lists and `code` work.
      </p>
      <p class="composer__count" id={countId} aria-live="polite" />
      <p class="composer__error" id={errorId} role="alert">
        {error ?? ''}
      </p>
      <div class="composer__preview" id={previewId} hidden={previewHtml === null}>
        <p class="composer__preview-title">Preview</p>
        <div class="comment__body" dangerouslySetInnerHTML={{ __html: previewHtml ?? '' }} />
      </div>
      <div class="composer__buttons">
        <button type="submit">{parent ? 'Post reply' : 'Post comment'}</button>
        <button type="submit" name="preview" value="1" class="button--secondary composer__preview-button" formnovalidate aria-controls={previewId}>
          Preview
        </button>
        {parent ? (
          <a class="button button--quiet composer__cancel" href={`${articleHref(v.slug)}#c-${parent.id}`}>
            Cancel
          </a>
        ) : null}
      </div>
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
    content = v.unverifiedEmail ? (
      <p class="comments__prompt comments__check-mail">
        <strong>Check your mail.</strong> We sent a confirmation link to <strong class="comments__address">{v.unverifiedEmail}</strong>. Open it to start commenting. Nothing
        there, even in spam? <a href="/account">Ask for a new link</a>.
      </p>
    ) : (
      <p class="comments__prompt comments__check-mail">
        <strong>Check your mail.</strong> Open the confirmation link we sent you to start commenting. Nothing there, even in spam? <a href="/account">Ask for a new link</a>.
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
  /** The moderators' choice, shown above the threads on the first page (featured.ts). */
  featured?: readonly FeaturedComment[];
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

/**
 * The comments the moderators chose, above the threads on the conversation's first page, each with
 * the moderators' note and a way to it in its thread. A summary, not the comment itself: the comment
 * stays in its thread (one element per id), with its actions there.
 */
export function FeaturedSection({ v, featured }: { v: CommentViewer; featured: readonly FeaturedComment[] }) {
  if (featured.length === 0) return null;
  return (
    <section class="comments__featured" aria-labelledby="featured-heading">
      <h3 id="featured-heading">Featured</h3>
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
                <strong>Why we chose it:</strong> {note}
              </p>
            ) : null}
            <p class="featured__link">
              <a href={commentUrl(v.slug, comment)} target={v.embed ? '_blank' : undefined} rel={v.embed ? 'noopener' : undefined}>
                {comment.descendantCount === 0 ? 'Read it in its thread' : comment.descendantCount === 1 ? 'Read it with its reply' : `Read it with its ${comment.descendantCount} replies`}
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
  return (
    <>
      {paged ? null : <FeaturedSection v={v} featured={featured} />}
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

export function CommentsSection({ v, commentCount, threads, sort, next, lastEventId, paged, featured }: SectionProps) {
  return (
    <SectionShell v={v} sort={sort} lastEventId={lastEventId}>
      <SectionTop v={v} commentCount={commentCount} />
      <SectionThreads v={v} threads={threads} sort={sort} next={next} paged={paged} featured={featured} />
    </SectionShell>
  );
}
