import type { Article } from '../articles/model.ts';
import type { Comment } from '../comments/model.ts';
import { commentUrl } from '../comments/presenter.ts';
import { encodeCursor } from '../http/cursor.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { dateFormatter } from '../ui/date-format.ts';
import { InputField } from '../ui/form.tsx';
import { Layout } from '../ui/layout.tsx';
import type { TextQuoteSelector } from './model.ts';
import type { PassageCursor } from './store.ts';
import { passagePath } from './views.tsx';

// One paragraph and its conversation: where the margin's count and the Discuss link lead, with or
// without JavaScript. The composer carries the passage (the whole paragraph, or the words the reader
// selected on the article page) in hidden fields.

export interface PassagePageProps {
  chrome: PageChrome;
  article: Pick<Article, 'slug' | 'headline' | 'timeZone'>;
  paragraph: number;
  /** The paragraph's text, and where the quoted words are in it. */
  text: string;
  quoted: { start: number; end: number };
  selector: TextQuoteSelector;
  comments: Comment[];
  next: PassageCursor | null;
  /** Why the reader cannot comment here (with how to fix it), or null when they can. */
  refusal: { message: string; signIn: boolean } | null;
  draft?: string;
  error?: string | null;
  /** The most characters a comment may have (a setting). */
  maxLength: number;
}

function when(date: Date, timeZone: string): string {
  try {
    return dateFormatter({ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(date);
  } catch {
    return date.toISOString();
  }
}

function PassageComment({ comment, slug, timeZone }: { comment: Comment; slug: string; timeZone: string }) {
  const url = commentUrl(slug, comment);
  return (
    <li class="passage-comment" id={`c-${comment.id}`}>
      <p class="comment__meta">
        <span class="comment__author">{comment.author.displayName}</span>{' '}
        <a class="comment__time" href={url}>
          <time dateTime={comment.createdAt.toISOString()}>{when(comment.createdAt, timeZone)}</time>
        </a>
        {comment.status === 'held' ? <span class="comment__moderation comment__moderation--held"> Awaiting moderation: only you can see this comment for now.</span> : null}
      </p>
      <div class="comment__body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
      <p class="passage-comment__more">
        <a href={`${url}#reply`}>{comment.descendantCount === 0 ? 'Reply' : comment.descendantCount === 1 ? 'Reply · 1 reply' : `Reply · ${comment.descendantCount} replies`}</a>
      </p>
    </li>
  );
}

export function PassagePage(props: PassagePageProps) {
  const { chrome, article, paragraph, text, quoted, selector, comments, next, refusal } = props;
  const articleUrl = `/articles/${encodeURIComponent(article.slug)}`;
  const here = passagePath(article.slug, paragraph);
  const wholeParagraph = quoted.start === 0 && quoted.end === text.length;
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`Discuss paragraph ${paragraph} of “${article.headline}” — ${chrome.site.name}`}>
      <section class="passage-page" aria-labelledby="passage-heading">
        <p class="comments__back">
          <a href={`${articleUrl}#p-${paragraph}`}>← Back to “{article.headline}”</a>
        </p>
        <h1 id="passage-heading">Discuss a passage</h1>
        <blockquote class="passage-page__paragraph" cite={`${articleUrl}#p-${paragraph}`}>
          <p>
            {wholeParagraph ? (
              text
            ) : (
              <>
                {text.slice(0, quoted.start)}
                <mark>{text.slice(quoted.start, quoted.end)}</mark>
                {text.slice(quoted.end)}
              </>
            )}
          </p>
        </blockquote>

        <h2 id="compose">{wholeParagraph ? 'Your comment on this paragraph' : 'Your comment on the highlighted words'}</h2>
        {refusal ? (
          <p class="comments__prompt">
            {refusal.signIn ? (
              <>
                <a href={`/signin?next=${encodeURIComponent(`${here}#compose`)}`}>Sign in</a> or <a href={`/register?next=${encodeURIComponent(`${here}#compose`)}`}>register</a> to discuss this
                passage.
              </>
            ) : (
              refusal.message
            )}
          </p>
        ) : (
          <form method="post" action={here} class="composer passage-page__composer">
            <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />
            <input type="hidden" name="exact" value={selector.exact} />
            <input type="hidden" name="prefix" value={selector.prefix} />
            <input type="hidden" name="suffix" value={selector.suffix} />
            <InputField
              id="passage-body"
              name="body"
              label="Your comment"
              value={props.draft ?? ''}
              error={props.error ?? null}
              hint={`Up to ${props.maxLength.toLocaleString('en-GB')} characters. It appears under the article with the words you quote.`}
              multiline
              required
            />
            <button type="submit" class="button button--primary">
              Post comment
            </button>
          </form>
        )}

        <h2 id="passage-comments">{comments.length === 0 && !next ? 'No comments on this paragraph yet' : 'Comments on this paragraph'}</h2>
        {comments.length > 0 ? (
          <ol class="passage-page__comments">
            {comments.map((c) => (
              <PassageComment comment={c} slug={article.slug} timeZone={article.timeZone} />
            ))}
          </ol>
        ) : null}
        {next ? (
          <p class="comments__more">
            <a href={`${here}?cursor=${encodeCursor(next)}#passage-comments`}>Older comments on this paragraph</a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
}
