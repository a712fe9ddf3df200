import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { listNotifications, markRead } from './notifications-store.ts';
import { notificationHref } from './views.tsx';

// Opening a notification marks it read: its link on the notifications page goes through here, which
// marks it read on the server and sends the reader on to what it is about. A GET that changes state,
// on purpose: a link works without JavaScript, in a new tab and from the keyboard, and all it can
// change is the reader's own read mark on their own notification (a forged link marks at most one of
// the victim's notifications read, and only if it names one of theirs), so CSRF has nothing to take.

export async function notificationOpenRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;
  api.get('/notifications/:id/open', { schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!request.actor) return reply.redirect(`/signin?next=${encodeURIComponent(request.url)}`, 303);
    const id = request.params.id;
    const [item] = (await listNotifications(db, request.actor.userId, id + 1, 1)).items;
    if (!item || item.id !== id) throw HttpError.translated(404, 'not_found', 'errors.community.noSuchNotification');
    if (!item.readAt) await markRead(ctx, request.actor.userId, { ids: [id] });
    return reply.redirect(notificationHref(item), 303);
  });
}
