import type { Article } from '../articles/model.ts';
import type { Comment } from '../comments/model.ts';
import { commentUrl } from '../comments/presenter.ts';
import { encodeCursor } from '../http/cursor.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { htmlLang } from '../i18n/request.ts';
import { useI18n } from '../i18n/view.ts';
import { dateFormatter, dateTimeAttribute } from '../ui/date-format.ts';
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

/** When a comment was made, in the article's zone and the page's language. */
function when(date: Date, timeZone: string, locale: string): string {
  try {
    return dateFormatter({ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }, htmlLang(locale)).format(date);
  } catch {
    return date.toISOString();
  }
}

function PassageComment({ comment, slug, timeZone }: { comment: Comment; slug: string; timeZone: string }) {
  const { t, locale } = useI18n();
  const url = commentUrl(slug, comment);
  return (
    <li class="passage-comment" id={`c-${comment.id}`}>
      <p class="comment__meta">
        <span>{comment.author.displayName}</span>{' '}
        <a class="comment__time" href={url}>
          <time dateTime={dateTimeAttribute(comment.createdAt)}>{when(comment.createdAt, timeZone, locale)}</time>
        </a>
        {comment.status === 'held' ? <span class="comment__moderation comment__moderation--held"> {t('passages.page.held')}</span> : null}
      </p>
      <div class="comment__body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
      <p class="passage-comment__more">
        <a href={`${url}#reply`}>{t('passages.page.reply', { count: comment.descendantCount })}</a>
      </p>
    </li>
  );
}

export function PassagePage(props: PassagePageProps) {
  const { chrome, article, paragraph, text, quoted, selector, comments, next, refusal } = props;
  const articleUrl = `/articles/${encodeURIComponent(article.slug)}`;
  const here = passagePath(article.slug, paragraph);
  const wholeParagraph = quoted.start === 0 && quoted.end === text.length;
  const { t, rich } = useI18n();
  const compose = `${here}#compose`;
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={t('layout.title', { page: t('passages.page.title', { paragraph, headline: article.headline }), site: chrome.site.name })}>
      <section class="passage-page" aria-labelledby="passage-heading">
        <p class="comments__back">
          <a href={`${articleUrl}#p-${paragraph}`}>{t('passages.page.back', { headline: article.headline })}</a>
        </p>
        <h1 id="passage-heading">{t('passages.page.heading')}</h1>
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

        <h2 id="compose">{t('passages.page.compose', { scope: wholeParagraph ? 'paragraph' : 'words' })}</h2>
        {refusal ? (
          <p class="comments__prompt">
            {refusal.signIn ? (
              rich('passages.page.signIn', {
                signIn: <a href={`/signin?next=${encodeURIComponent(compose)}`}>{t('passages.page.signInLink')}</a>,
                register: <a href={`/register?next=${encodeURIComponent(compose)}`}>{t('passages.page.registerLink')}</a>,
              })
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
              label={t('passages.page.label')}
              value={props.draft ?? ''}
              error={props.error ?? null}
              hint={t('passages.page.hint', { max: props.maxLength })}
              multiline
              required
            />
            <button type="submit" class="button button--primary">
              {t('passages.page.post')}
            </button>
          </form>
        )}

        <h2 id="passage-comments">{t('passages.page.comments', { any: comments.length === 0 && !next ? 'no' : 'yes' })}</h2>
        {comments.length > 0 ? (
          <ol class="passage-page__comments">
            {comments.map((c) => (
              <PassageComment comment={c} slug={article.slug} timeZone={article.timeZone} />
            ))}
          </ol>
        ) : null}
        {next ? (
          <p class="comments__more">
            <a href={`${here}?cursor=${encodeCursor(next)}#passage-comments`}>{t('passages.page.older')}</a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
}
