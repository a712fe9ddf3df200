import { atLeast, type Actor } from './model.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import { Icon } from '../ui/icon.tsx';
import { avatarPath } from './presenter.ts';
import { useI18n } from '../i18n/view.ts';

/** The newsroom's tools, by role: staff import articles, moderators also moderate, admins also administer. */
function NewsroomLinks({ actor, held }: { actor: Actor; held: number | null }) {
  const { t } = useI18n();
  if (!atLeast(actor, 'staff')) return null;
  return (
    <span class="account-nav__tools">
      {atLeast(actor, 'moderator') ? (
        <a href="/moderate" class="account-nav__tool" data-held-link>
          <Icon name="moderate" />
          {t('accounts.nav.moderate')}
          {held !== null ? (
            <span class="count-badge" data-held={held}>
              {held}
              <span class="visually-hidden"> {t('accounts.nav.held')}</span>
            </span>
          ) : null}
        </a>
      ) : null}
      {atLeast(actor, 'admin') ? (
        <a href="/admin" class="account-nav__tool">
          <Icon name="settings" />
          {t('accounts.nav.admin')}
        </a>
      ) : null}
      <a href="/import" class="account-nav__tool">
        <Icon name="import" />
        {t('accounts.nav.import')}
      </a>
    </span>
  );
}

/**
 * The header's account area: who is signed in, or the way in. Rendered on the server and by the site island.
 * `held`: the held queue's size for moderators (src/moderation/held-count.ts), null when not looked up.
 */
export function AccountNav({ actor, csrf, path, unread = 0, held = null }: { actor: Actor | null; csrf: () => string; path: string; unread?: number | null; held?: number | null }) {
  const { t } = useI18n();
  if (!actor) {
    const next = encodeURIComponent(path);
    return (
      <div class="account-nav" data-signed-in="false">
        <a href={`/signin?next=${next}`}>{t('accounts.nav.signIn')}</a>
        <a class="account-nav__register" href={`/register?next=${next}`}>
          {t('accounts.nav.register')}
        </a>
      </div>
    );
  }
  return (
    // The site island reads data-email-verified, so a confirmation in one tab reaches the others.
    <div class="account-nav" data-signed-in="true" data-email-verified={actor.emailVerified ? 'true' : 'false'}>
      <NewsroomLinks actor={actor} held={held} />
      <a href="/notifications" class="bell" data-bell>
        <Icon name="bell" class="bell__icon" />
        <span class="visually-hidden">{t('accounts.nav.notifications')} </span>
        <span class="bell__count" data-unread={unread ?? 0}>
          <span data-bell-n>{unread ?? 0}</span>
          <span class="visually-hidden"> {t('accounts.nav.unread')}</span>
        </span>
      </a>
      <a href="/activity" class="account-nav__activity">
        {t('accounts.nav.activity')}
      </a>
      <a href="/account" class="account-nav__me">
        <img class="avatar avatar--small" src={avatarPath(actor.handle)} alt="" width={28} height={28} />
        <span class="account-nav__name">{actor.displayName}</span>
      </a>
      <form method="post" action="/signout" class="account-nav__signout">
        <input type="hidden" name={CSRF_FIELD} value={csrf()} />
        <input type="hidden" name="next" value={path} />
        <button type="submit">{t('accounts.nav.signOut')}</button>
      </form>
    </div>
  );
}
