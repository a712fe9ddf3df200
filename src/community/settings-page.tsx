import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readerPath } from '../accounts/presenter.ts';
import type { AppContext } from '../context.ts';
import { CSRF_FIELD } from '../http/csrf.ts';
import { badRequest } from '../http/errors.ts';
import type { ChromeFactory, PageChrome } from '../ui/chrome.ts';
import { Layout } from '../ui/layout.tsx';
import { setListPrivacy, setNotificationSettings } from './commands.ts';
import { DELIVERIES, isDelivery, NOTIFICATION_KINDS, type Delivery, type NotificationKind, type NotificationSettings } from './model.ts';
import { KIND_LABELS } from './notification-text.ts';
import { sendHtml } from './pages.tsx';
import { listMutes, notificationSettings, readerStats, type ListedReader } from './store.ts';

// /settings/notifications: e-mail per kind of notification, list privacy, and the muted readers
// (each with an unmute form). One form for the choices; it saves and comes back with a note.

const DELIVERY_LABELS: Record<Delivery, string> = { immediate: 'At once', digest: 'Daily digest', off: 'Off' };

interface Props {
  chrome: PageChrome;
  settings: NotificationSettings;
  privacy: { followersPrivate: boolean; followingPrivate: boolean };
  mutes: ListedReader[];
  saved: boolean;
}

function SettingsPage({ chrome, settings, privacy, mutes, saved }: Props) {
  const csrf = <input type="hidden" name={CSRF_FIELD} value={chrome.csrf()} />;
  return (
    <Layout site={chrome.site} account={chrome.account} viewer={chrome.actor?.handle ?? null} title={`Notification settings — ${chrome.site.name}`}>
      <section class="community-page" aria-labelledby="page-title">
        <h1 id="page-title">Notification settings</h1>
        {saved ? <p role="status">Your settings are saved.</p> : null}
        <form method="post" action="/settings/notifications">
          {csrf}
          <fieldset>
            <legend>E-mail me about…</legend>
            {NOTIFICATION_KINDS.map((kind) => (
              <p>
                <label for={`kind-${kind}`}>{KIND_LABELS[kind]}</label>{' '}
                <select id={`kind-${kind}`} name={kind}>
                  {DELIVERIES.map((d) => (
                    <option value={d} selected={settings[kind] === d}>
                      {DELIVERY_LABELS[d]}
                    </option>
                  ))}
                </select>
              </p>
            ))}
          </fieldset>
          <fieldset>
            <legend>Who may see my lists</legend>
            <p>
              <input type="checkbox" id="followersPrivate" name="followersPrivate" value="on" checked={privacy.followersPrivate} />{' '}
              <label for="followersPrivate">Keep the list of my followers private</label>
            </p>
            <p>
              <input type="checkbox" id="followingPrivate" name="followingPrivate" value="on" checked={privacy.followingPrivate} />{' '}
              <label for="followingPrivate">Keep the list of readers I follow private</label>
            </p>
          </fieldset>
          <button type="submit">Save settings</button>
        </form>
        <h2>Muted readers</h2>
        {mutes.length === 0 ? <p>You have muted nobody.</p> : null}
        <ul class="mute-list">
          {mutes.map((r) => (
            <li>
              <a href={readerPath(r.handle)}>{r.displayName}</a>{' '}
              <form method="post" action={`/readers/${encodeURIComponent(r.handle)}/mute`} class="inline-form">
                {csrf}
                <input type="hidden" name="action" value="unmute" />
                <input type="hidden" name="next" value="/settings/notifications" />
                <button type="submit">
                  Unmute<span class="visually-hidden"> {r.displayName}</span>
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
      if (typeof value !== 'string' || !isDelivery(value)) throw badRequest(`Choose “At once”, “Daily digest” or “Off” for ${KIND_LABELS[kind]}.`, 'invalid_request');
      change[kind] = value;
    }
    await setNotificationSettings(ctx, userId, change);
    await setListPrivacy(ctx, userId, { followersPrivate: body.followersPrivate === 'on', followingPrivate: body.followingPrivate === 'on' });
    return reply.header('cache-control', 'no-store').redirect('/settings/notifications?saved=1', 303);
  });
}
