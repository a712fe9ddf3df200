import { WARNING_PAGE } from '../moderation/sanctions.ts';
import { useI18n } from '../i18n/view.ts';
import type { Comment } from './model.ts';
import { can, decisionMessage } from './policy.ts';
import { articleHref, Csrf, type CommentViewer } from './views.tsx';

// Where a reader writes, or why they cannot yet and how to: the composer and what stands in its place.

export interface ComposerProps {
  v: CommentViewer;
  parent?: Comment | null;
  text?: string;
  error?: string | null;
  /** Unique within the page: the textarea's id is built from it. */
  idBase?: string;
  /** The text as the server's renderer draws it, when the reader asked for a preview without JavaScript. */
  previewHtml?: string | null;
}

/** The character counter appears once this share of the limit is used (composer island). */
export const COUNTER_FROM = 0.8;

export function Composer({ v, parent = null, text = '', error = null, idBase = 'comment', previewHtml = null }: ComposerProps) {
  const bodyId = `${idBase}-body`;
  const errorId = `${idBase}-error`;
  const hintId = `${idBase}-hint`;
  const countId = `${idBase}-count`;
  const previewId = `${idBase}-preview`;
  const { t } = useI18n();
  return (
    <form method="post" action={`${articleHref(v.slug)}/comments`} class="composer" data-max={v.settings.commentMaxLength} data-counter-from={COUNTER_FROM}>
      <Csrf v={v} />
      {parent ? <input type="hidden" name="parentId" value={String(parent.id)} /> : null}
      <label for={bodyId}>{parent ? t('comments.composer.replyTo', { name: parent.author.displayName }) : t('comments.composer.join')}</label>
      <textarea id={bodyId} name="body" rows={parent ? 3 : 4} required aria-describedby={`${hintId} ${countId} ${errorId}`} aria-invalid={error ? 'true' : undefined}>
        {text}
      </textarea>
      <p class="composer__hint" id={hintId}>
        {t('comments.composer.hint', { max: v.settings.commentMaxLength })}
      </p>
      <p class="composer__count" id={countId} aria-live="polite" />
      <p class="composer__error" id={errorId} role="alert">
        {error ?? ''}
      </p>
      <div class="composer__preview" id={previewId} hidden={previewHtml === null}>
        <p class="composer__preview-title">{t('comments.composer.preview')}</p>
        <div class="comment__body" dangerouslySetInnerHTML={{ __html: previewHtml ?? '' }} />
      </div>
      <div class="composer__buttons">
        <button type="submit">{parent ? t('comments.composer.postReply') : t('comments.composer.postComment')}</button>
        <button type="submit" name="preview" value="1" class="button--secondary composer__preview-button" formnovalidate aria-controls={previewId}>
          {t('comments.composer.preview')}
        </button>
        {parent ? (
          <a class="button button--quiet composer__cancel" href={`${articleHref(v.slug)}#c-${parent.id}`}>
            {t('comments.composer.cancel')}
          </a>
        ) : null}
      </div>
    </form>
  );
}

/** What sits above the threads: the composer, or why there is none and how to get one. */
export function JoinArea({ v }: { v: CommentViewer }) {
  const i18n = useI18n();
  const { t } = i18n;
  const decision = can(v.actor, 'post', null, { article: v.article, settings: v.settings, now: v.now, sanction: v.sanction });
  let content;
  if (decision.allowed) content = <Composer v={v} />;
  else if (decision.code === 'unauthenticated' && v.embed) {
    content = (
      <p class="comments__prompt">
        {i18n.rich('comments.join.prompt', {
          signin: (
            <button type="button" class="button button--primary" data-embed-signin="signin">
              {t('comments.join.signin')}
            </button>
          ),
          register: (
            <button type="button" class="button" data-embed-signin="register">
              {t('comments.join.register')}
            </button>
          ),
        })}
        {v.embed.oidcLabel ? (
          <>
            {' '}
            <button type="button" class="button" data-embed-signin="oidc">
              {t('comments.join.signinWith', { provider: v.embed.oidcLabel })}
            </button>
          </>
        ) : null}
      </p>
    );
  } else if (decision.code === 'unauthenticated') {
    const next = encodeURIComponent(`${articleHref(v.slug)}#comments`);
    content = (
      <p class="comments__prompt">
        {i18n.rich('comments.join.prompt', {
          signin: <a href={`/signin?next=${next}`}>{t('comments.join.signin')}</a>,
          register: <a href={`/register?next=${next}`}>{t('comments.join.register')}</a>,
        })}
      </p>
    );
  } else if (decision.code === 'email_unverified') {
    const checkMail = <strong>{t('comments.join.checkMail')}</strong>;
    const link = <a href="/account">{t('comments.join.newLink')}</a>;
    content = (
      <p class="comments__prompt comments__check-mail">
        {v.unverifiedEmail
          ? i18n.rich('comments.join.sentTo', { checkMail, link, address: <strong class="comments__address">{v.unverifiedEmail}</strong> })
          : i18n.rich('comments.join.sent', { checkMail, link })}
      </p>
    );
  } else if (decision.code === 'warning_unacknowledged') {
    content = (
      <p class="comments__prompt comments__sanction">
        {i18n.rich('comments.join.warned', { reason: v.sanction?.reason ?? '', link: <a href={WARNING_PAGE}>{t('comments.join.readWarning')}</a> })}
      </p>
    );
  } else content = <p class={`comments__prompt ${decision.code === 'comments_closed' ? 'comments__closed' : 'comments__sanction'}`}>{decisionMessage(decision, i18n)}</p>;
  return (
    <div class="comments__join" id="comments-join">
      {content}
    </div>
  );
}
