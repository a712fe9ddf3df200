import { randomBytes } from 'node:crypto';
import { SESSION_COOKIE, type Role } from '../../src/accounts/model.ts';
import { createSession } from '../../src/accounts/sessions.ts';
import type { AppContext } from '../../src/context.ts';
import { TestClient } from './client.ts';

export interface TestUser {
  id: number;
  handle: string;
  displayName: string;
  email: string;
  role: Role;
}

/**
 * A reader straight in the database, for tests of features other than registration itself
 * (registration has its own tests through the API).
 */
export async function createTestUser(ctx: AppContext, options: { displayName?: string; role?: Role; verified?: boolean } = {}): Promise<TestUser> {
  const suffix = randomBytes(4).toString('hex');
  const displayName = options.displayName ?? `Reader ${suffix}`;
  const handle = `${displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${suffix}`.slice(0, 40);
  const email = `${handle}@example.test`;
  const role = options.role ?? 'reader';
  const now = new Date().toISOString();
  const row = await ctx.db.kysely
    .insertInto('users')
    .values({
      email,
      email_verified_at: options.verified === false ? null : now,
      password_hash: null,
      display_name: displayName,
      display_name_key: `${displayName.toLowerCase()} ${suffix}`,
      handle,
      bio: '',
      role,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), handle, displayName, email, role };
}

/** A browser-like client signed in as the user (a real session row and cookie). */
export async function signedInClient(ctx: AppContext, baseUrl: string, user: TestUser): Promise<TestClient> {
  const session = await createSession(ctx.db.kysely, { id: user.id, role: user.role }, { persistent: false, userAgent: 'vitest' });
  const client = new TestClient(baseUrl);
  client.cookies.set(SESSION_COOKIE, session.token);
  return client;
}
