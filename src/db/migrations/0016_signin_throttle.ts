import type { Kysely } from 'kysely';
import { refType } from '../migration-helpers.ts';

// Sign-in throttling shared by every app node (accounts/signin-throttle.ts): failure counts per
// account and source, and the browsers that have signed in to an account before. Both are read and
// written by every node, so they live in the database rather than in one process's memory.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signin_throttle')
    // SHA-256 of the address and the source: no address typed at the sign-in form is kept in clear.
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('blocked_until', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('signin_throttle_expiry').on('signin_throttle').column('expires_at').execute();

  await db.schema
    .createTable('known_devices')
    // SHA-256 of the device cookie's random token.
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', refType(db), (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('known_devices_pk', ['token_hash', 'user_id'])
    .execute();
  await db.schema.createIndex('known_devices_user').on('known_devices').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('known_devices').execute();
  await db.schema.dropTable('signin_throttle').execute();
}
