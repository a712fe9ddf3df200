import { CSRF_FIELD } from '../http/csrf.ts';
import { useI18n } from '../i18n/view.ts';
import { AdminPage } from '../admin/views.tsx';
import type { PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { paragraphAnchor } from './model.ts';
import type { PersonQuote, PersonRecord, ReviewQuote, SourceRow } from './store.ts';
import { TableHead } from '../ui/table.tsx';

// The person page (everything the site's articles quote someone saying) and the newsroom's sources page.

export function PersonPage({ chrome, person, quotes }: { chrome: PageChrome; person: PersonRecord; quotes: PersonQuote[] }) {
  const byArticle = new Map<string, PersonQuote[]>();
  for (const q of quotes) byArticle.set(q.article.slug, [...(byArticle.get(q.article.slug) ?? []), q]);
  const role = quotes.find((q) => q.role)?.role ?? null;
  const { t } = useI18n();
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={t('quotes.person.title', { name: person.name, site: chrome.site.name })} head={<link rel="canonical" href={`${chrome.site.publicUrl}/people/${person.slug}`} />}>
      <section class="person-page">
        <h1>{person.name}</h1>
        {role ? <p class="person-page__role">{role}</p> : null}
        {quotes.length === 0 ? (
          <p class="empty-state">{t('quotes.person.none', { name: person.name })}</p>
        ) : (
          <>
            <p>{t('quotes.person.summary', { quotes: quotes.length, stories: byArticle.size })}</p>
            {[...byArticle.values()].map((group) => {
              const article = group[0]!.article;
              return (
                <article class="person-page__story">
                  <h2>
                    <a href={`/articles/${article.slug}`}>{article.headline}</a>
                  </h2>
                  <ul class="quoted__quotes">
                    {group.map((q) => (
                      <li>
                        <a class="quoted__quote" href={`/articles/${article.slug}#${paragraphAnchor(q.paragraph)}`}>
                          {t('quotes.quote', { text: q.text })}
                        </a>
                      </li>
                    ))}
                  </ul>
                  <p class="story__meta">
                    <a href={`/articles/${article.slug}#comments`}>{t('quotes.person.join', { count: article.commentCount })}</a>
                  </p>
                </article>
              );
            })}
          </>
        )}
      </section>
    </Layout>
  );
}

export interface SourcesQuery {
  from: string;
  to: string;
  section: string;
  article: string;
  person: string;
  /** The review list's page, '' for the first. */
  page: string;
}

export function sourcesQueryString(query: SourcesQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...extra })) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function SourcesPage({ chrome, query, sections, rows, review, more, notice, error, truncated }: { chrome: PageChrome; query: SourcesQuery; sections: string[]; rows: SourceRow[]; review: ReviewQuote[]; more: boolean; notice?: string | null; error?: string | null; truncated: boolean }) {
  const total = rows.reduce((n, r) => n + r.quotes, 0);
  const { t } = useI18n();
  return (
    <AdminPage chrome={chrome} title={t('quotes.sources.title')} current="sources">
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {error ? <p class="form-problems" role="alert">{error}</p> : null}
      <p>{t('quotes.sources.intro')}</p>
      <form method="get" action="/admin/sources" class="mod-filter">
        <label for="src-from">{t('quotes.sources.from')}</label>
        <input id="src-from" name="from" type="date" value={query.from} />
        <label for="src-to">{t('quotes.sources.to')}</label>
        <input id="src-to" name="to" type="date" value={query.to} />
        <label for="src-section">{t('quotes.sources.section')}</label>
        <select id="src-section" name="section">
          <option value="">{t('quotes.sources.allSections')}</option>
          {sections.map((s) => (
            <option value={s} selected={s === query.section}>
              {s === 'none' ? t('quotes.sources.noSection') : s}
            </option>
          ))}
        </select>
        <button type="submit">{t('quotes.sources.show')}</button>
      </form>
      <p>
        <a href={`/admin/sources.csv${sourcesQueryString({ ...query, article: '', person: '', page: '' })}`} download>
          {t('quotes.sources.csv')}
        </a>
      </p>
      {truncated ? <p role="status">{t('quotes.sources.truncated')}</p> : null}
      {rows.length === 0 ? (
        <p>{t('quotes.sources.empty')}</p>
      ) : (
        <table class="audit">
          <caption>
            {t('quotes.sources.caption', { people: rows.length, quotes: total })}
          </caption>
          <TableHead columns={[t('quotes.sources.column.person'), t('quotes.sources.column.role'), t('quotes.sources.column.quotes'), t('quotes.sources.column.stories'), t('quotes.sources.column.sections')]} />
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/admin/sources${sourcesQueryString({ ...query, article: '', person: r.slug, page: '' })}#review`}>{r.name}</a>
                </td>
                <td>{r.role ?? ''}</td>
                <td>{r.quotes}</td>
                <td>{r.articles}</td>
                {/* 'none' is the report's value (and the CSV's) for stories filed under no section; people read it as the filter names it. */}
                <td>{r.sections.map((s) => (s === 'none' ? t('quotes.sources.noSection') : s)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ReviewList chrome={chrome} query={query} review={review} more={more} />
    </AdminPage>
  );
}

function ReviewList({ chrome, query, review, more }: { chrome: PageChrome; query: SourcesQuery; review: ReviewQuote[]; more: boolean }) {
  const back = sourcesQueryString(query);
  const { t, rich } = useI18n();
  return (
    <section aria-labelledby="review">
      <h2 id="review" tabIndex={-1}>
        {t('quotes.review.title')}
      </h2>
      <p>{t('quotes.review.intro', { scope: query.person ? 'person' : query.article ? 'article' : 'latest' })}</p>
      {query.person || query.article ? (
        <p>
          <a href={`/admin/sources${sourcesQueryString({ ...query, article: '', person: '', page: '' })}`}>{t('quotes.review.all')}</a>
        </p>
      ) : null}
      {review.length === 0 ? (
        <p>{t('quotes.review.empty')}</p>
      ) : (
        <ol class="quote-review">
          {review.map((q) => (
            <li class="quote-review__item" id={`quote-${q.id}`}>
              <blockquote>{t('quotes.quote', { text: q.text })}</blockquote>
              <p class="story__meta">
                {rich('quotes.review.saidBy', {
                  name: <strong>{q.speaker.name}</strong>,
                  corrected: q.corrected ? 'yes' : 'no',
                  story: <a href={`/articles/${q.article.slug}#${paragraphAnchor(q.paragraph)}`}>{q.article.headline}</a>,
                })}{' '}
                ·{' '}
                <a href={`/admin/sources${sourcesQueryString({ ...query, person: '', article: q.article.slug, page: '' })}#review`}>{t('quotes.review.storyQuotes')}</a>
              </p>
              <form method="post" action={`/admin/sources/quotes/${q.id}`} class="quote-review__form">
                <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />
                <input type="hidden" name="back" value={back} />
                <label for={`speaker-${q.id}`}>{t('quotes.review.speaker')}</label>
                <input id={`speaker-${q.id}`} name="speaker" required maxLength={120} value={q.speaker.name} />
                <button type="submit" name="action" value="speaker">
                  {t('quotes.review.changeSpeaker')}
                </button>
              </form>
              <form method="post" action={`/admin/sources/quotes/${q.id}`} class="quote-review__form">
                <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />
                <input type="hidden" name="back" value={back} />
                <button type="submit" name="action" value="not_quote" class="button--quiet" aria-label={t('quotes.review.notQuoteLabel', { text: q.text.slice(0, 60) })}>
                  {t('quotes.review.notQuote')}
                </button>
              </form>
            </li>
          ))}
        </ol>
      )}
      <ReviewPager query={query} more={more} />
    </section>
  );
}

/** Newer and older pages of the review list, keeping its scope and period. */
function ReviewPager({ query, more }: { query: SourcesQuery; more: boolean }) {
  const { t } = useI18n();
  const page = Number(query.page || 1);
  if (page === 1 && !more) return null;
  const at = (n: number) => `/admin/sources${sourcesQueryString({ ...query, page: n > 1 ? String(n) : '' })}#review`;
  return (
    <nav class="pager" aria-label={t('quotes.review.pages')}>
      {page > 1 ? (
        <a href={at(page - 1)} rel="prev">
          {t('quotes.review.newer')}
        </a>
      ) : null}{' '}
      {more ? (
        <a href={at(page + 1)} rel="next">
          {t('quotes.review.older')}
        </a>
      ) : null}
    </nav>
  );
}
