import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { CSRF_FIELD } from '../http/csrf.ts';
import { can } from './policy.ts';
import { editDeadline, isDeleted, type Comment, type ReplyCursor } from './model.ts';
import { articleHref, CommentView, Composer, MoreReplies, ReplyItem, type CommentViewer } from './views.tsx';

// Whole pages of the conversation for readers without JavaScript: a comment in its context (the
// permalink, and "continue this thread"), and the forms when something needs correcting.

interface ArticleRef {
  slug: string;
  headline: string;
}

function Back({ article }: { article: ArticleRef }) {
  return (
    <p class="comments__back">
      <a href={`${articleHref(article.slug)}#comments`}>← All comments on “{article.headline}”</a>
    </p>
  );
}

const who = (c: Comment) => (isDeleted(c) ? 'a deleted comment' : c.author.displayName);

export function ThreadPage(props: {
  chrome: PageChrome;
  v: CommentViewer;
  article: ArticleRef;
  ancestors: Comment[];
  comment: Comment;
  replies: Comment[];
  next: ReplyCursor | null;
  paged: boolean;
  lastEventId: number;
  replyText?: string;
  replyError?: string | null;
}) {
  const { chrome, v, article, ancestors, comment, replies, next } = props;
  const canReply = !isDeleted(comment) && can(v.actor, 'post', comment, { article: v.article, settings: v.settings, now: v.now, sanction: v.sanction }).allowed;
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} islands={['comments']} title={`Comment by ${who(comment)} on ${article.headline} — ${chrome.site.name}`}>
      <section id="comments" class="comments comments--thread" aria-labelledby="thread-heading" data-slug={v.slug} data-after={props.lastEventId} data-focus={comment.id}>
        <Back article={article} />
        <h1 id="thread-heading" class="comments__thread-title">
          {comment.parentId === null ? 'Thread' : 'Reply'} by {who(comment)}
        </h1>
        {ancestors.length > 0 ? (
          <ol class="comment-context" aria-label="Earlier in this thread">
            {ancestors.map((a) => (
              <li class="comment-context__item">
                <CommentView comment={a} v={v} />
              </li>
            ))}
          </ol>
        ) : null}
        <div class="thread" data-thread={comment.rootId ?? comment.id}>
          <CommentView comment={comment} v={v} focus />
          {canReply ? (
            <div id="reply" class="comments__reply-here">
              <Composer v={v} parent={comment} idBase="reply" text={props.replyText} error={props.replyError} />
            </div>
          ) : null}
          <h2 id="replies" class="comments__replies-heading">
            {comment.descendantCount === 0 ? 'No replies yet' : comment.descendantCount === 1 ? '1 reply' : `${comment.descendantCount} replies`}
          </h2>
          {props.paged ? (
            <p class="comments__paged">
              <a href={`${articleHref(v.slug)}/comments/${comment.id}#replies`}>Back to the first replies</a>
            </p>
          ) : null}
          <ol class="comment-replies" aria-labelledby="replies">
            {replies.map((r) => (
              <ReplyItem comment={r} v={v} />
            ))}
          </ol>
          {next ? <MoreReplies parent={comment} cursor={next} count={null} v={v} /> : null}
        </div>
      </section>
    </Layout>
  );
}

/** A post that needs correcting, shown again with its text kept and the reason above it. */
export function ComposerPage({ chrome, v, article, parent, text, error, previewHtml = null }: { chrome: PageChrome; v: CommentViewer; article: ArticleRef; parent: Comment | null; text: string; error: string | null; previewHtml?: string | null }) {
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`Your comment on ${article.headline} — ${chrome.site.name}`}>
      <section class="comments" aria-labelledby="composer-heading">
        <Back article={article} />
        <h1 id="composer-heading" class="comments__thread-title">
          Your comment
        </h1>
        {parent ? <CommentView comment={parent} v={v} /> : null}
        <Composer v={v} parent={parent} text={text} error={error} idBase="retry" previewHtml={previewHtml} />
      </section>
    </Layout>
  );
}

export function EditPage({ chrome, v, article, comment, text, error, back }: { chrome: PageChrome; v: CommentViewer; article: ArticleRef; comment: Comment; text: string; error: string | null; back: string }) {
  const deadline = editDeadline(comment, v.settings);
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`Edit your comment — ${chrome.site.name}`}>
      <section class="comments" aria-labelledby="edit-heading">
        <Back article={article} />
        <h1 id="edit-heading" class="comments__thread-title">
          Edit your comment
        </h1>
        <form method="post" action={`/comments/${comment.id}/edit`} class="composer">
          <input type="hidden" name={CSRF_FIELD} value={v.csrf()} />
          <input type="hidden" name="back" value={back} />
          <label for="edit-body">Your comment</label>
          <textarea id="edit-body" name="body" rows={6} required aria-describedby="edit-hint edit-error" aria-invalid={error ? 'true' : undefined}>
            {text}
          </textarea>
          <p class="composer__hint" id="edit-hint">
            You can edit until <time dateTime={deadline.toISOString()}>{deadline.toISOString().slice(11, 16)} UTC</time>; the comment will be marked “edited”.
          </p>
          <p class="composer__error" id="edit-error" role="alert">
            {error ?? ''}
          </p>
          <button type="submit">Save changes</button>
        </form>
      </section>
    </Layout>
  );
}

const ACTION_TEXT = {
  react: { title: 'Respect this comment', on: 'Take back your respect', off: 'Respect' },
  follow: { title: 'Follow this reader', on: 'Unfollow', off: 'Follow' },
  delete: { title: 'Delete your comment', on: 'Delete', off: 'Delete' },
} as const;

/** One action on one comment, for readers without JavaScript: the comment, one button, and back. */
export function ActionPage({ chrome, v, article, comment, action, back }: { chrome: PageChrome; v: CommentViewer; article: ArticleRef; comment: Comment; action: 'react' | 'follow' | 'delete'; back: string }) {
  const text = ACTION_TEXT[action];
  const on = action === 'react' ? v.reacted?.has(comment.id) === true : action === 'follow' ? v.following?.has(comment.author.id) === true : true;
  const name = comment.author.displayName;
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${text.title} — ${chrome.site.name}`}>
      <section class="comments" aria-labelledby="action-heading">
        <p class="comments__back">
          <a href={back}>← Back to the comment</a>
        </p>
        <h1 id="action-heading" class="comments__thread-title">
          {action === 'follow' ? (on ? `Stop following ${name}` : `Follow ${name}`) : action === 'react' ? (on ? 'Take back your respect' : `Respect the comment by ${name}`) : 'Delete your comment?'}
        </h1>
        <CommentView comment={comment} v={{ ...v, actor: null }} />
        {action === 'delete' ? <p>Its text will be gone for good; replies to it stay.</p> : null}
        <form method="post" action={action === 'follow' ? `/readers/${encodeURIComponent(comment.author.handle)}/follow` : action === 'react' ? `/comments/${comment.id}/reaction` : `/comments/${comment.id}/delete`} class="comment-action">
          <input type="hidden" name={CSRF_FIELD} value={v.csrf()} />
          {action === 'react' ? <input type="hidden" name="on" value={on ? '0' : '1'} /> : null}
          {action === 'follow' ? <input type="hidden" name="action" value={on ? 'unfollow' : 'follow'} /> : null}
          <input type="hidden" name={action === 'follow' ? 'next' : 'back'} value={back} />
          <button type="submit" class="button button--primary">
            {action === 'follow' ? `${on ? text.on : text.off} ${name}` : on ? text.on : text.off}
          </button>{' '}
          <a href={back}>Cancel</a>
        </form>
      </section>
    </Layout>
  );
}
