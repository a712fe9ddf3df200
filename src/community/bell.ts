import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { liveHub, type LivePresenter } from '../events/live.ts';
import { requireActor } from '../http/auth.ts';
import { NOTIFICATIONS_STREAM } from './model.ts';
import { unreadCount } from './notifications-store.ts';

// The bell: the unread count in the header of every page for a signed-in reader (rendered on the
// server, a plain link to /notifications without JavaScript), kept current by the bell island over
// SSE. The live stream is the shared NOTIFICATIONS_STREAM; each connection's presenter picks out
// the events that name its reader and answers with their fresh count.

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in reader's unread notifications, for the header; null when not looked up. */
    unreadCount: number | null;
  }
}

/** Looks the count up for the HTML pages of signed-in readers (one indexed count), not for the API or assets. */
export function installUnreadCount(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('unreadCount', null);
  app.addHook('preHandler', async (request) => {
    if (!request.actor || request.method !== 'GET' || /^\/(api|assets)\//.test(request.url)) return;
    request.unreadCount = await unreadCount(ctx.db.kysely, request.actor.userId);
  });
}

export async function bellRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const db = ctx.db.kysely;

  app.get('/api/v1/notifications/unread', { schema: { summary: 'Your number of unread notifications', tags: ['notifications'] } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return { unreadCount: await unreadCount(db, requireActor(request).userId) };
  });

  app.get('/api/v1/notifications/live', { schema: { summary: 'Server-Sent Events: `unread` with {"unreadCount"} whenever yours changes', tags: ['notifications'] } }, async (request, reply) => {
    const userId = requireActor(request).userId;
    const present: LivePresenter = async (event) => {
      const recipients = event.payload.recipients;
      if (!Array.isArray(recipients) || !recipients.includes(userId)) return null;
      return { event: 'unread', data: { unreadCount: await unreadCount(db, userId) } };
    };
    reply.hijack();
    // Resuming is pointless for a count: every connection starts now and says the current count first.
    await liveHub(ctx).open(reply.raw, { streams: [NOTIFICATIONS_STREAM], present, after: null, headers: reply.getHeaders() });
    if (!reply.raw.writableEnded) reply.raw.write(`event: unread\ndata: ${JSON.stringify({ unreadCount: await unreadCount(db, userId) })}\n\n`);
  });
}
