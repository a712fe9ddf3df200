import { useI18n } from '../i18n/view.ts';
import { paragraphAnchor, type QuotedPerson } from './model.ts';

// The "Who's quoted" box under an article: each person the story quotes, their role when it gives one,
// and their words, each linking to the paragraph it comes from. Nothing when the story quotes nobody.
// It is part of the article page's template, rendered once per article and language (article-page.tsx),
// so its words come from the page's translator like the rest of the template.

export function WhosQuoted({ people }: { people: readonly QuotedPerson[] | null | undefined }) {
  const { t } = useI18n();
  if (!people || people.length === 0) return null;
  return (
    <aside class="quoted" aria-labelledby="quoted-heading">
      <h2 id="quoted-heading">{t('quotes.box.title')}</h2>
      <ul class="quoted__people">
        {people.map((person) => (
          <li class="quoted__person" data-person={person.slug}>
            <p class="quoted__name">
              <a href={`/people/${person.slug}`}>{person.name}</a>
              {person.role ? <span class="quoted__role">{t('quotes.box.role', { role: person.role })}</span> : null}
            </p>
            <ul class="quoted__quotes">
              {person.quotes.map((quote) => (
                <li>
                  <a class="quoted__quote" href={`#${paragraphAnchor(quote.paragraph)}`}>
                    {t('quotes.quote', { text: quote.text })}
                  </a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </aside>
  );
}
