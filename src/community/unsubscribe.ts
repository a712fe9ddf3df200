import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isNotificationKind, type NotificationKind } from './model.ts';

// One-click unsubscribe (RFC 8058): every notification mail names a URL whose token says who and
// which kind, signed with a key of this installation. POSTing it turns that kind off without a
// session and without CSRF — the token is the authentication, and all it can do is stop mail.

const KEY_NAME = 'unsubscribe';
const keys = new WeakMap<object, Promise<Buffer>>();

/** The installation's signing key: made at first use; the first writer wins, so processes agree. */
export function unsubscribeKey(db: Kysely<Database>): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = (async () => {
      await db
        .insertInto('site_secrets')
        .values({ name: KEY_NAME, value: randomBytes(32).toString('base64url'), created_at: new Date().toISOString() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await db.selectFrom('site_secrets').select('value').where('name', '=', KEY_NAME).executeTakeFirstOrThrow();
      return Buffer.from(row.value, 'base64url');
    })();
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(`unsubscribe:${body}`).digest('base64url').slice(0, 32);

export function signUnsubscribe(key: Buffer, userId: number, kind: NotificationKind | 'digest'): string {
  const body = `${userId}.${kind}`;
  return `${body}.${mac(key, body)}`;
}

/** The reader and kind a token names, or null when it is malformed or not ours. */
export function verifyUnsubscribe(key: Buffer, token: string): { userId: number; kind: NotificationKind | 'digest' } | null {
  const match = /^(\d{1,15})\.([a-z_]{1,40})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return null;
  const [, id, kind] = match;
  if (kind !== 'digest' && !isNotificationKind(kind!)) return null;
  const expected = Buffer.from(mac(key, `${id}.${kind}`));
  const given = Buffer.from(match[3]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { userId: Number(id), kind: kind as NotificationKind | 'digest' };
}
