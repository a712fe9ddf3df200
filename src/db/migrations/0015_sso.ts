import type { Kysely } from 'kysely';
import { addIdColumn, refType } from '../migration-helpers.ts';

// Single sign-on with publishers' accounts (src/sso): which publisher account is which Parley account,
// the signed-token ids already spent (replay refusal), and OpenID Connect sign-ins in progress.

export async function up(db: Kysely<any>): Promise<void> {
  const ref = refType(db);
  await addIdColumn(db, db.schema.createTable('sso_identities'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sso_identities_provider_subject', ['provider', 'subject'])
    .execute();
  await db.schema.createIndex('sso_identities_user').on('sso_identities').column('user_id').execute();

  await db.schema
    .createTable('sso_used_tokens')
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('jti', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sso_used_tokens_pk', ['site_id', 'jti'])
    .execute();
  await db.schema.createIndex('sso_used_tokens_expiry').on('sso_used_tokens').column('expires_at').execute();

  await db.schema
    .createTable('sso_oidc_flows')
    .addColumn('browser_hash', 'text', (c) => c.primaryKey())
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('next_path', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_oidc_flows_expiry').on('sso_oidc_flows').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sso_oidc_flows').execute();
  await db.schema.dropTable('sso_used_tokens').execute();
  await db.schema.dropTable('sso_identities').execute();
}
