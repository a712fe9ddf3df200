import { paragraphAnchor, type QuotedPerson } from './model.ts';

// The "Who's quoted" box under an article: each person the story quotes, their role when it gives one,
// and their words, each linking to the paragraph it comes from. Nothing when the story quotes nobody.

export function WhosQuoted({ people }: { people: readonly QuotedPerson[] | null | undefined }) {
  if (!people || people.length === 0) return null;
  return (
    <aside class="quoted" aria-labelledby="quoted-heading">
      <h2 id="quoted-heading">Who’s quoted</h2>
      <ul class="quoted__people">
        {people.map((person) => (
          <li class="quoted__person" data-person={person.slug}>
            <p class="quoted__name">
              <a href={`/people/${person.slug}`}>{person.name}</a>
              {person.role ? <span class="quoted__role">, {person.role}</span> : null}
            </p>
            <ul class="quoted__quotes">
              {person.quotes.map((quote) => (
                <li>
                  <a class="quoted__quote" href={`#${paragraphAnchor(quote.paragraph)}`}>
                    “{quote.text}”
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
