import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readerPath } from '../accounts/presenter.ts';
import type { AppContext } from '../context.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import { HttpError } from '../http/errors.ts';
import type { ChromeFactory, PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { setListPrivacy, setNotificationSettings } from './commands.ts';
import { DELIVERIES, isDelivery, NOTIFICATION_KINDS, type Delivery, type NotificationKind, type NotificationSettings } from './model.ts';
import { kindLabel } from './notification-text.ts';
import { useI18n } from '../i18n/view.ts';
import { sendHtml } from './pages.tsx';
import { listMutes, notificationSettings, readerStats, type ListedReader } from './store.ts';

// /settings/notifications: e-mail per kind of notification, list privacy, and the muted readers
// (each with an unmute form). One form for the choices; it saves and comes back with a note.


interface Props {
  chrome: PageChrome;
  settings: NotificationSettings;
  privacy: { followersPrivate: boolean; followingPrivate: boolean };
  mutes: ListedReader[];
  saved: boolean;
}

function SettingsPage({ chrome, settings, privacy, mutes, saved }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const csrf = <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />;
  const title = t('community.settings.title');
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={t('layout.title', { page: title, site: chrome.site.name })}>
      <section class="community-page" aria-labelledby="page-title">
        <h1 id="page-title">{title}</h1>
        {saved ? <p role="status">{t('community.settings.saved')}</p> : null}
        <form method="post" action="/settings/notifications">
          {csrf}
          <fieldset>
            <legend>{t('community.settings.mailLegend')}</legend>
            {NOTIFICATION_KINDS.map((kind) => (
              <p>
                <label for={`kind-${kind}`}>{kindLabel(kind, i18n)}</label>{' '}
                <select id={`kind-${kind}`} name={kind}>
                  {DELIVERIES.map((d) => (
                    <option value={d} selected={settings[kind] === d}>
                      {t('community.settings.delivery', { delivery: d })}
                    </option>
                  ))}
                </select>
              </p>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('community.settings.listsLegend')}</legend>
            <p>
              <input type="checkbox" id="followersPrivate" name="followersPrivate" value="on" checked={privacy.followersPrivate} />{' '}
              <label for="followersPrivate">{t('community.settings.followersPrivate')}</label>
            </p>
            <p>
              <input type="checkbox" id="followingPrivate" name="followingPrivate" value="on" checked={privacy.followingPrivate} />{' '}
              <label for="followingPrivate">{t('community.settings.followingPrivate')}</label>
            </p>
          </fieldset>
          <button type="submit">{t('community.settings.submit')}</button>
        </form>
        <h2>{t('community.settings.muted')}</h2>
        {mutes.length === 0 ? <p>{t('community.settings.noMutes')}</p> : null}
        <ul class="mute-list">
          {mutes.map((r) => (
            <li>
              <a href={readerPath(r.handle)}>{r.displayName}</a>{' '}
              <form method="post" action={`/readers/${encodeURIComponent(r.handle)}/mute`} class="inline-form">
                {csrf}
                <input type="hidden" name="action" value="unmute" />
                <input type="hidden" name="next" value="/settings/notifications" />
                <button type="submit">
                  {t('community.settings.unmute')}
                  <span class="visually-hidden"> {r.displayName}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

export async function settingsPages(app: FastifyInstance, { ctx, chrome }: { ctx: AppContext; chrome: ChromeFactory }) {
  const db = ctx.db.kysely;
  const signedIn = (request: FastifyRequest, reply: FastifyReply): number | null => {
    if (request.actor) return request.actor.userId;
    void reply.header('cache-control', 'no-store').redirect(`/signin?next=${encodeURIComponent(request.url)}`, 303);
    return null;
  };

  app.get('/settings/notifications', async (request, reply) => {
    const userId = signedIn(request, reply);
    if (userId === null) return reply;
    const stats = await readerStats(db, userId);
    const saved = (request.query as Record<string, unknown>).saved === '1';
    return sendHtml(
      reply,
      200,
      <SettingsPage chrome={chrome(request, reply)} settings={await notificationSettings(db, userId)} privacy={stats} mutes={await listMutes(db, userId)} saved={saved} />,
    );
  });

  app.post('/settings/notifications', async (request, reply) => {
    const userId = signedIn(request, reply);
    if (userId === null) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const change: Partial<Record<NotificationKind, Delivery>> = {};
    for (const kind of NOTIFICATION_KINDS) {
      const value = body[kind];
      if (value === undefined) continue;
      if (typeof value !== 'string' || !isDelivery(value)) throw HttpError.translated(400, 'invalid_request', 'community.settings.invalidDelivery', { kind: kindLabel(kind, request.i18n) });
      change[kind] = value;
    }
    await setNotificationSettings(ctx, userId, change);
    await setListPrivacy(ctx, userId, { followersPrivate: body.followersPrivate === 'on', followingPrivate: body.followingPrivate === 'on' });
    return reply.header('cache-control', 'no-store').redirect('/settings/notifications?saved=1', 303);
  });
}
