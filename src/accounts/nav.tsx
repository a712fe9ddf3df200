import type { Actor } from './model.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import { avatarPath } from './presenter.ts';

/** The header's account area: who is signed in, or the way in. Rendered on the server and by the site island. */
export function AccountNav({ actor, csrf, path, unread = 0 }: { actor: Actor | null; csrf: () => string; path: string; unread?: number | null }) {
  if (!actor) {
    const next = encodeURIComponent(path);
    return (
      <div class="account-nav" data-signed-in="false">
        <a href={`/signin?next=${next}`}>Sign in</a>
        <a class="account-nav__register" href={`/register?next=${next}`}>
          Register
        </a>
      </div>
    );
  }
  return (
    // The site island reads data-email-verified, so a confirmation in one tab reaches the others.
    <div class="account-nav" data-signed-in="true" data-email-verified={actor.emailVerified ? 'true' : 'false'}>
      <a href="/notifications" class="bell" data-bell>
        <span aria-hidden="true" class="bell__icon">🔔</span>
        <span class="visually-hidden">Notifications, </span>
        <span class="bell__count" data-unread={unread ?? 0}>
          <span data-bell-n>{unread ?? 0}</span>
          <span class="visually-hidden"> unread</span>
        </span>
      </a>
      <a href="/activity" class="account-nav__activity">Activity</a>
      <a href="/account" class="account-nav__me">
        <img class="avatar avatar--small" src={avatarPath(actor.handle)} alt="" width={28} height={28} />
        <span class="account-nav__name">{actor.displayName}</span>
      </a>
      <form method="post" action="/signout" class="account-nav__signout">
        <input type="hidden" name={CSRF_FIELD} value={csrf()} />
        <input type="hidden" name="next" value={path} />
        <button type="submit">Sign out</button>
      </form>
    </div>
  );
}
