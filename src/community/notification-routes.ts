import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { avatarPath, readerPath } from '../accounts/presenter.ts';
import { commentUrl } from '../comments/presenter.ts';
import type { AppContext } from '../context.ts';
import { requireActor } from '../http/auth.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { HttpError } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import { notificationSentence } from './notification-text.ts';
import { listNotifications, markRead, unreadCount, type NotificationItem } from './notifications-store.ts';

// The in-page notifications: the list with its unread count, and marking read. Marking read is a
// reader's own bookkeeping, not a change anyone reacts to, so it writes no event.

const tags = ['notifications'];
const PAGE = 30;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const NotificationJson = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  read: Type.Boolean(),
  actor: Nullable(Type.Object({ handle: Type.String(), displayName: Type.String(), avatarUrl: Type.String(), profileUrl: Type.String() })),
  article: Nullable(Type.Object({ slug: Type.String(), headline: Type.String() })),
  commentId: Nullable(Type.Integer()),
  actorCount: Type.Integer({ description: 'How many readers a grouped notification (reactions) stands for.' }),
  text: Type.String({ description: 'The notification in words, e.g. "12 people respected your comment on …".' }),
  url: Nullable(Type.String({ description: 'Where the notification leads: the comment in its thread, or the reader.' })),
});

function present(n: NotificationItem) {
  const url = n.article && n.commentId !== null ? commentUrl(n.article.slug, { id: n.commentId }) : n.article ? `/articles/${encodeURIComponent(n.article.slug)}` : n.actor ? readerPath(n.actor.handle) : null;
  return {
    id: n.id,
    kind: n.kind,
    createdAt: n.createdAt,
    read: n.readAt !== null,
    actor: n.actor ? { ...n.actor, avatarUrl: avatarPath(n.actor.handle), profileUrl: readerPath(n.actor.handle) } : null,
    article: n.article,
    commentId: n.commentId,
    actorCount: n.actorCount,
    text: notificationSentence({ kind: n.kind, actorName: n.actor?.displayName ?? null, actorCount: n.actorCount, headline: n.article?.headline ?? null }),
    url,
  };
}

const isCursor = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

export async function notificationRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  api.get(
    '/api/v1/notifications',
    {
      schema: {
        summary: 'Your notifications, newest first, with the unread count',
        tags,
        querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: Type.Object({ notifications: Type.Array(NotificationJson), unreadCount: Type.Integer(), nextCursor: Nullable(Type.String()) }), 400: ErrorJson, 401: ErrorJson },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const before = decodeCursor(request.query.cursor, isCursor);
      const page = await listNotifications(db, actor.userId, before, PAGE);
      reply.header('cache-control', 'no-store');
      return { notifications: page.items.map(present), unreadCount: await unreadCount(db, actor.userId), nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  api.post(
    '/api/v1/notifications/read',
    {
      schema: {
        summary: 'Mark some notifications read ({"ids": [...]}) or all of them ({"all": true})',
        tags,
        body: Type.Object({ ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 500 })), all: Type.Optional(Type.Literal(true)) }),
        response: { 200: Type.Object({ unreadCount: Type.Integer() }), 400: ErrorJson, 401: ErrorJson, 403: ErrorJson },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { ids, all } = request.body;
      if ((ids === undefined) === (all === undefined)) throw HttpError.translated(400, 'invalid_request', 'errors.community.idsOrAll');
      await markRead(ctx, actor.userId, all ? { all } : { ids: ids! });
      return { unreadCount: await unreadCount(db, actor.userId) };
    },
  );
}
