import { useI18n } from '../i18n/view.ts';

// A titled list of conversations with their comment counts: the front page's "Most discussed" and
// "Active now", and "Also being discussed" under an article (the lists come from src/conversations).

export interface ConversationLink {
  headline: string;
  /** The article page. */
  href: string;
  commentCount: number;
}

/** Nothing at all when the list is empty and no `empty` sentence is given. */
export function ConversationBox({ id, title, conversations, empty }: { id: string; title: string; conversations: ConversationLink[]; empty?: string }) {
  const { t } = useI18n();
  if (conversations.length === 0 && !empty) return null;
  return (
    <section class="conversation-box" aria-labelledby={id}>
      <h2 id={id} class="conversation-box__title">
        {title}
      </h2>
      {conversations.length === 0 ? (
        <p class="conversation-box__empty">{empty}</p>
      ) : (
        <ol class="conversation-box__list">
          {conversations.map((c) => (
            <li class="conversation-box__item">
              <a href={c.href}>{c.headline}</a>{' '}
              <a class="conversation-box__count" href={`${c.href}#comments`}>
                {t('articles.commentCount', { count: c.commentCount })}
              </a>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
