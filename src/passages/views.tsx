import { useI18n } from '../i18n/view.ts';
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
  const { t } = useI18n();
  if (!passage) return null;
  if (passage.changed) {
    return (
      <blockquote class="comment__passage comment__passage--changed">
        <p class="comment__passage-text">{passage.exact}</p>
        <p class="comment__passage-note">{t('passages.quote.changed')}</p>
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

/** The words the island (src/client/passages.ts) shows, which cannot carry the catalogs: `{quote}` is filled in the browser. */
export interface PassageIslandMessages {
  discuss: string;
  discussQuote: string;
}

/**
 * The margin of paragraph N, placed just before it: the count of comments that discuss it (a link to
 * them) and a Discuss link. The first margin of a page also carries the island's few words
 * (`data-passage-messages`), once rather than on every paragraph.
 */
export function ParagraphTools({ slug, paragraph, count, islandMessages = false }: { slug: string; paragraph: number; count: number; islandMessages?: boolean }) {
  const { t } = useI18n();
  const href = passagePath(slug, paragraph);
  const commentsOn = count > 0 ? t('passages.margin.count', { count }) : '';
  const messages: PassageIslandMessages | null = islandMessages ? { discuss: t('passages.margin.discuss'), discussQuote: t('passages.island.discussQuote', { quote: '{quote}' }) } : null;
  return (
    <span class="passage-tools" data-passage-tools="" data-paragraph={paragraph} data-passage-messages={messages ? JSON.stringify(messages) : undefined}>
      {count > 0 ? (
        <a class="passage-tools__count" href={href} title={commentsOn} aria-label={commentsOn} data-passage-count={count}>
          {count}
        </a>
      ) : null}
      <a class="passage-tools__discuss" href={`${href}#compose`} aria-label={t('passages.margin.discussLabel', { paragraph })}>
        {t('passages.margin.discuss')}
      </a>
    </span>
  );
}

/** The margin for an article page: a function ArticleBody calls for each paragraph and quote, in order. */
export function paragraphToolsFor(slug: string, counts: ReadonlyMap<number, number>) {
  let first = true;
  return (paragraph: number) => {
    const tools = <ParagraphTools slug={slug} paragraph={paragraph} count={counts.get(paragraph) ?? 0} islandMessages={first} />;
    first = false;
    return tools;
  };
}
