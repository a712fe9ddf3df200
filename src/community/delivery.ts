import type { Tx } from '../events/command.ts';
import { queueJob } from '../events/jobs.ts';
import type { StoredEvent } from '../events/outbox.ts';
import { DEFAULT_NOTIFICATION_SETTINGS, isDelivery, NOTIFICATIONS_STREAM, type Delivery, type NotificationKind } from './model.ts';

// What happens to new notification rows, inside the fan-out's transaction: one live event per chunk
// of recipients (the bell of every open page of theirs updates) and the mail jobs their settings ask
// for. Being in the same transaction, a job exists iff its notification does, once per event.

export const MAIL_NOW = 'email.notification';
export const MAIL_DIGEST = 'email.digest';

/** The UTC day a notification belongs to in the digest, and when that digest goes out (the next midnight). */
export function digestDay(at: Date): { day: string; sendAt: Date } {
  const day = at.toISOString().slice(0, 10);
  return { day, sendAt: new Date(Date.parse(`${day}T00:00:00.000Z`) + 24 * 3600_000) };
}

async function deliveries(tx: Tx, kind: NotificationKind, ids: number[]): Promise<Map<number, Delivery>> {
  const rows = await tx.db.selectFrom('notification_preferences').select(['user_id', 'delivery']).where('kind', '=', kind).where('user_id', 'in', ids).execute();
  const out = new Map<number, Delivery>();
  for (const id of ids) out.set(id, DEFAULT_NOTIFICATION_SETTINGS[kind]);
  for (const r of rows) if (isDelivery(r.delivery)) out.set(Number(r.user_id), r.delivery);
  return out;
}

/** Called with each chunk of recipients that just got a notification of one kind for `event`. */
export async function deliver(tx: Tx, event: StoredEvent, kind: NotificationKind, recipients: number[]): Promise<void> {
  if (recipients.length === 0) return;
  tx.emit({ type: 'notifications.added', stream: NOTIFICATIONS_STREAM, payload: { recipients } });
  const now = new Date(event.createdAt);
  for (const [recipientId, delivery] of await deliveries(tx, kind, recipients)) {
    if (delivery === 'immediate') {
      await queueJob(tx, { kind: MAIL_NOW, dedupeKey: `mail:${event.id}:${recipientId}`, payload: { recipientId, eventId: event.id } });
    } else if (delivery === 'digest') {
      const { day, sendAt } = digestDay(now);
      await queueJob(tx, { kind: MAIL_DIGEST, dedupeKey: `digest:${recipientId}:${day}`, payload: { recipientId, day }, runAt: sendAt });
    }
  }
}
