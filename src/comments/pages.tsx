import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { CSRF_FIELD } from '../http/csrf.ts';
import { can } from './policy.ts';
import { editDeadline, isDeleted, type Comment, type ReplyCursor } from './model.ts';
import { articleHref, CommentView, MoreReplies, ReplyItem, type CommentViewer } from './views.tsx';
import { Composer } from './composer.tsx';
import { useI18n } from '../i18n/view.ts';
import { islandMessagesJson } from './stream-words.ts';

// Whole pages of the conversation for readers without JavaScript: a comment in its context (the
// permalink, and "continue this thread"), and the forms when something needs correcting.

interface ArticleRef {
  slug: string;
  headline: string;
}

function Back({ article }: { article: ArticleRef }) {
  const { t } = useI18n();
  return (
    <p class="comments__back">
      <a href={`${articleHref(article.slug)}#comments`}>{t('comments.page.back', { headline: article.headline })}</a>
    </p>
  );
}


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
  const i18n = useI18n();
  const { t } = i18n;
  const canReply = !isDeleted(comment) && can(v.actor, 'post', comment, { article: v.article, settings: v.settings, now: v.now, sanction: v.sanction }).allowed;
  const kind = comment.parentId === null ? 'thread' : 'reply';
  const deleted = isDeleted(comment);
  const name = comment.author.displayName;
  const title = deleted ? t('comments.page.threadTitleDeleted', { headline: article.headline }) : t('comments.page.threadTitle', { name, headline: article.headline });
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} islands={['comments']} title={`${title} — ${chrome.site.name}`}>
      <section id="comments" class="comments comments--thread" aria-labelledby="thread-heading" data-slug={v.slug} data-after={props.lastEventId} data-focus={comment.id} data-messages={islandMessagesJson(i18n)}>
        <Back article={article} />
        <h1 id="thread-heading" class="comments__thread-title">
          {deleted ? t('comments.page.threadHeadingDeleted', { kind }) : t('comments.page.threadHeading', { kind, name })}
        </h1>
        {ancestors.length > 0 ? (
          <ol class="comment-context" aria-label={t('comments.page.earlier')}>
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
            {t('comments.page.replies', { count: comment.descendantCount })}
          </h2>
          {props.paged ? (
            <p class="comments__paged">
              <a href={`${articleHref(v.slug)}/comments/${comment.id}#replies`}>{t('comments.page.backToFirstReplies')}</a>
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
  const { t } = useI18n();
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${t('comments.page.composerTitle', { headline: article.headline })} — ${chrome.site.name}`}>
      <section class="comments" aria-labelledby="composer-heading">
        <Back article={article} />
        <h1 id="composer-heading" class="comments__thread-title">
          {t('comments.page.yourComment')}
        </h1>
        {parent ? <CommentView comment={parent} v={v} /> : null}
        <Composer v={v} parent={parent} text={text} error={error} idBase="retry" previewHtml={previewHtml} />
      </section>
    </Layout>
  );
}

export function EditPage({ chrome, v, article, comment, text, error, back }: { chrome: PageChrome; v: CommentViewer; article: ArticleRef; comment: Comment; text: string; error: string | null; back: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const deadline = editDeadline(comment, v.settings);
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${t('comments.page.editTitle')} — ${chrome.site.name}`}>
      <section class="comments" aria-labelledby="edit-heading">
        <Back article={article} />
        <h1 id="edit-heading" class="comments__thread-title">
          {t('comments.page.editTitle')}
        </h1>
        <form method="post" action={`/comments/${comment.id}/edit`} class="composer">
          <input type="hidden" name={CSRF_FIELD} value={v.csrf()} />
          <input type="hidden" name="back" value={back} />
          <label for="edit-body">{t('comments.page.yourComment')}</label>
          <textarea id="edit-body" name="body" rows={6} required aria-describedby="edit-hint edit-error" aria-invalid={error ? 'true' : undefined}>
            {text}
          </textarea>
          <p class="composer__hint" id="edit-hint">
            {i18n.rich('comments.page.editHint', { time: <time dateTime={deadline.toISOString()}>{deadline.toISOString().slice(11, 16)} UTC</time> })}
          </p>
          <p class="composer__error" id="edit-error" role="alert">
            {error ?? ''}
          </p>
          <button type="submit">{t('comments.page.save')}</button>
        </form>
      </section>
    </Layout>
  );
}

const ACTION_TITLE = { react: 'comments.page.reactTitle', follow: 'comments.page.followTitle', delete: 'comments.page.deleteTitle' } as const;

/** One action on one comment, for readers without JavaScript: the comment, one button, and back. */
export function ActionPage({ chrome, v, article, comment, action, back }: { chrome: PageChrome; v: CommentViewer; article: ArticleRef; comment: Comment; action: 'react' | 'follow' | 'delete'; back: string }) {
  const { t } = useI18n();
  const on = action === 'react' ? v.reacted?.has(comment.id) === true : action === 'follow' ? v.following?.has(comment.author.id) === true : true;
  const name = comment.author.displayName;
  const heading =
    action === 'follow'
      ? on
        ? t('comments.page.unfollowHeading', { name })
        : t('comments.page.followHeading', { name })
      : action === 'react'
        ? on
          ? t('comments.page.unreactHeading')
          : t('comments.page.reactHeading', { name })
        : t('comments.page.deleteHeading');
  const button =
    action === 'follow'
      ? on
        ? t('comments.page.unfollowButton', { name })
        : t('comments.page.followButton', { name })
      : action === 'react'
        ? on
          ? t('comments.page.unreactButton')
          : t('comments.action.respect')
        : t('comments.action.delete');
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${t(ACTION_TITLE[action])} — ${chrome.site.name}`}>
      <section class="comments" aria-labelledby="action-heading">
        <p class="comments__back">
          <a href={back}>{t('comments.page.backToComment')}</a>
        </p>
        <h1 id="action-heading" class="comments__thread-title">
          {heading}
        </h1>
        <CommentView comment={comment} v={{ ...v, actor: null }} />
        {action === 'delete' ? <p>{t('comments.page.deleteWarning')}</p> : null}
        <form method="post" action={action === 'follow' ? `/readers/${encodeURIComponent(comment.author.handle)}/follow` : action === 'react' ? `/comments/${comment.id}/reaction` : `/comments/${comment.id}/delete`} class="comment-action">
          <input type="hidden" name={CSRF_FIELD} value={v.csrf()} />
          {action === 'react' ? <input type="hidden" name="on" value={on ? '0' : '1'} /> : null}
          {action === 'follow' ? <input type="hidden" name="action" value={on ? 'unfollow' : 'follow'} /> : null}
          <input type="hidden" name={action === 'follow' ? 'next' : 'back'} value={back} />
          <button type="submit" class="button button--primary">
            {button}
          </button>{' '}
          <a href={back}>{t('comments.composer.cancel')}</a>
        </form>
      </section>
    </Layout>
  );
}
