import type { CommandContext } from '../events/command.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { safeNextPath } from '../accounts/rules.ts';
import { findAccountByHandle } from '../accounts/store.ts';
import { findArticleBySlug } from '../articles/store.ts';
import type { AppContext } from '../context.ts';
import { lastEventId } from '../events/outbox.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { HttpError } from '../http/errors.ts';
import type { ChromeFactory } from '../ui/chrome.ts';
import { renderDocument } from '../ui/render.ts';
import type { VNode } from 'preact';
import { followArticle, followReader, muteReader, setNotificationSettings, unfollowArticle, unfollowReader, unmuteReader } from './commands.ts';
import { activityFeed, isIdCursor } from './feed-store.ts';
import { isFollowCursor, LIST_PAGE_SIZE, NOTIFICATION_KINDS, type Delivery, type NotificationKind } from './model.ts';
import { kindLabel } from './notification-text.ts';
import { listNotifications, markRead, unreadCount } from './notifications-store.ts';
import { listFollows, notificationSettings, readerStats } from './store.ts';
import { canViewFollowList } from './policy.ts';
import { verifyUnsubscribe, unsubscribeKey } from './unsubscribe.ts';
import { ActivityPage, FollowingPage, FollowListPage, NotificationsPage, UnsubscribePage } from './views.tsx';
import { followedConversations, isFollowingCursor } from './following-store.ts';

// The community's HTML pages and the forms they POST (each redirects back, so a reload does not
// repeat it). Forms carry the CSRF field; the one exception is the RFC 8058 unsubscribe, which is
// authenticated by its signed token (see http/csrf.ts).

const PAGE = 30;

export function sendHtml(reply: FastifyReply, status: number, page: VNode<any>) {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderDocument(page, reply.request.i18n));
}

const back = (reply: FastifyReply, to: string) => reply.header('cache-control', 'no-store').redirect(to, 303);
const field = (request: FastifyRequest, name: string): string => {
  const v = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

/** The signed-in reader of a page, or a redirect to sign in that comes back here. */
function signedIn(request: FastifyRequest, reply: FastifyReply): number | null {
  if (request.actor) return request.actor.userId;
  void reply.header('cache-control', 'no-store').redirect(`/signin?next=${encodeURIComponent(request.url)}`, 303);
  return null;
}

export async function communityPages(app: FastifyInstance, { ctx, chrome }: { ctx: AppContext; chrome: ChromeFactory }) {
  const db = ctx.db.kysely;
  // RFC 8058 allows the one-click POST as multipart/form-data too; its body is never read.
  app.addContentTypeParser('multipart/form-data', (_request, payload, done) => {
    payload.resume();
    payload.on('end', () => done(null, {}));
  });

  app.get('/notifications', async (request, reply) => {
    const userId = signedIn(request, reply);
    if (userId === null) return reply;
    const cursor = (request.query as Record<string, string | undefined>).cursor;
    const page = await listNotifications(db, userId, decodeCursor(cursor, isIdCursor), PAGE);
    return sendHtml(reply, 200, <NotificationsPage chrome={chrome(request, reply)} items={page.items} unread={await unreadCount(db, userId)} next={page.next ? encodeCursor(page.next) : null} />);
  });

  app.post('/notifications/read', async (request, reply) => {
    const userId = signedIn(request, reply);
    if (userId === null) return reply;
    const id = Number(field(request, 'id'));
    if (field(request, 'all') === 'true') await markRead(ctx, userId, { all: true });
    else if (Number.isSafeInteger(id) && id > 0) await markRead(ctx, userId, { ids: [id] });
    else throw HttpError.translated(400, 'invalid_request', 'errors.community.markReadWhich');
    return back(reply, '/notifications');
  });

  app.get('/activity', async (request, reply) => {
    const userId = signedIn(request, reply);
    if (userId === null) return reply;
    const cursor = (request.query as Record<string, string | undefined>).cursor;
    const after = await lastEventId(db);
    const page = await activityFeed(db, userId, decodeCursor(cursor, isIdCursor));
    return sendHtml(reply, 200, <ActivityPage chrome={chrome(request, reply)} comments={page.comments} next={page.next ? encodeCursor(page.next) : null} lastEventId={after} />);
  });

  app.get('/following', async (request, reply) => {
    const userId = signedIn(request, reply);
    if (userId === null) return reply;
    const cursor = (request.query as Record<string, string | undefined>).cursor;
    const page = await followedConversations(db, userId, decodeCursor(cursor, isFollowingCursor), PAGE);
    return sendHtml(reply, 200, <FollowingPage chrome={chrome(request, reply)} items={page.items} next={page.next ? encodeCursor(page.next) : null} />);
  });

  const unsubscribeTarget = async (request: FastifyRequest, token: string) => {
    const found = verifyUnsubscribe(await unsubscribeKey(db), token);
    if (!found) return null;
    const label = found.kind === 'digest' ? request.i18n.t('community.unsubscribe.digest') : kindLabel(found.kind, request.i18n);
    return { ...found, label };
  };

  app.get<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const target = await unsubscribeTarget(request, request.params.token);
    return sendHtml(reply, target ? 200 : 404, <UnsubscribePage chrome={chrome(request, reply)} label={target?.label ?? null} token={request.params.token} done={false} />);
  });

  // One click, no session, no CSRF: the signed token says who and which kind, and all it can do is stop mail.
  app.post<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const target = await unsubscribeTarget(request, request.params.token);
    if (!target) {
      return sendHtml(reply, 404, <UnsubscribePage chrome={chrome(request, reply)} label={null} token="" done={false} />);
    }
    const change: Partial<Record<NotificationKind, Delivery>> = {};
    if (target.kind === 'digest') {
      const now = await notificationSettings(db, target.userId);
      for (const kind of NOTIFICATION_KINDS) if (now[kind] === 'digest') change[kind] = 'off';
    } else {
      change[target.kind] = 'off';
    }
    const exists = await db.selectFrom('users').select('id').where('id', '=', target.userId).where('deleted_at', 'is', null).executeTakeFirst();
    if (exists) await setNotificationSettings(ctx, target.userId, change);
    return sendHtml(reply, 200, <UnsubscribePage chrome={chrome(request, reply)} label={target.label} token="" done />);
  });

  for (const list of ['followers', 'following'] as const) {
    app.get<{ Params: { handle: string }; Querystring: { cursor?: string } }>(`/readers/:handle/${list}`, async (request, reply) => {
      const reader = await findAccountByHandle(db, request.params.handle);
      if (!reader) throw HttpError.translated(404, 'not_found', 'errors.community.noSuchReader');
      if (!canViewFollowList(request.actor?.userId ?? null, reader.id, list, await readerStats(db, reader.id))) {
        throw HttpError.translated(403, 'list_private', 'errors.community.listPrivate', { name: reader.displayName, list });
      }
      const found = await listFollows(db, reader.id, list, decodeCursor(request.query.cursor, isFollowCursor), LIST_PAGE_SIZE);
      return sendHtml(reply, 200, <FollowListPage chrome={chrome(request, reply)} owner={reader} list={list} readers={found.readers} next={found.next ? encodeCursor(found.next) : null} />);
    });
  }

  // Follow and mute forms on reader pages and comments, and "follow this conversation" on articles.
  // Following and muting a reader are the same form: on, or "un…" to take it back.
  type Toggle = (ctx: CommandContext, userId: number, readerId: number) => Promise<unknown>;
  const readerToggle = (name: 'follow' | 'mute', on: Toggle, off: Toggle) =>
    app.post<{ Params: { handle: string } }>(`/readers/:handle/${name}`, async (request, reply) => {
      const userId = signedIn(request, reply);
      if (userId === null) return reply;
      const reader = await findAccountByHandle(db, request.params.handle);
      if (!reader) throw HttpError.translated(404, 'not_found', 'errors.community.noSuchReader');
      await (field(request, 'action') !== `un${name}` ? on : off)(ctx, userId, reader.id);
      return back(reply, safeNextPath(field(request, 'next'), `/readers/${encodeURIComponent(reader.handle)}`));
    });
  readerToggle('follow', followReader, unfollowReader);
  readerToggle('mute', muteReader, unmuteReader);

  app.post<{ Params: { slug: string } }>('/articles/:slug/follow', async (request, reply) => {
    const userId = signedIn(request, reply);
    if (userId === null) return reply;
    const article = await findArticleBySlug(db, request.params.slug);
    if (!article) throw HttpError.translated(404, 'not_found', 'errors.community.noSuchArticle');
    const on = field(request, 'action') !== 'unfollow';
    await (on ? followArticle(ctx, userId, Number(article.id)) : unfollowArticle(ctx, userId, Number(article.id)));
    return back(reply, safeNextPath(field(request, 'next'), `/articles/${encodeURIComponent(article.slug)}`));
  });
}
