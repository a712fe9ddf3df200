import { CSRF_FIELD } from '../http/csrf.ts';
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
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`${person.name}: quoted in ${chrome.site.name}`} head={<link rel="canonical" href={`${chrome.site.publicUrl}/people/${person.slug}`} />}>
      <section class="person-page">
        <h1>{person.name}</h1>
        {role ? <p class="person-page__role">{role}</p> : null}
        {quotes.length === 0 ? (
          <p class="empty-state">No story on this site quotes {person.name} at the moment.</p>
        ) : (
          <>
            <p>
              Quoted {quotes.length === 1 ? 'once' : `${quotes.length} times`} in {byArticle.size === 1 ? 'one story' : `${byArticle.size} stories`}.
            </p>
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
                          “{q.text}”
                        </a>
                      </li>
                    ))}
                  </ul>
                  <p class="story__meta">
                    <a href={`/articles/${article.slug}#comments`}>{article.commentCount === 1 ? 'Join the conversation: 1 comment' : `Join the conversation: ${article.commentCount} comments`}</a>
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
}

export function sourcesQueryString(query: SourcesQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...extra })) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function SourcesPage({ chrome, query, sections, rows, review, notice, error, truncated }: { chrome: PageChrome; query: SourcesQuery; sections: string[]; rows: SourceRow[]; review: ReviewQuote[]; notice?: string | null; error?: string | null; truncated: boolean }) {
  const total = rows.reduce((n, r) => n + r.quotes, 0);
  return (
    <AdminPage chrome={chrome} title="Sources">
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {error ? <p class="form-problems" role="alert">{error}</p> : null}
      <p>Who the stories quote, and how often. Dates are publication dates (UTC); leave them empty for all time.</p>
      <form method="get" action="/admin/sources" class="mod-filter">
        <label for="src-from">From</label>
        <input id="src-from" name="from" type="date" value={query.from} />
        <label for="src-to">To (inclusive)</label>
        <input id="src-to" name="to" type="date" value={query.to} />
        <label for="src-section">Section</label>
        <select id="src-section" name="section">
          <option value="">All sections</option>
          {sections.map((s) => (
            <option value={s} selected={s === query.section}>
              {s === 'none' ? '(no section)' : s}
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
      </form>
      <p>
        <a href={`/admin/sources.csv${sourcesQueryString({ ...query, article: '', person: '' })}`} download>
          Download as CSV
        </a>
      </p>
      {truncated ? <p role="status">This period has too many quotes to count them all: choose a shorter one.</p> : null}
      {rows.length === 0 ? (
        <p>No one is quoted in the stories of this period.</p>
      ) : (
        <table class="audit">
          <caption>
            {rows.length === 1 ? '1 person' : `${rows.length} people`} quoted {total === 1 ? 'once' : `${total} times`}, most quoted first
          </caption>
          <TableHead columns={['Person', 'Role', 'Quotes', 'Stories', 'Sections']} />
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/admin/sources${sourcesQueryString({ ...query, article: '', person: r.slug })}#review`}>{r.name}</a>
                </td>
                <td>{r.role ?? ''}</td>
                <td>{r.quotes}</td>
                <td>{r.articles}</td>
                <td>{r.sections.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ReviewList chrome={chrome} query={query} review={review} />
    </AdminPage>
  );
}

function ReviewList({ chrome, query, review }: { chrome: PageChrome; query: SourcesQuery; review: ReviewQuote[] }) {
  const back = sourcesQueryString(query);
  return (
    <section aria-labelledby="review">
      <h2 id="review" tabIndex={-1}>
        Check the attributions
      </h2>
      <p>
        {query.person ? 'The quotes attributed to this person. ' : query.article ? 'The quotes of this story. ' : 'The latest quotes. '}
        If a quote is attributed to the wrong person, name the right one; if it is not a quote, say so. Corrections are kept when the story is imported again.
      </p>
      {query.person || query.article ? (
        <p>
          <a href={`/admin/sources${sourcesQueryString({ ...query, article: '', person: '' })}`}>Show the latest quotes of every story</a>
        </p>
      ) : null}
      {review.length === 0 ? (
        <p>No quotes to check.</p>
      ) : (
        <ol class="quote-review">
          {review.map((q) => (
            <li class="quote-review__item" id={`quote-${q.id}`}>
              <blockquote>“{q.text}”</blockquote>
              <p class="story__meta">
                Said by <strong>{q.speaker.name}</strong>
                {q.corrected ? ' (corrected by an editor)' : ''} in{' '}
                <a href={`/articles/${q.article.slug}#${paragraphAnchor(q.paragraph)}`}>{q.article.headline}</a> ·{' '}
                <a href={`/admin/sources${sourcesQueryString({ ...query, person: '', article: q.article.slug })}#review`}>all quotes of this story</a>
              </p>
              <form method="post" action={`/admin/sources/quotes/${q.id}`} class="quote-review__form">
                <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />
                <input type="hidden" name="back" value={back} />
                <label for={`speaker-${q.id}`}>Who said it</label>
                <input id={`speaker-${q.id}`} name="speaker" required maxLength={120} value={q.speaker.name} />
                <button type="submit" name="action" value="speaker">
                  Change speaker
                </button>
              </form>
              <form method="post" action={`/admin/sources/quotes/${q.id}`} class="quote-review__form">
                <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />
                <input type="hidden" name="back" value={back} />
                <button type="submit" name="action" value="not_quote" class="button--quiet" aria-label={`Not a quote: “${q.text.slice(0, 60)}”`}>
                  Not a quote
                </button>
              </form>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
