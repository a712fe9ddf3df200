import { articlePath } from '../articles/paths.ts';
import type { ConversationSummary } from './model.ts';

// The boxes that point readers to the conversations that are alive: on the front page ("Most
// discussed", "Active now") and under an article ("Also being discussed").

const commentsLabel = (n: number) => (n === 1 ? '1 comment' : `${n} comments`);

export function ConversationBox({ id, title, conversations, empty }: { id: string; title: string; conversations: ConversationSummary[]; empty?: string }) {
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
              <a href={articlePath(c)}>{c.headline}</a>{' '}
              <a class="conversation-box__count" href={`${articlePath(c)}#comments`}>
                {commentsLabel(c.commentCount)}
              </a>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Under an article: other conversations worth joining; nothing when there are none. */
export function AlsoBeingDiscussed({ conversations }: { conversations: ConversationSummary[] }) {
  return <ConversationBox id="also-discussed" title="Also being discussed" conversations={conversations} />;
}
