import type { Passage } from './model.ts';

// The pieces of "discuss a passage" other pages place: the quote above a comment, and the margin of
// each paragraph (how many comments discuss it, and a Discuss link that works without JavaScript).

export const passagePath = (slug: string, paragraph: number) => `/articles/${encodeURIComponent(slug)}/passages/${paragraph}`;

/**
 * The passage a comment discusses, as a quote linked back to its paragraph on the article page; once
 * the article no longer contains it, the quote stays and says so. In a publisher's frame (`embedded`)
 * the link opens Parley's article page, which is where the paragraph anchors are.
 */
export function PassageQuote({ passage, slug, embedded = false }: { passage: Passage | null | undefined; slug: string; embedded?: boolean }) {
  if (!passage) return null;
  if (passage.changed) {
    return (
      <blockquote class="comment__passage comment__passage--changed">
        <p class="comment__passage-text">{passage.exact}</p>
        <p class="comment__passage-note">This passage was changed: the article no longer says this.</p>
      </blockquote>
    );
  }
  // The quote is itself the link: every comment on a busy passage carries one, so it stays small.
  return (
    <blockquote class="comment__passage">
      <a class="comment__passage-text" href={`/articles/${encodeURIComponent(slug)}#p-${passage.paragraph}`} target={embedded ? '_blank' : undefined} rel={embedded ? 'noopener' : undefined}>
        {passage.exact}
      </a>
    </blockquote>
  );
}

const commentsOn = (n: number) => (n === 1 ? '1 comment on this paragraph' : `${n} comments on this paragraph`);

/**
 * The margin of paragraph N, placed just before it: the count of comments that discuss it (a link to
 * them) and a Discuss link.
 */
export function ParagraphTools({ slug, paragraph, count }: { slug: string; paragraph: number; count: number }) {
  const href = passagePath(slug, paragraph);
  return (
    <span class="passage-tools" data-passage-tools="" data-paragraph={paragraph}>
      {count > 0 ? (
        <a class="passage-tools__count" href={href} title={commentsOn(count)} aria-label={commentsOn(count)} data-passage-count={count}>
          {count}
        </a>
      ) : null}
      <a class="passage-tools__discuss" href={`${href}#compose`} aria-label={`Discuss paragraph ${paragraph}`}>
        Discuss
      </a>
    </span>
  );
}

/** The margin for an article page: a function ArticleBody calls for each paragraph and quote. */
export function paragraphToolsFor(slug: string, counts: ReadonlyMap<number, number>) {
  return (paragraph: number) => <ParagraphTools slug={slug} paragraph={paragraph} count={counts.get(paragraph) ?? 0} />;
}
