import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { SESSION_ABSOLUTE_MS, SESSION_ABSOLUTE_PERSISTENT_MS, SESSION_IDLE_MS } from './model.ts';
import { createSession, hashToken, resolveSession } from './sessions.ts';
import { checkToken, issueToken, spendToken, TOKEN_LIFETIME_MS } from './tokens.ts';

let db: Db;
let userId: number;

beforeAll(async () => {
  db = await openDatabase({ dataDir: '/tmp', databaseUrl: null, sqliteFile: ':memory:' });
  await migrateToLatest(db);
  const now = new Date().toISOString();
  const row = await db.kysely
    .insertInto('users')
    .values({ email: 'a@example.com', email_verified_at: null, password_hash: null, display_name: 'Ann', display_name_key: 'ann', handle: 'ann', bio: '', role: 'reader', created_at: now, updated_at: now, deleted_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  userId = Number(row.id);
});
afterAll(() => db.close());

const t0 = new Date('2030-01-01T00:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describe('sessions', () => {
  test('store only the SHA-256 of a 256-bit token', async () => {
    const s = await createSession(db.kysely, { id: userId, role: 'reader' }, { persistent: false, userAgent: 'ua', now: t0 });
    expect(Buffer.from(s.token, 'base64url')).toHaveLength(32);
    const row = await db.kysely.selectFrom('sessions').selectAll().where('id', '=', s.sessionId).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(s.token));
    expect(row.token_hash).not.toContain(s.token);
  });

  test('end after the absolute lifetime even when used every hour', async () => {
    const s = await createSession(db.kysely, { id: userId, role: 'reader' }, { persistent: false, userAgent: 'ua', now: t0 });
    for (let at = 0; at < SESSION_ABSOLUTE_MS; at += 60 * 60 * 1000) expect(await resolveSession(db.kysely, s.token, later(at))).not.toBeNull();
    expect(await resolveSession(db.kysely, s.token, later(SESSION_ABSOLUTE_MS))).toBeNull();
    // …and are gone for good.
    expect(await resolveSession(db.kysely, s.token, later(1000))).toBeNull();
  });

  test('"keep me signed in" lasts longer but still ends when idle', async () => {
    const s = await createSession(db.kysely, { id: userId, role: 'reader' }, { persistent: true, userAgent: 'ua', now: t0 });
    expect(s.expiresAt.getTime() - t0.getTime()).toBe(SESSION_ABSOLUTE_PERSISTENT_MS);
    expect(await resolveSession(db.kysely, s.token, later(SESSION_IDLE_MS - 1000))).not.toBeNull();
    // Used just now, so idle counts from here.
    expect(await resolveSession(db.kysely, s.token, later(2 * SESSION_IDLE_MS - 2000))).not.toBeNull();
    expect(await resolveSession(db.kysely, s.token, later(3 * SESSION_IDLE_MS))).toBeNull();
  });

  test('an unknown or absurd token is nobody', async () => {
    expect(await resolveSession(db.kysely, 'nope')).toBeNull();
    expect(await resolveSession(db.kysely, 'x'.repeat(500))).toBeNull();
  });
});

describe('account tokens', () => {
  test('work once', async () => {
    const token = await issueToken(db.kysely, userId, 'password_reset', { now: t0 });
    expect(await spendToken(db.kysely, token, 'password_reset', later(1000))).toMatchObject({ ok: true, userId });
    expect(await spendToken(db.kysely, token, 'password_reset', later(2000))).toEqual({ ok: false, reason: 'used' });
  });

  test('expire: a reset link after 30 minutes', async () => {
    expect(TOKEN_LIFETIME_MS.password_reset).toBe(30 * 60 * 1000);
    const token = await issueToken(db.kysely, userId, 'password_reset', { now: t0 });
    expect(await checkToken(db.kysely, token, 'password_reset', later(TOKEN_LIFETIME_MS.password_reset - 1))).toMatchObject({ ok: true });
    expect(await spendToken(db.kysely, token, 'password_reset', later(TOKEN_LIFETIME_MS.password_reset))).toEqual({ ok: false, reason: 'expired' });
  });

  test('only for their own kind, and only the newest of a kind', async () => {
    const first = await issueToken(db.kysely, userId, 'verify_email', { email: 'a@example.com', now: t0 });
    expect(await checkToken(db.kysely, first, 'password_reset', t0)).toEqual({ ok: false, reason: 'unknown' });
    const second = await issueToken(db.kysely, userId, 'verify_email', { email: 'a@example.com', now: t0 });
    expect(await checkToken(db.kysely, first, 'verify_email', t0)).toEqual({ ok: false, reason: 'unknown' });
    expect(await spendToken(db.kysely, second, 'verify_email', t0)).toEqual({ ok: true, userId, email: 'a@example.com' });
  });

  test('are stored hashed', async () => {
    const token = await issueToken(db.kysely, userId, 'password_reset');
    const rows = await db.kysely.selectFrom('account_tokens').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(rows.some((r) => r.token_hash === hashToken(token))).toBe(true);
  });
});
